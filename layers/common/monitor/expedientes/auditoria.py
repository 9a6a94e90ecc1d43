"""Field-level change history: one entry per successful write of the expediente or of one of its
sub-resources (`recurso`), written in the same transaction as the change."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from monitor.core import cursors, keys
from monitor.expedientes import servicio as expedientes


def _valor(valor: Any) -> Any:
    """DynamoDB gives numbers back as Decimal: whole ones (ids, versions) leave as int, amounts keep their cents."""
    if isinstance(valor, Decimal) and valor == valor.to_integral_value():
        return int(valor)
    return valor


def a_respuesta(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "fecha": item["fecha"],
        "recurso": item.get("recurso", "expediente"),
        "usuario": expedientes.persona_a_respuesta(item.get("usuario")),
        "cambios": [
            {"campo": c["campo"], "anterior": _valor(c.get("anterior")), "nuevo": _valor(c.get("nuevo"))}
            for c in item.get("cambios", [])
        ],
    }


def listar(no_siniestro: str, *, limite: int, cursor: str | None) -> dict[str, Any]:
    items, ultima, alcance = expedientes.listar_coleccion(
        no_siniestro, keys.PREFIJO_AUDITORIA, ruta="GET /api/expedientes/auditoria", limite=limite, cursor=cursor
    )
    return cursors.pagina([a_respuesta(i) for i in items], ultima, alcance)
