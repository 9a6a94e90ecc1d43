"""The cycle report's arithmetic, free of I/O (docs/reportes.md defines each figure).

Days are whole calendar days in the shop's time zone: a unit received on the 1st and delivered on the 15th
stayed 14 days, whatever the hours. Each stage runs from the day the unit first entered it to the day it
first entered the next one; the keys-to-keys count runs from `fecha_ingreso` (the day the shop received the
keys) to the day it first entered Salida, so the stages of a unit add up to its keys-to-keys days.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from monitor.core import dates
from monitor.core.table import entero
from monitor.expedientes.campos import Estado

ETAPAS = (Estado.INGRESO, Estado.RESTAURACION, Estado.PENDIENTE_DE_SALIDA)  # Salida ends the cycle
CENTESIMOS = Decimal("0.01")


@dataclass(frozen=True)
class Unidad:
    """One delivered unit as the cycle report counts it."""

    no_siniestro: str
    id_aseguradora: int | None
    ingreso: date | None
    entrega: date
    dias: int | None  # keys to keys
    por_etapa: dict[str, int | None]


def _dia(valor: Any) -> date | None:
    return dates.dia_local(str(valor)) if valor else None


def unidad(item: Mapping[str, Any]) -> Unidad:
    """From an `Entregas` index item: the expediente's no_siniestro, id_aseguradora, fecha_ingreso and hitos."""
    hitos: Mapping[str, Any] = item.get("hitos") or {}
    entrega = dates.dia_local(str(hitos[Estado.SALIDA.value]))
    ingreso = _dia(item.get("fecha_ingreso")) or _dia(hitos.get(Estado.INGRESO.value))
    inicios = [ingreso, *(_dia(hitos.get(etapa.value)) for etapa in ETAPAS[1:]), entrega]
    por_etapa = {
        etapa.value: (fin - inicio).days if inicio is not None and fin is not None else None
        for etapa, inicio, fin in zip(ETAPAS, inicios, inicios[1:], strict=False)
    }
    return Unidad(
        no_siniestro=str(item["no_siniestro"]),
        id_aseguradora=entero(item.get("id_aseguradora")),
        ingreso=ingreso,
        entrega=entrega,
        dias=(entrega - ingreso).days if ingreso is not None else None,
        por_etapa=por_etapa,
    )


def redondear(valor: Decimal) -> Decimal:
    return valor.quantize(CENTESIMOS, rounding=ROUND_HALF_UP)


def promedio(valores: Sequence[int]) -> Decimal | None:
    return redondear(Decimal(sum(valores)) / len(valores)) if valores else None


def mediana(valores: Sequence[int]) -> Decimal | None:
    """The middle value; with an even count, the mean of the two middle ones (so it may end in .5)."""
    if not valores:
        return None
    orden = sorted(valores)
    mitad = len(orden) // 2
    if len(orden) % 2:
        return Decimal(orden[mitad])
    return redondear(Decimal(orden[mitad - 1] + orden[mitad]) / 2)


def p90(valores: Sequence[int]) -> int | None:
    """Nearest rank: the smallest value at least 90 % of the units do not exceed (always a real unit's)."""
    if not valores:
        return None
    orden = sorted(valores)
    return orden[math.ceil(0.9 * len(orden)) - 1]


def resumen(unidades: Sequence[Unidad]) -> dict[str, Any]:
    dias = [u.dias for u in unidades if u.dias is not None]
    etapas = {}
    for etapa in ETAPAS:
        valores = [d for u in unidades if (d := u.por_etapa[etapa.value]) is not None]
        etapas[etapa.value] = {"promedio": promedio(valores), "unidades": len(valores)}
    return {
        "unidades": len(unidades),
        "dias_llave_a_llave": {"promedio": promedio(dias), "mediana": mediana(dias), "p90": p90(dias)},
        "dias_por_etapa": etapas,
    }


def por_aseguradora(unidades: Sequence[Unidad]) -> list[dict[str, Any]]:
    """One summary per insurer (ids ascending, units without one last, as `id_aseguradora: null`)."""
    grupos: dict[int | None, list[Unidad]] = {}
    for u in unidades:
        grupos.setdefault(u.id_aseguradora, []).append(u)
    ordenados = sorted(grupos, key=lambda i: (i is None, i or 0))
    return [{"id_aseguradora": i, **resumen(grupos[i])} for i in ordenados]
