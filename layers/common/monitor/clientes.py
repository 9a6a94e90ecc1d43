"""Insurer platforms' machine clients: credentials shown once, the secret stored hashed, a signing
key for webhook bodies, and `exigir_firma` chosen by the administrator."""

from __future__ import annotations

import secrets
from typing import Any

from monitor import aseguradoras, contrasenas, keys, tabla
from monitor.auth import Rol
from monitor.errors import SolicitudInvalida, TransaccionCancelada
from monitor.fechas import ahora


def crear(*, nombre: str, id_aseguradora: int, exigir_firma: bool = True) -> dict[str, Any]:
    """Returns the item plus the plaintext `client_secret`, which is never stored or shown again."""
    client_id = "cli_" + secrets.token_hex(12)
    client_secret = secrets.token_urlsafe(32)
    item = {
        **keys.cliente(client_id),
        "tipo": "cliente",
        "client_id": client_id,
        "nombre": nombre,
        "username": client_id,
        "rol": Rol.INTEGRACION.value,
        "id_aseguradora": id_aseguradora,
        "exigir_firma": exigir_firma,
        "hmac_key": secrets.token_hex(32),
        "hash": contrasenas.hashear(client_secret),
        "activo": True,
        "version_token": 1,
        "creado_en": ahora(),
    }
    try:
        tabla.transaccion(
            [
                aseguradoras.condicion_existe(id_aseguradora),
                tabla.op_put(item, "attribute_not_exists(PK)"),
            ]
        )
    except TransaccionCancelada as exc:
        if exc.fallo(0):
            raise SolicitudInvalida(
                "La aseguradora no existe",
                detalles=[{"campo": "id_aseguradora", "mensaje": "No existe una aseguradora con ese id"}],
            ) from None
        raise
    return {**item, "client_secret": client_secret}


def obtener(client_id: str) -> dict[str, Any] | None:
    return tabla.get(keys.cliente(client_id))
