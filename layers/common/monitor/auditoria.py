"""Field-level change history: one entry per successful PUT, written in the same transaction."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from monitor import cursores, expedientes, keys


def _valor(valor: Any) -> Any:
    return int(valor) if isinstance(valor, Decimal) else valor


def publica(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "fecha": item["fecha"],
        "usuario": {k: _valor(v) for k, v in (item.get("usuario") or {}).items()},
        "cambios": [
            {"campo": c["campo"], "anterior": _valor(c.get("anterior")), "nuevo": _valor(c.get("nuevo"))}
            for c in item.get("cambios", [])
        ],
    }


def listar(no_siniestro: str, *, limite: int, cursor: str | None) -> dict[str, Any]:
    items, ultima, alcance = expedientes.listar_coleccion(
        no_siniestro, keys.PREFIJO_AUDITORIA, ruta="GET /api/expedientes/auditoria", limite=limite, cursor=cursor
    )
    return cursores.pagina([publica(i) for i in items], ultima, alcance)
