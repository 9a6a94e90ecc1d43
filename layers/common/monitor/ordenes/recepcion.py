"""POST /serviceOrders: an insurer's labor order received, numbered and linked to its claim, exactly once
however many times the sender retries it (sequentially or concurrently)."""

from __future__ import annotations

import gzip
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from monitor.core import jsoncodec, keys, table
from monitor.core.dates import ahora
from monitor.core.errors import Conflicto, CuerpoDemasiadoGrande, ServicioNoDisponible, TransaccionCancelada
from monitor.core.metrics import Metrica
from monitor.core.observability import contar, logger
from monitor.core.table import entero
from monitor.expedientes.campos import Estado
from monitor.ordenes.campos import (
    GUID_DISTINTO,
    INT32_MAX,
    MAX_ITEM,
    EstadoOrden,
    Resultado,
    enlace,
    leer,
    numero_legible,
)
from monitor.ordenes.firmas import Clave, Webhook
from monitor.reportes import agregados
from monitor.seguimiento import eventos

if TYPE_CHECKING:
    from monitor.ordenes.modelos import ServiceOrderDetails


# ---- what the signature step reads together with the client (one BatchGetItem)
def precarga_recepcion(cuerpo: bytes, _ruta: Mapping[str, str]) -> list[Clave]:
    """The order key from a lenient look at the body; validation proper happens after the signature."""
    try:
        datos = jsoncodec.loads(cuerpo)
    except (ValueError, RecursionError):
        return []
    if not isinstance(datos, dict):
        return []
    claves = []
    sid = datos.get("serviceOrderId")
    if type(sid) is int and 1 <= sid <= INT32_MAX:
        claves.append(keys.orden_servicio(sid))
    claves += agregados.precarga_reclamo(datos.get("insuranceClaimNumber"))
    return claves


def _estatus_unidad(orden: Mapping[str, Any], expediente: Mapping[str, Any] | None) -> eventos.Estatus | None:
    """Where the order's unit already is, if its claim's expediente exists: in the shop, or delivered. None when
    there is no expediente yet (its creation will say it) or it is another insurer's."""
    if expediente is None or not eventos.mismo_asegurador(orden, expediente):
        return None
    if expediente.get("estado") == Estado.SALIDA:
        return eventos.Estatus.UNIDAD_ENTREGADA
    return eventos.Estatus.UNIDAD_RECIBIDA


def _como_duplicado(existente: Mapping[str, Any], detalles: ServiceOrderDetails, webhook: Webhook) -> Resultado:
    """A retry answers the first delivery's number; anything else with that id is a conflict (no leak)."""
    mismo_guid = str(existente.get("serviceOrderGuid", "")).lower() == str(detalles.serviceOrderGuid)
    if entero(existente.get("id_aseguradora")) != webhook.id_aseguradora or not mismo_guid:
        logger.info(
            "serviceOrderId repetido con otro guid o de otra aseguradora",
            extra={"serviceOrderId": detalles.serviceOrderId, "client_id": webhook.client_id},
        )
        raise Conflicto(GUID_DISTINTO)
    contar(Metrica.SERVICE_ORDER_DUPLICADA)
    logger.info(
        "Orden de servicio duplicada",
        extra={"serviceOrderId": detalles.serviceOrderId, "serviceOrderNumber": existente["serviceOrderNumber"]},
    )
    return Resultado(
        200, {"serviceOrderId": detalles.serviceOrderId, "serviceOrderNumber": existente["serviceOrderNumber"]}
    )


def _cabe(*items: Mapping[str, Any]) -> None:
    """The body limit counts characters; 3-byte characters could still overflow DynamoDB's 400 KB per item."""
    for item in items:
        tamano = len(jsoncodec.dumps({k: v for k, v in item.items() if k != "payload_gzip"}).encode("utf-8"))
        tamano += len(item.get("payload_gzip", b""))
        if tamano > MAX_ITEM:
            logger.info("Orden demasiado grande para almacenarse", extra={"bytes": tamano})
            raise CuerpoDemasiadoGrande("La orden de servicio es demasiado grande para almacenarse")


def recibir(detalles: ServiceOrderDetails, webhook: Webhook) -> Resultado:
    """201 with our new number, or 200 with the same number for a retry (sequential or concurrent)."""
    sid = detalles.serviceOrderId
    clave = keys.orden_servicio(sid)
    existente = leer(webhook, clave)
    if existente is not None:
        return _como_duplicado(existente, detalles, webhook)

    numero = numero_legible(table.siguiente("ordenes"))
    recibida_en = ahora()
    orden = {
        **clave,
        **keys.listas_orden(recibida_en, sid, EstadoOrden.RECIBIDA),
        "tipo": "orden_servicio",
        **detalles.almacenable(),
        "serviceOrderNumber": numero,
        "estado": EstadoOrden.RECIBIDA.value,
        "recibida_en": recibida_en,
        "client_id": webhook.client_id,
        "id_aseguradora": webhook.id_aseguradora,
        "topic": webhook.topic,
    }
    payload = {
        **keys.payload_orden(sid),
        "tipo": "payload_orden",
        "serviceOrderId": sid,
        "recibida_en": recibida_en,
        "client_id": webhook.client_id,
        "payload_gzip": gzip.compress(webhook.cuerpo, mtime=0),
    }
    _cabe(orden, payload)
    numero_item = {**keys.numero_orden(numero), "tipo": "numero_orden", "serviceOrderId": sid}
    nuevo = "attribute_not_exists(PK)"
    transaccion = (
        table.Transaccion()
        .put("orden", orden, nuevo)
        .put("numero", numero_item, nuevo)
        .put("enlace", enlace(orden), nuevo)
        .put("payload", payload, nuevo)
    )
    expediente = leer(webhook, keys.expediente(detalles.insuranceClaimNumber))
    hay_expediente = expediente is not None
    eventos.agregar(transaccion, eventos.orden_recibida(orden, _estatus_unidad(orden, expediente)))
    try:
        agregados.ejecutar_recepcion(transaccion, orden, hay_expediente=hay_expediente)
    except TransaccionCancelada as exc:
        if not exc.fallo("orden"):
            raise
        # Another delivery of the same id won (its item came back with the refusal), or this was our own
        # write, committed by an SDK attempt whose answer was lost and then refused on the retry.
        ganador = exc.item("orden") or table.get(clave, consistente=True)
        if ganador is None:
            raise ServicioNoDisponible() from None
        if ganador.get("serviceOrderNumber") != numero:
            return _como_duplicado(ganador, detalles, webhook)
    except ServicioNoDisponible:
        # TransactionConflict with a concurrent duplicate, or an outage after our write committed.
        ganador = table.get(clave, consistente=True)
        if ganador is None:
            raise
        if ganador.get("serviceOrderNumber") != numero:
            return _como_duplicado(ganador, detalles, webhook)
    contar(Metrica.SERVICE_ORDER_RECIBIDA)
    logger.info(
        "Orden de servicio recibida",
        extra={
            "serviceOrderId": sid,
            "serviceOrderNumber": numero,
            "id_aseguradora": webhook.id_aseguradora,
            "items": len(detalles.items),
        },
    )
    return Resultado(201, {"serviceOrderId": sid, "serviceOrderNumber": numero})
