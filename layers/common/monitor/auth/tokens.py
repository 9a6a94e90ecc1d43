"""Tokens: HS256 JWTs signed with keys kept in Secrets Manager, rotated by `kid`.

Only HMAC is used, so PyJWT never needs (or imports) `cryptography`.
"""

from __future__ import annotations

import re
import time
from typing import Any

from monitor.core import signing
from monitor.core.settings import settings
from monitor.usuarios.campos import Rol

ALGORITMO = "HS256"
HOLGURA_SEGUNDOS = 10
_SUB_USUARIO = re.compile(r"[1-9][0-9]{0,11}")  # a user id as `emitir_token` writes it, ASCII only


class TokenInvalido(Exception):
    """The token cannot be trusted; the reason is for logs only, never for the caller."""


def emitir_token(
    *,
    sub: str,
    username: str,
    rol: Rol,
    version: int,
    ttl: int,
    id_aseguradora: int | None = None,
) -> str:
    import jwt

    secreto = signing.claves_firma()
    ahora = int(time.time())
    claims: dict[str, Any] = {
        "sub": sub,
        "username": username,
        "rol": rol.value,
        "ver": version,
        "iat": ahora,
        "nbf": ahora,
        "exp": ahora + ttl,
        "iss": settings().emisor,
        "aud": settings().audiencia,
    }
    if id_aseguradora is not None:
        claims["id_aseguradora"] = id_aseguradora
    return jwt.encode(claims, str(secreto["key"]), algorithm=ALGORITMO, headers={"kid": secreto["kid"]})


def verificar_token(token: str) -> dict[str, Any]:
    """Signature, algorithm, kid, exp/nbf/iat/iss/aud; raises TokenInvalido with the reason."""
    import jwt

    try:
        cabecera = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise TokenInvalido(f"cabecera ilegible: {type(exc).__name__}") from None
    if cabecera.get("alg") != ALGORITMO:
        raise TokenInvalido("algoritmo no permitido")
    kid = cabecera.get("kid")
    clave = signing.clave_por_kid(kid) if isinstance(kid, str) else None
    if clave is None:
        raise TokenInvalido("kid desconocido")
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            clave,
            algorithms=[ALGORITMO],
            audience=settings().audiencia,
            issuer=settings().emisor,
            leeway=HOLGURA_SEGUNDOS,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        )
    except jwt.PyJWTError as exc:
        raise TokenInvalido(type(exc).__name__) from None
    try:
        rol = Rol(str(claims.get("rol")))
    except ValueError:
        raise TokenInvalido("rol desconocido") from None
    _tipos_estrictos(claims, rol)
    return claims


def _entero(valor: Any) -> bool:
    return type(valor) is int


def _tipos_estrictos(claims: dict[str, Any], rol: Rol) -> None:
    """What PyJWT lets through and we never issue: time claims as strings, floats or booleans (it converts
    them), a `sub` that only looks like our user id (leading zeros, non-ASCII digits), a `ver` that is not an
    integer, and a lifetime longer than this deployment gives its kind of token."""
    for nombre in ("exp", "iat", "nbf"):
        if nombre in claims and not _entero(claims[nombre]):
            raise TokenInvalido(f"{nombre} no es un entero")
    if not _entero(claims.get("ver")):
        raise TokenInvalido("ver no es un entero")
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub:
        raise TokenInvalido("sub no es texto")
    if rol != Rol.INTEGRACION and not _SUB_USUARIO.fullmatch(sub):
        raise TokenInvalido("sub no es un id de usuario canónico")
    vida = settings().ttl_token_cliente if rol == Rol.INTEGRACION else settings().ttl_token
    if claims["exp"] - claims["iat"] > vida + HOLGURA_SEGUNDOS:
        raise TokenInvalido("vida del token mayor que la configurada")
