"""GET /api/reportes/produccion: the morning board. Three Queries whatever the table holds (docs/reportes.md):
the unit counters, the overdue end of the `Taller` index (one more per further page), and the claims that
received orders before their expediente existed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from monitor.core import dates, keys, table
from monitor.core.settings import settings
from monitor.core.table import entero
from monitor.expedientes.campos import Estado
from monitor.reportes import agregados

# Items per Query page: a page of the report indexes (a few hundred bytes per unit) stays well under DynamoDB's
# 1 MB, so the number of requests is a plain function of the units read (docs/data-model.md).
TAMANO_PAGINA = 1000
EN_TALLER = (Estado.INGRESO, Estado.RESTAURACION, Estado.PENDIENTE_DE_SALIDA)


def _conteos() -> dict[int | None, dict[str, int]]:
    """Insurer (None: without one) → state → units, adding up the counter fragments."""
    items = table.query_todo(
        "PK = :pk AND begins_with(SK, :prefijo)", {":pk": keys.PRODUCCION, ":prefijo": keys.PREFIJO_UNIDADES}
    )
    conteos: dict[int | None, dict[str, int]] = {}
    for item in items:
        estado, aseguradora, _fragmento = item["SK"].removeprefix(keys.PREFIJO_UNIDADES).split("#")
        id_aseguradora = None if aseguradora == keys.SIN_ASEGURADORA else int(aseguradora)
        por_estado = conteos.setdefault(id_aseguradora, dict.fromkeys(Estado, 0))
        por_estado[estado] = por_estado.get(estado, 0) + int(item.get("unidades", 0))
    return conteos


def _grupo(por_estado: Mapping[str, int]) -> dict[str, Any]:
    return {
        "por_estado": {e.value: por_estado.get(e, 0) for e in Estado},
        "en_taller": sum(por_estado.get(e, 0) for e in EN_TALLER),
    }


def _atrasada(item: Mapping[str, Any], hoy: date) -> dict[str, Any]:
    return {
        "no_siniestro": item["no_siniestro"],
        "nombre_cliente": item.get("nombre_cliente"),
        "placas": item.get("placas"),
        "id_aseguradora": entero(item.get("id_aseguradora")),
        "estado": item["estado"],
        "fecha_entrega": item["fecha_entrega"],
        "dias_atraso": (hoy - dates.dia_local(str(item["fecha_entrega"]))).days,
    }


def _atrasadas(hoy: date) -> list[dict[str, Any]]:
    """Promised before today's start in the shop's zone and not in Salida: the head of `Taller`, oldest first."""
    items = table.query_todo(
        "TallerPK = :pk AND TallerSK < :hoy",
        {":pk": keys.EN_TALLER, ":hoy": dates.inicio_dia(hoy)},
        indice="Taller",
        limite=TAMANO_PAGINA,
    )
    return [_atrasada(i, hoy) for i in items]


def _ordenes_sin_expediente() -> list[dict[str, Any]]:
    items = table.query_todo("GSI1PK = :pk", {":pk": keys.ORDENES_SIN_EXPEDIENTE}, indice="GSI1", limite=TAMANO_PAGINA)
    ordenes = [
        {"no_siniestro": item["no_siniestro"], **agregados.leer_elemento(elemento)}
        for item in items
        for elemento in item.get(agregados.ORDENES) or ()
    ]
    return sorted(ordenes, key=lambda o: (o["recibida_en"], o["serviceOrderId"]))


def tablero() -> dict[str, Any]:
    hoy = dates.hoy()
    conteos = _conteos()
    total = {e.value: sum(c.get(e, 0) for c in conteos.values()) for e in Estado}
    aseguradoras = sorted((i for i, c in conteos.items() if any(c.values())), key=lambda i: (i is None, i or 0))
    return {
        "fecha": hoy.isoformat(),
        "zona_horaria": settings().zona_horaria,
        **_grupo(total),
        "por_aseguradora": [{"id_aseguradora": i, **_grupo(conteos[i])} for i in aseguradoras],
        "atrasadas": _atrasadas(hoy),
        "ordenes_sin_expediente": _ordenes_sin_expediente(),
    }
