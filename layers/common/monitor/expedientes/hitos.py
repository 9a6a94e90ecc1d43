"""Milestones (`hitos`): when an expediente first entered each state and first reached each step the shop
and the insurers follow. Kept on the expediente's item, written by the same transaction as the change that
reaches them, never moved once set (a reopened unit keeps its first delivery).

The map holds a state's name (`"Ingreso"`, ..., `"Salida"`) or a milestone's (`Hito`) → the server time of
the write that reached it first (ISO 8601 UTC). Events and reports read the same map.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from monitor.expedientes.campos import Estado


class Hito(StrEnum):
    VALUACION_AUTORIZADA = "valuacion_autorizada"
    REFACCIONES_COMPLETAS = "refacciones_completas"
    EN_REPARACION = "en_reparacion"
    LISTA_PARA_ENTREGA = "lista_para_entrega"
    ENTREGADA = "entregada"


# A milestone is reached when its field is first set, or when the unit first enters its state.
POR_CAMPO = {"fecha_autorizacion": Hito.VALUACION_AUTORIZADA, "fecha_pzas_completas": Hito.REFACCIONES_COMPLETAS}
POR_ESTADO = {
    Estado.RESTAURACION: Hito.EN_REPARACION,
    Estado.PENDIENTE_DE_SALIDA: Hito.LISTA_PARA_ENTREGA,
    Estado.SALIDA: Hito.ENTREGADA,
}
# The customer's four follow-up steps of the shop's expediente form (dato1..dato4), in order.
SEGUIMIENTO_CLIENTE = (
    Hito.VALUACION_AUTORIZADA,
    Hito.REFACCIONES_COMPLETAS,
    Hito.EN_REPARACION,
    Hito.LISTA_PARA_ENTREGA,
)


def alcanzados(antes: Mapping[str, Any] | None, despues: Mapping[str, Any], momento: str) -> dict[str, str]:
    """What the change from `antes` (None: a new expediente) to `despues` reaches for the first time, each
    stamped `momento`: the state it enters, the milestone of that state, and the milestone of a field that
    goes from empty to set. Already-reached ones are never returned again."""
    anterior: Mapping[str, Any] = antes or {}
    previos: Mapping[str, Any] = anterior.get("hitos") or {}
    nuevos: dict[str, str] = {}
    estado = despues.get("estado")
    if estado and estado != anterior.get("estado"):
        if estado not in previos:
            nuevos[str(estado)] = momento
        hito = POR_ESTADO.get(Estado(estado))
        if hito is not None and hito not in previos:
            nuevos[hito.value] = momento
    for campo, hito in POR_CAMPO.items():
        if despues.get(campo) and not anterior.get(campo) and hito not in previos:
            nuevos[hito.value] = momento
    return nuevos


def hitos_en(alcanzados: Mapping[str, Any]) -> list[Hito]:
    """The milestones (not the states) among `alcanzados`, in the shop's order: one event each."""
    return [hito for hito in Hito if hito.value in alcanzados]
