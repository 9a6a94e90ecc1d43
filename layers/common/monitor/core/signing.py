"""The HS256 signing keys kept in Secrets Manager (`{"kid", "key", "previous": [...]}`), cached for
`MONITOR_SIGNING_KEYS_TTL` seconds, and the per-purpose keys derived from the current one."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from monitor.core.settings import settings


def claves_firma() -> dict[str, Any]:
    """{"kid": current id, "key": current key, "previous": [{"kid","key"}...]} from Secrets Manager."""
    from aws_lambda_powertools.utilities import parameters

    secreto = parameters.get_secret(settings().secreto_jwt, transform="json", max_age=settings().ttl_claves)
    if not isinstance(secreto, dict) or "key" not in secreto or "kid" not in secreto:
        raise RuntimeError("El secreto de firma no tiene el formato {kid, key}")
    return secreto


def clave_por_kid(kid: str) -> str | None:
    secreto = claves_firma()
    if secreto["kid"] == kid:
        return str(secreto["key"])
    for anterior in secreto.get("previous", []) or []:
        if anterior.get("kid") == kid:
            return str(anterior["key"])
    return None


def clave_derivada(proposito: str) -> bytes:
    """Per-purpose keys (pagination cursors) derived from the current signing key."""
    return hmac.new(str(claves_firma()["key"]).encode(), proposito.encode(), hashlib.sha256).digest()
