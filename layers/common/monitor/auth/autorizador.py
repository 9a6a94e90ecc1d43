"""Decides whether a bearer token may call the API, and who the caller is.

One GetItem per decision: the user (or client) must still exist, be active, hold the role the token
names and have the token's version, so deactivation, role changes and password changes revoke
tokens as soon as API Gateway's authorizer cache lets the request through to us.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools.utilities.data_classes.api_gateway_authorizer_event import (
    APIGatewayAuthorizerResponse,
    APIGatewayAuthorizerTokenEvent,
)

from monitor.auth.roles import Principal
from monitor.auth.tokens import TokenInvalido, verificar_token
from monitor.core import keys, table
from monitor.core.metrics import Metrica
from monitor.core.observability import contar, logger
from monitor.usuarios.campos import Rol

MAX_TOKEN = 4096


def extraer_token(cabecera: str | None) -> str:
    """`Bearer <jwt>` only (the gateway's ValidationExpression says the same; checked again here)."""
    esquema, _, token = (cabecera or "").strip().partition(" ")
    token = token.strip()
    if esquema != "Bearer" or not token:
        raise TokenInvalido("cabecera sin Bearer")
    if len(token) > MAX_TOKEN or token.count(".") != 2:
        raise TokenInvalido("token con forma inválida")
    return token


def autenticar(token: str) -> Principal:
    """Valid signature and claims, and the user or client still active with a current token version."""
    claims = verificar_token(token)
    rol = Rol(claims["rol"])
    sub = claims.get("sub")
    version = claims.get("ver")
    if not isinstance(sub, str) or not sub or not isinstance(version, int) or isinstance(version, bool):
        raise TokenInvalido("sub o ver con tipo inválido")
    # A user's `sub` is canonical ASCII digits (`verificar_token` checked it).
    item = table.get(keys.cliente(sub)) if rol == Rol.INTEGRACION else table.get(keys.usuario(int(sub)))
    if item is None:
        raise TokenInvalido("titular inexistente")
    if item.get("activo") is not True:
        raise TokenInvalido("titular inactivo")
    if int(item.get("version_token", 0)) != version:
        raise TokenInvalido("versión de token revocada")
    if str(item.get("rol")) != rol.value:
        raise TokenInvalido("rol cambiado")
    id_aseguradora = item.get("id_aseguradora") if rol == Rol.INTEGRACION else None
    if rol == Rol.INTEGRACION and id_aseguradora is None:
        raise TokenInvalido("cliente sin aseguradora")
    return Principal(
        id=sub,
        username=str(item.get("username") or sub),
        rol=rol,
        id_aseguradora=int(id_aseguradora) if id_aseguradora is not None else None,
        nombre=str(item["nombre"]) if item.get("nombre") else None,
    )


def contexto(principal: Principal) -> dict[str, Any]:
    """Authorizer context: strings and numbers only, as API Gateway requires. `nombre` rides along so every
    write can store the caller's name beside its id without reading the user again."""
    datos: dict[str, Any] = {"username": principal.username, "rol": principal.rol.value}
    if principal.nombre:
        datos["nombre"] = principal.nombre
    if principal.id_aseguradora is not None:
        datos["id_aseguradora"] = principal.id_aseguradora
    return datos


def decidir(evento: Mapping[str, Any]) -> dict[str, Any]:
    """The policy for one TOKEN request: Allow for the whole stage with the caller in the context, or Deny
    (which API Gateway answers with its 401). An outage raises instead: a 5XX, never a wrong Deny."""
    solicitud = APIGatewayAuthorizerTokenEvent(dict(evento))
    try:
        principal = autenticar(extraer_token(solicitud.authorization_token))
    except TokenInvalido as exc:
        contar(Metrica.TOKEN_RECHAZADO)
        logger.info("Token rechazado", extra={"motivo": str(exc)})
        denegar = _politica(solicitud, "anonimo")
        denegar.deny_all_routes()
        return denegar.asdict()
    logger.info("Token aceptado", extra={"caller": principal.id, "rol": principal.rol.value})
    permitir = _politica(solicitud, principal.id, contexto(principal))
    permitir.allow_all_routes()
    return permitir.asdict()


def _politica(
    solicitud: APIGatewayAuthorizerTokenEvent, principal_id: str, datos: dict[str, Any] | None = None
) -> APIGatewayAuthorizerResponse:
    arn = solicitud.parsed_arn
    return APIGatewayAuthorizerResponse(
        principal_id=principal_id,
        region=arn.region,
        aws_account_id=arn.aws_account_id,
        api_id=arn.api_id,
        stage=arn.stage,
        context=datos,
    )
