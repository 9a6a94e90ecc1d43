"""Tokens: HS256 JWTs signed with keys kept in Secrets Manager, rotated by `kid`.

Only HMAC is used, so PyJWT never needs (or imports) `cryptography`.
"""

from __future__ import annotations

import time
from typing import Any

from monitor.core import signing
from monitor.core.settings import settings
from monitor.usuarios.campos import Rol

ALGORITMO = "HS256"
HOLGURA_SEGUNDOS = 10


class TokenInvalido(Exception):
    """The token cannot be trusted; the reason is for logs only, never for the caller."""


def precargar_tokens() -> None:
    """At init, for the functions whose every request signs or verifies a token: PyJWT and the Parameters
    utility are imported now rather than by the first request (the rest only import them if they must)."""
    import jwt  # noqa: F401
    from aws_lambda_powertools.utilities import parameters  # noqa: F401


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
        Rol(str(claims.get("rol")))
    except ValueError:
        raise TokenInvalido("rol desconocido") from None
    return claims
