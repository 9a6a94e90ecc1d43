"""Insurer platforms' machine clients: credentials shown once, the secret stored hashed, a signing
key for webhook bodies, and `exigir_firma` chosen by the administrator.

`POST /api/auth/token` takes the credentials as JSON (`{"client_id","client_secret"}` →
`{"token","expires_in"}`) or as a standard OAuth 2.0 client-credentials request (form body, secret in
the body or in HTTP Basic) → `{"access_token","token_type","expires_in"}`.
"""

import base64
import binascii
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import parse_qs, unquote

from pydantic import BaseModel, Field, ValidationError

from monitor.aseguradoras import servicio as aseguradoras
from monitor.auth.tokens import emitir_token
from monitor.core import jsoncodec, keys, passwords, table
from monitor.core.dates import ahora
from monitor.core.errors import CondicionFallida, NoAutenticado, NoEncontrado, SolicitudInvalida, TransaccionCancelada
from monitor.core.observability import logger
from monitor.core.settings import settings
from monitor.core.validation import detalles_de_validacion
from monitor.usuarios.campos import Rol

if TYPE_CHECKING:
    from monitor.auth.modelos import ClienteNuevo

# The only answer that ever shows `client_secret` and `hmac_key` (auth.respuestas.ClienteCreado documents it).
CAMPOS_CREADO = ("client_id", "client_secret", "hmac_key", "nombre", "id_aseguradora", "exigir_firma")

CREDENCIALES_INVALIDAS = "Credenciales de cliente inválidas"
FORMULARIO = "application/x-www-form-urlencoded"


class CredencialesCliente(BaseModel):
    """Validated by `leer_solicitud`, not by a route (one route takes JSON or a form): built at import."""

    client_id: Annotated[str, Field(min_length=1, max_length=128)]
    client_secret: Annotated[str, Field(min_length=1, max_length=256)]


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
        "hash": passwords.hashear(client_secret),
        "activo": True,
        "version_token": 1,
        "creado_en": ahora(),
    }
    transaccion = table.Transaccion()
    aseguradoras.comprobar_existe(transaccion, id_aseguradora)
    transaccion.put("cliente", item, "attribute_not_exists(PK)")
    try:
        transaccion.ejecutar(token=str(uuid.uuid4()))
    except TransaccionCancelada as exc:
        existente = exc.item("cliente")
        if exc.fallo("cliente") and existente is not None and existente.get("hash") == item["hash"]:
            return {**item, "client_secret": client_secret}  # our own write, retried by the SDK
        if exc.fallo(aseguradoras.PASO):
            raise aseguradoras.inexistente() from None
        raise
    logger.info("Cliente de integración creado", extra={"client_id": client_id, "id_aseguradora": id_aseguradora})
    return {**item, "client_secret": client_secret}


def crear_desde(datos: "ClienteNuevo") -> dict[str, Any]:
    item = crear(nombre=datos.nombre, id_aseguradora=datos.id_aseguradora, exigir_firma=datos.exigir_firma)
    return {campo: item[campo] for campo in CAMPOS_CREADO}


def obtener(client_id: str) -> dict[str, Any] | None:
    return table.get(keys.cliente(client_id))


def desactivar(client_id: str) -> None:
    """Its tokens fail at the authorizer from the next request (version bump plus `activo` false)."""
    try:
        table.update(
            keys.cliente(client_id),
            "SET activo = :no, version_token = version_token + :uno, actualizado_en = :ahora",
            {":no": False, ":uno": 1, ":ahora": ahora()},
            condicion="attribute_exists(PK)",
        )
    except CondicionFallida:
        raise NoEncontrado("Cliente de integración no encontrado") from None


def emitir(credenciales: CredencialesCliente) -> dict[str, Any]:
    """Client credentials → token; unknown, inactive and wrong secret cost the same and answer the same."""
    item = obtener(credenciales.client_id)
    almacenado = item["hash"] if item else passwords.hash_senuelo()
    correcta = passwords.verificar(credenciales.client_secret, almacenado)
    if not (item and correcta and item.get("activo", False)):
        logger.info("Credenciales de cliente rechazadas", extra={"existe": item is not None})
        raise NoAutenticado(CREDENCIALES_INVALIDAS)
    ttl = settings().ttl_token_cliente
    token = emitir_token(
        sub=item["client_id"],
        username=item["client_id"],
        rol=Rol.INTEGRACION,
        version=int(item["version_token"]),
        ttl=ttl,
        id_aseguradora=int(item["id_aseguradora"]),
    )
    logger.info("Token de cliente emitido", extra={"client_id": item["client_id"]})
    return {"token": token, "expires_in": ttl}


# ---- request parsing for POST /api/auth/token (JSON, OAuth form, HTTP Basic)
@dataclass(frozen=True)
class SolicitudToken:
    credenciales: CredencialesCliente
    oauth: bool


def _basic(authorization: str | None) -> tuple[str, str] | None:
    """RFC 6749 §2.3.1: Basic base64(urlencode(id):urlencode(secret))."""
    esquema, _, valor = (authorization or "").partition(" ")
    if esquema.lower() != "basic":
        return None
    try:
        texto = base64.b64decode(valor.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise NoAutenticado(CREDENCIALES_INVALIDAS) from None
    client_id, separador, client_secret = texto.partition(":")
    if not separador:
        raise NoAutenticado(CREDENCIALES_INVALIDAS)
    return unquote(client_id), unquote(client_secret)


def _validar(datos: Mapping[str, Any]) -> CredencialesCliente:
    try:
        return CredencialesCliente.model_validate(dict(datos))
    except ValidationError as exc:
        mensaje, detalles = detalles_de_validacion(list(exc.errors()))
        raise SolicitudInvalida(mensaje, detalles=detalles) from None


def leer_solicitud(content_type: str | None, cuerpo: str | None, authorization: str | None) -> SolicitudToken:
    basic = _basic(authorization)
    if (content_type or "").split(";")[0].strip().lower() == FORMULARIO:
        formulario = {k: v[-1] for k, v in parse_qs(cuerpo or "", keep_blank_values=True).items()}
        grant = formulario.get("grant_type")
        if grant != "client_credentials":
            raise SolicitudInvalida(
                "grant_type no soportado" if grant else "grant_type es obligatorio",
                detalles=[{"campo": "grant_type", "mensaje": "Debe ser client_credentials"}],
            )
        if basic:
            formulario["client_id"], formulario["client_secret"] = basic
        return SolicitudToken(_validar(formulario), oauth=True)
    if basic and not (cuerpo or "").strip():
        return SolicitudToken(_validar({"client_id": basic[0], "client_secret": basic[1]}), oauth=True)
    try:
        datos = jsoncodec.loads(cuerpo or "")
    except ValueError as exc:  # jsoncodec's refusals (absurd numbers, nesting) say why in `msg`
        motivo = getattr(exc, "msg", None)
        motivo = motivo if motivo in (jsoncodec.ANIDAMIENTO, jsoncodec.NUMERO_FUERA_DE_RANGO) else None
        raise SolicitudInvalida(
            "El cuerpo no es JSON válido",
            detalles=[{"campo": "body", "mensaje": motivo or "El cuerpo no es JSON válido"}],
        ) from None
    if not isinstance(datos, dict):
        raise SolicitudInvalida("Datos inválidos", detalles=[{"campo": "body", "mensaje": "Debe ser un objeto"}])
    if basic:
        datos = {**datos, "client_id": basic[0], "client_secret": basic[1]}
    return SolicitudToken(_validar(datos), oauth=False)


def intercambiar(solicitud: SolicitudToken) -> dict[str, Any]:
    emitido = emitir(solicitud.credenciales)
    if solicitud.oauth:
        return {"access_token": emitido["token"], "token_type": "Bearer", "expires_in": emitido["expires_in"]}
    return emitido
