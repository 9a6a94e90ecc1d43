"""POST /serviceOrders/{serviceOrderId}/cancel: the insurer asks to cancel an order; the answer is always
the seed's `{isCancelled, showResponseText, responseText}`. A cancel changes the canonical item and the
link in one transaction that also checks the expediente's state, so a cancel racing a state change cannot
both win."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from monitor.core import keys, table
from monitor.core.dates import ahora
from monitor.core.errors import NoEncontrado, ServicioNoDisponible, SolicitudInvalida, TransaccionCancelada
from monitor.core.metrics import Metrica
from monitor.core.observability import contar, logger
from monitor.core.table import entero
from monitor.expedientes.campos import Estado
from monitor.ordenes.campos import INT32_MAX, NO_EXISTE, EstadoOrden, Resultado, enlace, leer
from monitor.ordenes.firmas import Clave, Webhook
from monitor.ordenes.vinculo import vinculada
from monitor.reportes import agregados
from monitor.seguimiento import eventos

if TYPE_CHECKING:
    from monitor.ordenes.modelos import ServiceOrderCancellationDetails

EN_REPARACION = "No se puede cancelar: la reparación del vehículo ya está en curso"
YA_ENTREGADO = "No se puede cancelar: el vehículo ya fue entregado"


class OrdenInexistente(NoEncontrado):
    """The cancel contract answers its own body even when the order is unknown (or another insurer's)."""

    def __init__(self) -> None:
        super().__init__(NO_EXISTE, cuerpo={"isCancelled": False, "showResponseText": True, "responseText": NO_EXISTE})


def precarga_cancelacion(_cuerpo: bytes, ruta: Mapping[str, str]) -> list[Clave]:
    texto = str(ruta.get("serviceOrderId", ""))
    if texto.isascii() and texto.isdigit() and 1 <= int(texto) <= INT32_MAX:
        return [keys.orden_servicio(int(texto))]
    return []


def _respuesta_cancelacion(cancelada: bool, texto: str = "") -> Resultado:
    return Resultado(200, {"isCancelled": cancelada, "showResponseText": bool(texto), "responseText": texto})


def _rechazo(sid: int, texto: str, motivo: str) -> Resultado:
    contar(Metrica.CANCELACION_RECHAZADA)
    logger.info("Cancelación rechazada", extra={"serviceOrderId": sid, "motivo": motivo})
    return _respuesta_cancelacion(False, texto)


def _rechazo_por_expediente(sid: int, orden: Mapping[str, Any], expediente: Mapping[str, Any] | None) -> Resultado:
    estado = (expediente or {}).get("estado")
    if estado in (None, Estado.INGRESO) or not vinculada(orden, expediente):
        # The expediente moved back (or changed insurer) between the refusal and the re-read: the sender
        # retries, and learns nothing about a claim that is not its insurer's.
        raise ServicioNoDisponible()
    return _rechazo(sid, YA_ENTREGADO if estado == Estado.SALIDA else EN_REPARACION, f"expediente en {estado}")


def cancelar(sid: int, detalles: ServiceOrderCancellationDetails | None, webhook: Webhook) -> Resultado:
    """Always the seed's {isCancelled, showResponseText, responseText}; 404 when unknown or not the caller's."""
    if detalles and detalles.serviceOrderId is not None and detalles.serviceOrderId != sid:
        raise SolicitudInvalida(
            "El serviceOrderId del cuerpo no coincide con el de la ruta",
            detalles=[{"campo": "serviceOrderId", "mensaje": f"Debe ser {sid}, como en la ruta"}],
        )
    clave = keys.orden_servicio(sid)
    orden = leer(webhook, clave)
    if orden is None or entero(orden.get("id_aseguradora")) != webhook.id_aseguradora:
        logger.info("Cancelación de una orden inexistente o ajena", extra={"serviceOrderId": sid})
        raise OrdenInexistente()
    numero = detalles.numero if detalles else None
    if numero is not None and numero.casefold() != str(orden["serviceOrderNumber"]).casefold():
        return _rechazo(
            sid, f"El número de orden {numero} no corresponde a la orden de mano de obra {sid}", "número distinto"
        )
    if orden.get("estado") == EstadoOrden.CANCELADA:
        logger.info("Orden ya cancelada", extra={"serviceOrderId": sid})
        return _respuesta_cancelacion(True)

    momento = ahora()
    cancelacion = {
        "fecha": momento,
        "cancelado_por_email": detalles.cancelledByEmailAddress if detalles else None,
        "cancelado_por_nombre": detalles.cancelledByDisplayName if detalles else None,
        "comentarios": detalles.comments if detalles else None,
        "client_id": webhook.client_id,
    }
    cancelada = {**orden, "estado": EstadoOrden.CANCELADA.value, "cancelacion": cancelacion}
    no_siniestro = str(orden["insuranceClaimNumber"])
    transaccion = (
        table.Transaccion()
        .update(
            "orden",
            clave,
            "SET estado = :cancelada, cancelacion = :cancelacion, GSI2PK = :gsi2",
            {
                ":cancelada": EstadoOrden.CANCELADA.value,
                ":cancelacion": cancelacion,
                ":gsi2": keys.ordenes_por_estado(EstadoOrden.CANCELADA),
                ":recibida": EstadoOrden.RECIBIDA.value,
            },
            condicion="estado = :recibida",
        )
        .put("enlace", enlace(cancelada))
        .check(
            # Only the sender's own claim can hold the order back; another insurer's claim of the same
            # number neither blocks the cancel nor shows in its answer.
            "expediente",
            keys.expediente(no_siniestro),
            "attribute_not_exists(PK) OR estado = :ingreso OR attribute_not_exists(id_aseguradora)"
            " OR id_aseguradora <> :aseguradora",
            {":ingreso": Estado.INGRESO.value, ":aseguradora": webhook.id_aseguradora},
        )
    )
    agregados.orden_cancelada(transaccion, orden)
    eventos.agregar(transaccion, eventos.orden_cancelada(cancelada, momento))
    try:
        transaccion.ejecutar()
    except TransaccionCancelada as exc:
        if (
            exc.fallo("orden")
            and (exc.item("orden") or table.get(clave, consistente=True) or {}).get("estado") == EstadoOrden.CANCELADA
        ):
            return _respuesta_cancelacion(True)  # a concurrent cancel won
        if exc.fallo("expediente"):
            return _rechazo_por_expediente(
                sid, orden, exc.item("expediente") or table.get(keys.expediente(no_siniestro), consistente=True)
            )
        raise
    contar(Metrica.CANCELACION_ACEPTADA)
    logger.info("Orden de servicio cancelada", extra={"serviceOrderId": sid, "client_id": webhook.client_id})
    return _respuesta_cancelacion(True)
