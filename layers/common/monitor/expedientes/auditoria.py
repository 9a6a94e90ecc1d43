"""Field-level change history: one entry per successful write of the expediente or of one of its
sub-resources (`recurso`), written in the same transaction as the change."""

from __future__ import annotations

from typing import Any

from monitor.core import cursors, keys
from monitor.core.table import entero
from monitor.expedientes import servicio as expedientes


def a_respuesta(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "fecha": item["fecha"],
        "recurso": item.get("recurso", "expediente"),
        "usuario": {k: entero(v) for k, v in (item.get("usuario") or {}).items()},
        "cambios": [
            {"campo": c["campo"], "anterior": entero(c.get("anterior")), "nuevo": entero(c.get("nuevo"))}
            for c in item.get("cambios", [])
        ],
    }


def listar(no_siniestro: str, *, limite: int, cursor: str | None) -> dict[str, Any]:
    items, ultima, alcance = expedientes.listar_coleccion(
        no_siniestro, keys.PREFIJO_AUDITORIA, ruta="GET /api/expedientes/auditoria", limite=limite, cursor=cursor
    )
    return cursors.pagina([a_respuesta(i) for i in items], ultima, alcance)
