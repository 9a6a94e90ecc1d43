"""Configuration read once per container from the environment that `template.yaml` sets.

A frozen dataclass rather than a Pydantic model: the authorizer imports this and must not pay
Pydantic's import (about 120 ms of cold start) for a handful of environment variables.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation


@dataclass(frozen=True)
class Settings:
    tabla: str
    secreto_jwt: str
    bucket: str = ""
    emisor: str = "monitor-local"
    audiencia: str = "monitor-api"
    ttl_token: int = 28800
    ttl_token_cliente: int = 3600
    # Caching the signing keys keeps Secrets Manager out of the warm path; rotation keeps old keys valid.
    ttl_claves: int = 300
    endpoint_dynamodb: str | None = None
    max_cuerpo: int = 262_144
    # The shop's time zone (IANA name): what "today" and a calendar day mean in reports.
    zona_horaria: str = "America/Mexico_City"
    # IVA rate a new damage survey is created with (stack parameter IvaTasa); a survey keeps its own rate.
    tasa_iva: Decimal = Decimal("0.16")
    # Seguimiento (docs/seguimiento.md): the bus, the delivery queues, SES and the shop's contact.
    bus_eventos: str = ""
    cola_entregas: str = ""
    cola_entregas_dlq: str = ""
    config_correo: str = ""  # SSM parameter: {"remitente", "taller", "telefono", "correo"} of the customer e-mails
    # Only a local run delivers to loopback webhooks; on AWS they would reach the function's own host.
    webhook_loopback: bool = False
    timeout_webhook: int = 10
    reintento_base: int = 30
    reintento_maximo: int = 3600
    plazo_reintentos: int = 86_400

    @classmethod
    def desde(cls, entorno: Mapping[str, str]) -> Settings:
        def obligatorio(nombre: str) -> str:
            valor = entorno.get(nombre, "").strip()
            if not valor:
                raise RuntimeError(f"Falta la variable de entorno {nombre}")
            return valor

        def entero(nombre: str, defecto: int, minimo: int) -> int:
            texto = entorno.get(nombre, "").strip()
            try:
                valor = int(texto) if texto else defecto
            except ValueError:
                raise RuntimeError(f"{nombre} debe ser un entero") from None
            if valor < minimo:
                raise RuntimeError(f"{nombre} debe ser al menos {minimo}")
            return valor

        def tasa(nombre: str, defecto: Decimal) -> Decimal:
            texto = entorno.get(nombre, "").strip()
            try:
                valor = Decimal(texto) if texto else defecto
            except InvalidOperation:
                raise RuntimeError(f"{nombre} debe ser un decimal") from None
            if not valor.is_finite() or not 0 <= valor <= 1:
                raise RuntimeError(f"{nombre} debe estar entre 0 y 1")
            return valor

        return cls(
            tabla=obligatorio("MONITOR_TABLE"),
            secreto_jwt=obligatorio("MONITOR_JWT_SECRET_ID"),
            bucket=entorno.get("MONITOR_BUCKET", ""),
            emisor=entorno.get("MONITOR_JWT_ISSUER") or cls.emisor,
            audiencia=entorno.get("MONITOR_JWT_AUDIENCE") or cls.audiencia,
            ttl_token=entero("MONITOR_TOKEN_TTL", cls.ttl_token, 60),
            ttl_token_cliente=entero("MONITOR_CLIENT_TOKEN_TTL", cls.ttl_token_cliente, 60),
            ttl_claves=entero("MONITOR_SIGNING_KEYS_TTL", cls.ttl_claves, 0),
            endpoint_dynamodb=entorno.get("DYNAMODB_ENDPOINT_URL") or None,
            max_cuerpo=entero("MONITOR_MAX_BODY_BYTES", cls.max_cuerpo, 1024),
            zona_horaria=entorno.get("MONITOR_ZONA_HORARIA", "").strip() or cls.zona_horaria,
            tasa_iva=tasa("MONITOR_IVA_TASA", cls.tasa_iva),
            bus_eventos=entorno.get("MONITOR_EVENT_BUS", ""),
            cola_entregas=entorno.get("MONITOR_DELIVERY_QUEUE_URL", ""),
            cola_entregas_dlq=entorno.get("MONITOR_DELIVERY_DLQ_URL", ""),
            config_correo=entorno.get("MONITOR_MAIL_CONFIG", ""),
            webhook_loopback=entorno.get("MONITOR_WEBHOOK_ALLOW_LOOPBACK", "").strip().lower() in ("1", "true"),
            timeout_webhook=entero("MONITOR_WEBHOOK_TIMEOUT", cls.timeout_webhook, 1),
            reintento_base=entero("MONITOR_WEBHOOK_RETRY_BASE", cls.reintento_base, 0),
            reintento_maximo=entero("MONITOR_WEBHOOK_RETRY_MAX", cls.reintento_maximo, 0),
            plazo_reintentos=entero("MONITOR_WEBHOOK_RETRY_WINDOW", cls.plazo_reintentos, 0),
        )


@functools.cache
def settings() -> Settings:
    return Settings.desde(os.environ)


def origenes_cors(entorno: Mapping[str, str] = os.environ) -> tuple[str, ...]:
    """The browser origins CORS allows (MONITOR_CORS_ORIGINS, comma-separated: the stack's CorsAllowedOrigins).
    Apart from `settings()`: the resolver reads it as it is built, and needs none of the resource names."""
    return tuple(origen.strip() for origen in entorno.get("MONITOR_CORS_ORIGINS", "").split(",") if origen.strip())
