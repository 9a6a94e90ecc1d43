"""The shop's events (docs/seguimiento.md): what each change emits, as outbox items written by the SAME
transaction as the change, so there is no event without its change and no change without its event.

An outbox item lives in the claim's collection (`EXP#<no>` / `OUT#<fecha>#<id>`, `tipo` "evento"), expires
after `TTL_DIAS` (the table's TTL), and carries what goes out: the event id (a uuid the subscriber
deduplicates on), the topic, the time of the change, the insurer it is routed to and the payload (`datos`),
which holds no personal data: no names, phones or e-mails, only claim, vehicle, state and order references.

This module only builds items: it imports nothing but `core`, so expedientes and ordenes can call it
without a dependency back to them. The callers pass the values they already computed.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

from monitor.core import keys, table
from monitor.core.table import entero

TIPO = "evento"
FUENTE = "monitor"
TTL_DIAS = 7
# Fan-out by the publisher: one `orden_servicio.estatus_cambiado` per order linked to the claim when it
# publishes (the change that causes it reads no links, so its request count does not grow).
EXPANDIR_ORDENES = "ordenes_enlazadas"


class Topico(StrEnum):
    EXPEDIENTE_CREADO = "expediente.creado"
    EXPEDIENTE_ESTADO_CAMBIADO = "expediente.estado_cambiado"
    EXPEDIENTE_HITO = "expediente.hito"
    ORDEN_RECIBIDA = "orden_servicio.recibida"
    ORDEN_CANCELADA = "orden_servicio.cancelada"
    ORDEN_ESTATUS_CAMBIADO = "orden_servicio.estatus_cambiado"


class Estatus(StrEnum):
    """The two moments the insurers' parts platform reports for an order's unit."""

    UNIDAD_RECIBIDA = "unidad_recibida"
    UNIDAD_ENTREGADA = "unidad_entregada"


class Evento:
    """One event of a change, before it becomes its outbox item. A plain class: a dataclass would make every
    writing function's init generate and compile its methods."""

    __slots__ = ("datos", "expandir", "fecha", "id", "id_aseguradora", "no_siniestro", "paso", "topico")

    def __init__(  # noqa: PLR0917 - the event's fields, as the callers name them
        self,
        topico: Topico,
        no_siniestro: str,  # the collection the outbox item lives in
        fecha: str,
        id_aseguradora: int | None,
        datos: dict[str, Any],
        paso: str,  # its step in the transaction
        expandir: str | None = None,
        id: str | None = None,
    ) -> None:
        self.topico = topico
        self.no_siniestro = no_siniestro
        self.fecha = fecha
        self.id_aseguradora = id_aseguradora
        self.datos = datos
        self.paso = paso
        self.expandir = expandir
        self.id = id or str(uuid.uuid4())

    def item(self) -> dict[str, Any]:
        item = {
            **keys.evento(self.no_siniestro, self.fecha, self.id),
            "tipo": TIPO,
            **self.publicable(),
            "expira": int(time.time()) + TTL_DIAS * 86_400,
        }
        if self.expandir:
            item["expandir"] = self.expandir
        return item

    def publicable(self) -> dict[str, Any]:
        """The event as subscribers receive it (the body of each webhook)."""
        return {
            "id": self.id,
            "topico": self.topico.value,
            "fecha": self.fecha,
            "id_aseguradora": self.id_aseguradora,
            "datos": self.datos,
        }


def agregar(transaccion: table.Transaccion, eventos: Iterable[Evento]) -> None:
    """Each event as a named step (`evento.<topico>[.<hito>]`) of the change's own transaction."""
    for evento in eventos:
        transaccion.put(evento.paso, evento.item())


def _aseguradora(item: Mapping[str, Any]) -> int | None:
    valor = entero(item.get("id_aseguradora"))
    return int(valor) if valor is not None else None


# ---- expedientes
def hitos(expediente: Mapping[str, Any], alcanzados: Iterable[str], momento: str) -> list[Evento]:
    """`expediente.hito`, one per milestone the change reaches for the first time (`alcanzados` holds
    milestone names only, in the order the shop reaches them)."""
    no = str(expediente["no_siniestro"])
    return [
        Evento(
            Topico.EXPEDIENTE_HITO,
            no,
            momento,
            _aseguradora(expediente),
            {"no_siniestro": no, "hito": str(hito), "fecha": momento, "estado": expediente.get("estado")},
            paso=f"evento.{Topico.EXPEDIENTE_HITO}.{hito}",
        )
        for hito in alcanzados
    ]


def _estatus_ordenes(expediente: Mapping[str, Any], estatus: Estatus, momento: str) -> Evento:
    no = str(expediente["no_siniestro"])
    return Evento(
        Topico.ORDEN_ESTATUS_CAMBIADO,
        no,
        momento,
        _aseguradora(expediente),
        {"insuranceClaimNumber": no, "estatus": estatus.value, "fecha": momento},
        paso=f"evento.{Topico.ORDEN_ESTATUS_CAMBIADO}",
        expandir=EXPANDIR_ORDENES,
    )


def al_crear(expediente: Mapping[str, Any], momento: str, alcanzados: Iterable[str]) -> list[Evento]:
    """`expediente.creado`, its milestones, and `unidad_recibida` for the orders already linked to the claim
    (the unit enters the shop)."""
    no = str(expediente["no_siniestro"])
    creado = Evento(
        Topico.EXPEDIENTE_CREADO,
        no,
        momento,
        _aseguradora(expediente),
        {
            "no_siniestro": no,
            "estado": expediente.get("estado"),
            "fecha_ingreso": expediente.get("fecha_ingreso"),
            "fecha_entrega": expediente.get("fecha_entrega"),
            "marca": expediente.get("marca"),
            "tipo": expediente.get("tipo"),
            "modelo": expediente.get("modelo"),
        },
        paso=f"evento.{Topico.EXPEDIENTE_CREADO}",
    )
    return [
        creado,
        *hitos(expediente, alcanzados, momento),
        _estatus_ordenes(expediente, Estatus.UNIDAD_RECIBIDA, momento),
    ]


def al_cambiar_estado(
    expediente: Mapping[str, Any],
    anterior: str,
    momento: str,
    alcanzados: Iterable[str],
    *,
    entrega: bool,
) -> list[Evento]:
    """`expediente.estado_cambiado`, the milestones it reaches and, when the unit is delivered (`entrega`),
    `unidad_entregada` for its linked orders."""
    no = str(expediente["no_siniestro"])
    cambio = Evento(
        Topico.EXPEDIENTE_ESTADO_CAMBIADO,
        no,
        momento,
        _aseguradora(expediente),
        {
            "no_siniestro": no,
            "estado_anterior": anterior,
            "estado_nuevo": expediente["estado"],
            "fecha_cambio": momento,
        },
        paso=f"evento.{Topico.EXPEDIENTE_ESTADO_CAMBIADO}",
    )
    eventos = [cambio, *hitos(expediente, alcanzados, momento)]
    if entrega:
        eventos.append(_estatus_ordenes(expediente, Estatus.UNIDAD_ENTREGADA, momento))
    return eventos


# ---- service orders (the insurer's own order: routed to the order's insurer)
def referencia_orden(orden: Mapping[str, Any]) -> dict[str, Any]:
    """How every order event names the order: the insurer's ids and our number."""
    return {
        "serviceOrderId": entero(orden.get("serviceOrderId")),
        "serviceOrderGuid": orden.get("serviceOrderGuid"),
        "serviceOrderNumber": orden.get("serviceOrderNumber"),
        "insuranceClaimNumber": orden.get("insuranceClaimNumber"),
    }


def _de_orden(topico: Topico, orden: Mapping[str, Any], momento: str, datos: Mapping[str, Any]) -> Evento:
    return Evento(
        topico,
        str(orden["insuranceClaimNumber"]),
        momento,
        _aseguradora(orden),
        {**referencia_orden(orden), **datos},
        paso=f"evento.{topico}",
    )


def orden_recibida(orden: Mapping[str, Any], estatus: Estatus | None) -> list[Evento]:
    """`orden_servicio.recibida`; `estatus` when the claim's expediente already exists (the unit is in the
    shop, or already delivered): its creation happened before the order, so only this change can say so."""
    momento = str(orden["recibida_en"])
    recibida = {"estado": orden.get("estado"), "recibida_en": momento}
    eventos = [_de_orden(Topico.ORDEN_RECIBIDA, orden, momento, recibida)]
    if estatus is not None:
        eventos.append(
            _de_orden(Topico.ORDEN_ESTATUS_CAMBIADO, orden, momento, {"estatus": estatus.value, "fecha": momento})
        )
    return eventos


def orden_cancelada(orden: Mapping[str, Any], momento: str) -> list[Evento]:
    return [_de_orden(Topico.ORDEN_CANCELADA, orden, momento, {"estado": orden.get("estado"), "cancelada_en": momento})]


def mismo_asegurador(orden: Mapping[str, Any], expediente: Mapping[str, Any]) -> bool:
    """An order's insurer hears about the unit only when the expediente is its insurer's (or has none): a
    claim number shared by two insurers never leaks one's unit to the other."""
    del_expediente = _aseguradora(expediente)
    return del_expediente is None or del_expediente == _aseguradora(orden)
