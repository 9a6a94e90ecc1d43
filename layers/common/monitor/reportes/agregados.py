"""What the writes keep current for the reports (docs/reportes.md, docs/data-model.md): each helper adds named
steps or attributes to a write that already happens, so the reports never read an expediente one by one and
the writes issue no extra request.

- Unit counters per state and insurer (`REPORTES#PRODUCCION / UNIDADES#<estado>#<aseguradora>#<fragmento>`),
  moved with `ADD` in the transaction that creates, moves, re-assigns or deletes an expediente. Only an
  expediente marked `contabilizado` moves them: the creation marks it; one written before the counters existed
  is counted (and marked) once by `tools/migrar_hitos.py`, so a change before that run cannot count it twice.
- Index `Taller` (units not in Salida, by promised delivery) and index `Entregas` (delivered units, by their
  first entry into Salida): sparse attributes on the expediente item, derived from the item as written.
- Orders received before their claim's expediente exists: one item per claim (`EXP#<no> / SIN_EXPEDIENTE`,
  GSI1 `ORDENES#SIN_EXPEDIENTE`) holding the orders as a string set; the expediente's creation deletes it.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from typing import Any

from monitor.core import keys, table
from monitor.core.errors import ServicioNoDisponible, TransaccionCancelada
from monitor.core.table import entero
from monitor.expedientes.campos import Estado

CONTABILIZADO = "contabilizado"
FRAGMENTOS = 8  # counter items per (state, insurer): concurrent writers rarely meet on one
PASO_SIN_EXPEDIENTE = "sin_expediente"
PASO_EXPEDIENTE = "expediente_del_reclamo"
INTENTOS_RECLAMO = 4
MAX_RECLAMO = 64  # characters, as the order model allows: never a key past DynamoDB's limit
ORDENES = "ordenes"  # the marker's string set: "<recibida_en>#<serviceOrderId>#<serviceOrderNumber>#<aseguradora>"

Grupo = tuple[str, int | None]


# ---- counters
def grupo(item: Mapping[str, Any] | None) -> Grupo | None:
    """The counter an expediente adds to (its state and insurer), or None when it is not counted."""
    if item is None or not item.get(CONTABILIZADO):
        return None
    return str(item["estado"]), entero(item.get("id_aseguradora"))


def clave_unidades(destino: Grupo, fragmento: int | None = None) -> dict[str, str]:
    estado, aseguradora = destino
    return keys.unidades(estado, aseguradora, random.randrange(FRAGMENTOS) if fragmento is None else fragmento)  # noqa: S311 - spreading writes, not security


def contar(transaccion: table.Transaccion, antes: Mapping[str, Any] | None, despues: Mapping[str, Any] | None) -> None:
    """Steps `unidades_antes` (-1) and `unidades_despues` (+1) when the change moves the expediente from one
    counter to another: created (antes None), state or insurer changed, deleted (despues None)."""
    origen, destino = grupo(antes), grupo(despues)
    if antes is not None and origen is None:
        return  # not counted yet: the migration counts it as it is then
    if origen == destino:
        return
    if origen is not None:
        transaccion.update("unidades_antes", clave_unidades(origen), "ADD unidades :menos", {":menos": -1})
    if destino is not None:
        transaccion.update("unidades_despues", clave_unidades(destino), "ADD unidades :uno", {":uno": 1})


# ---- sparse indexes on the expediente item
def indices(item: Mapping[str, Any]) -> tuple[dict[str, str], list[str]]:
    """The `Taller` and `Entregas` index attributes `item` must carry: (to set, to remove).

    In `Taller` while it is not in Salida and has a promised date; in `Entregas` from its first entry into
    Salida on, for good (a reopened unit keeps its first delivery, as `hitos` does)."""
    no_siniestro = str(item["no_siniestro"])
    asignar: dict[str, str] = {}
    quitar: list[str] = []
    if item.get("estado") != Estado.SALIDA and item.get("fecha_entrega"):
        asignar |= keys.en_taller(no_siniestro, str(item["fecha_entrega"]))
    else:
        quitar += keys.ATRIBUTOS_TALLER
    entrega = (item.get("hitos") or {}).get(Estado.SALIDA.value)
    if entrega:
        asignar |= keys.entregado(no_siniestro, str(entrega))
    return asignar, quitar


def aplicar_indices(item: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    """`indices(item)`, also applied to `item` itself (the expediente as it will be once written)."""
    asignar, quitar = indices(item)
    for atributo in quitar:
        item.pop(atributo, None)
    item |= asignar
    return asignar, quitar


# ---- orders whose claim has no expediente yet
def elemento_orden(orden: Mapping[str, Any]) -> str:
    aseguradora = entero(orden.get("id_aseguradora"))
    return "#".join(
        (
            str(orden["recibida_en"]),
            str(entero(orden["serviceOrderId"])),
            str(orden["serviceOrderNumber"]),
            keys.SIN_ASEGURADORA if aseguradora is None else str(aseguradora),
        )
    )


def leer_elemento(texto: str) -> dict[str, Any]:
    recibida_en, sid, numero, aseguradora = texto.split("#", 3)
    return {
        "serviceOrderId": int(sid),
        "serviceOrderNumber": numero,
        "recibida_en": recibida_en,
        "id_aseguradora": None if aseguradora == keys.SIN_ASEGURADORA else int(aseguradora),
    }


def orden_recibida(transaccion: table.Transaccion, orden: Mapping[str, Any], *, hay_expediente: bool) -> None:
    """The received order's claim must still be as it was read: with an expediente (nothing to mark) or
    without one (the order joins the claim's marker). A refusal of `PASO_EXPEDIENTE` means it changed."""
    no_siniestro = str(orden["insuranceClaimNumber"])
    if hay_expediente:
        transaccion.check(PASO_EXPEDIENTE, keys.expediente(no_siniestro), "attribute_exists(PK)")
        return
    transaccion.check(PASO_EXPEDIENTE, keys.expediente(no_siniestro), "attribute_not_exists(PK)")
    expresion, nombres, valores = table.expresion_update(
        {**keys.lista_sin_expediente(no_siniestro), "tipo": "ordenes_sin_expediente", "no_siniestro": no_siniestro},
        sumar={ORDENES: {elemento_orden(orden)}},
    )
    transaccion.update(
        PASO_SIN_EXPEDIENTE, keys.ordenes_sin_expediente(no_siniestro), expresion, valores, nombres=nombres
    )


def orden_cancelada(transaccion: table.Transaccion, orden: Mapping[str, Any]) -> None:
    """A cancelled order leaves its claim's marker (a no-op set removal when the claim has an expediente)."""
    transaccion.update(
        PASO_SIN_EXPEDIENTE,
        keys.ordenes_sin_expediente(str(orden["insuranceClaimNumber"])),
        "DELETE #ordenes :orden",
        {":orden": {elemento_orden(orden)}},
        nombres={"#ordenes": ORDENES},
    )


def expediente_creado(transaccion: table.Transaccion, no_siniestro: str) -> None:
    """The claim now has its expediente: its orders are linked, the marker goes."""
    transaccion.delete(PASO_SIN_EXPEDIENTE, keys.ordenes_sin_expediente(no_siniestro))


def marcador(no_siniestro: str, ordenes: Iterable[Mapping[str, Any]]) -> dict[str, Any] | None:
    """The marker item for `ordenes` (the claim's links or orders) still `Recibida`, or None when none is."""
    elementos = {elemento_orden(o) for o in ordenes if o.get("estado") == "Recibida"}
    if not elementos:
        return None
    return {
        **keys.ordenes_sin_expediente(no_siniestro),
        **keys.lista_sin_expediente(no_siniestro),
        "tipo": "ordenes_sin_expediente",
        "no_siniestro": no_siniestro,
        ORDENES: elementos,
    }


def precarga_reclamo(reclamo: object) -> list[dict[str, str]]:
    """The claim's expediente key, read with the webhook's client in its one BatchGetItem (no extra request).
    The body is not validated yet: anything that could not be a key is left for validation to refuse."""
    if not isinstance(reclamo, str) or not reclamo.strip() or len(reclamo.strip()) > MAX_RECLAMO:
        return []
    try:
        reclamo.encode("utf-8")
    except UnicodeEncodeError:
        return []
    return [keys.expediente(reclamo.strip())]


def ejecutar_recepcion(base: table.Transaccion, orden: Mapping[str, Any], *, hay_expediente: bool) -> None:
    """`base` (the order's own steps) plus `orden_recibida`'s; when only the claim's check refuses, the
    expediente was created or deleted since it was read: the other branch is tried."""
    for _ in range(INTENTOS_RECLAMO):
        transaccion = base.copia()
        orden_recibida(transaccion, orden, hay_expediente=hay_expediente)
        try:
            transaccion.ejecutar()
        except TransaccionCancelada as exc:
            if exc.fallo(PASO_EXPEDIENTE) and not any(exc.fallo(p) for p in exc.pasos if p != PASO_EXPEDIENTE):
                hay_expediente = not hay_expediente
                continue
            raise
        return
    raise ServicioNoDisponible()
