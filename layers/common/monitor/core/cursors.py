"""Opaque, tamper-evident pagination cursors: the last key, signed for one listing only."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from decimal import Decimal
from typing import Any

from monitor.core.errors import SolicitudInvalida
from monitor.core.signing import clave_derivada

LIMITE_POR_DEFECTO = 50
LIMITE_MAXIMO = 100
# base64url payload "." base64url signature; anything else is refused before it reaches the HMAC.
_FORMA = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


def _b64(datos: bytes) -> str:
    return base64.urlsafe_b64encode(datos).rstrip(b"=").decode()


def _desde_b64(texto: str) -> bytes:
    return base64.urlsafe_b64decode(texto + "=" * (-len(texto) % 4))


def _firma(alcance: str, carga: str) -> str:
    mac = hmac.new(clave_derivada("cursor"), f"{alcance}\n{carga}".encode(), hashlib.sha256)
    return _b64(mac.digest()[:18])


def _json_clave(valor: Any) -> Any:
    if isinstance(valor, Decimal):
        return {"n": str(valor)}
    return valor


def alcance(ruta: str, **filtros: Any) -> str:
    """What a cursor is signed for: the listing's route and every filter (`GET /api/x?a=1&b=`), so a cursor
    is refused on another route, another expediente or another filter."""
    return (
        ruta + "?" + "&".join(f"{nombre}={'' if valor is None else valor}" for nombre, valor in sorted(filtros.items()))
    )


INVALIDO = "Cursor inválido"


def invalido() -> SolicitudInvalida:
    return SolicitudInvalida(INVALIDO, detalles=[{"campo": "cursor", "mensaje": "Cursor inválido o de otra consulta"}])


def codificar(ultima: dict[str, Any] | None, alcance: str) -> str | None:
    """`alcance` names the listing (`alcance(...)`), so a cursor cannot be replayed elsewhere."""
    if not ultima:
        return None
    carga = _b64(
        json.dumps({k: _json_clave(v) for k, v in ultima.items()}, separators=(",", ":"), sort_keys=True).encode()
    )
    return f"{carga}.{_firma(alcance, carga)}"


def decodificar(cursor: str | None, alcance: str) -> dict[str, Any] | None:
    if not cursor:
        return None
    if len(cursor) > 2048 or not _FORMA.fullmatch(cursor):
        raise invalido()
    carga, _, firma = cursor.partition(".")
    if not hmac.compare_digest(firma, _firma(alcance, carga)):
        raise invalido()
    try:
        datos = json.loads(_desde_b64(carga))
    except (ValueError, UnicodeDecodeError):
        raise invalido() from None
    if not isinstance(datos, dict):
        raise invalido()
    return {k: Decimal(v["n"]) if isinstance(v, dict) else v for k, v in datos.items()}


def limite(valor: int | None) -> int:
    return LIMITE_POR_DEFECTO if valor is None else valor


def pagina(items: list[Any], ultima: dict[str, Any] | None, alcance: str) -> dict[str, Any]:
    return {"items": items, "next_cursor": codificar(ultima, alcance)}
