"""Labor orders pushed by insurers (infopiezas): reception, retries, cancellation and staff views.

Items per order (docs/data-model.md):
- canonical `OS#<id>` / `OS`: the seed's fields as received, our number, state, the receiving client
  and GSI1 (all, newest first) / GSI2 (by state) attributes;
- `OS#<id>` / `PAYLOAD`: the exact body (gzip), apart so lists and GSI copies never carry it;
- `OSNUM#<number>`: keeps our human-readable number unique;
- `EXP#<insuranceClaimNumber>` / `OS#<id>`: a summary inside the claim's collection, so the expediente's
  detail lists it whether the expediente existed when the order arrived or was created later.
The four are written in one transaction; a cancel changes the canonical item and the link in one
transaction that also checks the expediente's state, so a cancel racing a state change cannot both win.
"""

from __future__ import annotations

import gzip
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from monitor import cursores, jsoncodec, keys, tabla
from monitor.campos import INT32_MAX
from monitor.errors import (
    Conflicto,
    CuerpoDemasiadoGrande,
    NoEncontrado,
    ServicioNoDisponible,
    SolicitudInvalida,
    TransaccionCancelada,
)
from monitor.fechas import ahora
from monitor.firmas import Clave, Webhook
from monitor.metricas import Metrica
from monitor.observability import contar, logger

if TYPE_CHECKING:
    from monitor.modelos_service_order import ServiceOrderCancellationDetails, ServiceOrderDetails

RECIBIDA = "Recibida"
CANCELADA = "Cancelada"
INGRESO = "Ingreso"
ENTREGADO = "Salida"

GUID_DISTINTO = "Ya existe una orden con ese serviceOrderId y otro serviceOrderGuid"
NO_EXISTE = "La orden de mano de obra no existe"
EN_REPARACION = "No se puede cancelar: la reparación del vehículo ya está en curso"
YA_ENTREGADO = "No se puede cancelar: el vehículo ya fue entregado"
NO_ENCONTRADA = "Orden de servicio no encontrada"
MAX_ITEM = 380_000  # bytes, under DynamoDB's 400 KB item limit with room for attribute overhead

CAMPOS_SEED = (
    "serviceOrderId",
    "serviceOrderGuid",
    "requestId",
    "claimId",
    "insuranceClaimNumber",
    "deliveryDays",
    "createdOnUtcDate",
    "createdByEmailAddress",
    "createdByDisplayName",
    "workshopPersonTaxId",
    "workshopPersonName",
    "subTotalAmount",
    "differenceAmount",
    "deductibleAmount",
    "taxTotalAmount",
    "comments",
)
CAMPOS_RESUMEN = (
    "serviceOrderId",
    "serviceOrderGuid",
    "serviceOrderNumber",
    "insuranceClaimNumber",
    "estado",
    "recibida_en",
    "id_aseguradora",
    "createdOnUtcDate",
    "workshopPersonName",
    "subTotalAmount",
    "differenceAmount",
    "deductibleAmount",
    "taxTotalAmount",
)
_ENTEROS = {"serviceOrderId", "requestId", "claimId", "deliveryDays", "id_aseguradora"}
_ENTEROS_ITEM = {"itemId", "itemActionId", "workshopServiceId"}


@dataclass(frozen=True)
class Resultado:
    status: int
    cuerpo: dict[str, Any]


class OrdenInexistente(NoEncontrado):
    """The cancel contract answers its own body even when the order is unknown (or another insurer's)."""

    def __init__(self) -> None:
        super().__init__(NO_EXISTE, cuerpo={"isCancelled": False, "showResponseText": True, "responseText": NO_EXISTE})


def numero_legible(secuencia: int) -> str:
    return f"OS-{secuencia:06d}"


# ---- what the signature step reads together with the client (one BatchGetItem)
def precarga_recepcion(cuerpo: bytes, _ruta: Mapping[str, str]) -> list[Clave]:
    """The order key from a lenient look at the body; validation proper happens after the signature."""
    try:
        datos = jsoncodec.loads(cuerpo)
    except (ValueError, RecursionError):
        return []
    sid = datos.get("serviceOrderId") if isinstance(datos, dict) else None
    if type(sid) is int and 1 <= sid <= INT32_MAX:
        return [keys.orden_servicio(sid)]
    return []


def precarga_cancelacion(_cuerpo: bytes, ruta: Mapping[str, str]) -> list[Clave]:
    texto = str(ruta.get("serviceOrderId", ""))
    if texto.isascii() and texto.isdigit() and 1 <= int(texto) <= INT32_MAX:
        return [keys.orden_servicio(int(texto))]
    return []


def _leer(webhook: Webhook, clave: Clave) -> dict[str, Any] | None:
    leido, item = webhook.lectura(clave)
    return item if leido else tabla.get(clave, consistente=True)


# ---- views
def _entero(valor: Any) -> Any:
    return int(valor) if isinstance(valor, Decimal) else valor


def resumen(item: Mapping[str, Any]) -> dict[str, Any]:
    """Summary of an order from its canonical item or its link item (also for the expediente's detail)."""
    return {c: _entero(item.get(c)) if c in _ENTEROS else item.get(c) for c in CAMPOS_RESUMEN}


def _cancelacion_publica(cancelacion: Mapping[str, Any]) -> dict[str, Any]:
    return {c: cancelacion.get(c) for c in ("fecha", "cancelado_por_email", "cancelado_por_nombre", "comentarios")}


def vista(item: Mapping[str, Any]) -> dict[str, Any]:
    """Staff view: the seed's fields as received, our number and state; never the payload or the client."""
    datos = {c: _entero(item.get(c)) if c in _ENTEROS else item.get(c) for c in CAMPOS_SEED}
    datos["items"] = [
        {k: _entero(v) if k in _ENTEROS_ITEM else v for k, v in linea.items()} for linea in item.get("items") or []
    ]
    datos |= {
        "serviceOrderNumber": item["serviceOrderNumber"],
        "estado": item["estado"],
        "recibida_en": item["recibida_en"],
        "id_aseguradora": _entero(item.get("id_aseguradora")),
    }
    if item.get("cancelacion"):
        datos["cancelacion"] = _cancelacion_publica(item["cancelacion"])
    return datos


def _enlace(orden: Mapping[str, Any]) -> dict[str, Any]:
    item = {
        **keys.orden_en_expediente(orden["insuranceClaimNumber"], int(orden["serviceOrderId"])),
        "tipo": "orden_en_expediente",
        **{c: orden.get(c) for c in CAMPOS_RESUMEN},
    }
    if orden.get("cancelacion"):
        item["cancelacion"] = orden["cancelacion"]
    return item


# ---- reception
def _como_duplicado(existente: Mapping[str, Any], detalles: ServiceOrderDetails, webhook: Webhook) -> Resultado:
    """A retry answers the first delivery's number; anything else with that id is a conflict (no leak)."""
    mismo_guid = str(existente.get("serviceOrderGuid", "")).lower() == str(detalles.serviceOrderGuid)
    if _entero(existente.get("id_aseguradora")) != webhook.id_aseguradora or not mismo_guid:
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
    existente = _leer(webhook, clave)
    if existente is not None:
        return _como_duplicado(existente, detalles, webhook)

    numero = numero_legible(tabla.siguiente("ordenes"))
    recibida_en = ahora()
    orden = {
        **clave,
        **keys.listas_orden(recibida_en, sid, RECIBIDA),
        "tipo": "orden_servicio",
        **detalles.almacenable(),
        "serviceOrderNumber": numero,
        "estado": RECIBIDA,
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
    try:
        tabla.transaccion(
            [
                tabla.op_put(orden, nuevo),
                tabla.op_put(numero_item, nuevo),
                tabla.op_put(_enlace(orden), nuevo),
                tabla.op_put(payload, nuevo),
            ]
        )
    except TransaccionCancelada as exc:
        if not exc.fallo(0):
            raise
        # Another delivery of the same id won (its item came back with the refusal), or this was our own
        # write, committed by an SDK attempt whose answer was lost and then refused on the retry.
        ganador = (exc.items[0] if exc.items else None) or tabla.get(clave, consistente=True)
        if ganador is None:
            raise ServicioNoDisponible() from None
        if ganador.get("serviceOrderNumber") != numero:
            return _como_duplicado(ganador, detalles, webhook)
    except ServicioNoDisponible:
        # TransactionConflict with a concurrent duplicate, or an outage after our write committed.
        ganador = tabla.get(clave, consistente=True)
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


# ---- cancellation
def _respuesta_cancelacion(cancelada: bool, texto: str = "") -> Resultado:
    return Resultado(200, {"isCancelled": cancelada, "showResponseText": bool(texto), "responseText": texto})


def _rechazo(sid: int, texto: str, motivo: str) -> Resultado:
    contar(Metrica.CANCELACION_RECHAZADA)
    logger.info("Cancelación rechazada", extra={"serviceOrderId": sid, "motivo": motivo})
    return _respuesta_cancelacion(False, texto)


def _rechazo_por_expediente(sid: int, expediente: Mapping[str, Any] | None) -> Resultado:
    estado = (expediente or {}).get("estado")
    if estado in (None, INGRESO):
        # The expediente moved back between the refusal and the re-read: let the sender retry.
        raise ServicioNoDisponible()
    return _rechazo(sid, YA_ENTREGADO if estado == ENTREGADO else EN_REPARACION, f"expediente en {estado}")


def cancelar(sid: int, detalles: ServiceOrderCancellationDetails | None, webhook: Webhook) -> Resultado:
    """Always the seed's {isCancelled, showResponseText, responseText}; 404 when unknown or not the caller's."""
    if detalles and detalles.serviceOrderId is not None and detalles.serviceOrderId != sid:
        raise SolicitudInvalida(
            "El serviceOrderId del cuerpo no coincide con el de la ruta",
            detalles=[{"campo": "serviceOrderId", "mensaje": f"Debe ser {sid}, como en la ruta"}],
        )
    clave = keys.orden_servicio(sid)
    orden = _leer(webhook, clave)
    if orden is None or _entero(orden.get("id_aseguradora")) != webhook.id_aseguradora:
        logger.info("Cancelación de una orden inexistente o ajena", extra={"serviceOrderId": sid})
        raise OrdenInexistente()
    numero = detalles.numero if detalles else None
    if numero is not None and numero.casefold() != str(orden["serviceOrderNumber"]).casefold():
        return _rechazo(
            sid, f"El número de orden {numero} no corresponde a la orden de mano de obra {sid}", "número distinto"
        )
    if orden.get("estado") == CANCELADA:
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
    cancelada = {**orden, "estado": CANCELADA, "cancelacion": cancelacion}
    no_siniestro = str(orden["insuranceClaimNumber"])
    try:
        tabla.transaccion(
            [
                tabla.op_update(
                    clave,
                    "SET estado = :cancelada, cancelacion = :cancelacion, GSI2PK = :gsi2",
                    {
                        ":cancelada": CANCELADA,
                        ":cancelacion": cancelacion,
                        ":gsi2": keys.listas_orden(orden["recibida_en"], sid, CANCELADA)["GSI2PK"],
                        ":recibida": RECIBIDA,
                    },
                    condicion="estado = :recibida",
                ),
                tabla.op_put(_enlace(cancelada)),
                tabla.op_check(
                    keys.expediente(no_siniestro),
                    "attribute_not_exists(PK) OR estado = :ingreso",
                    {":ingreso": INGRESO},
                ),
            ]
        )
    except TransaccionCancelada as exc:
        actual = exc.items[0] if exc.fallo(0) and exc.items else None
        if exc.fallo(0) and (actual or tabla.get(clave, consistente=True) or {}).get("estado") == CANCELADA:
            return _respuesta_cancelacion(True)  # a concurrent cancel won
        if exc.fallo(2):
            expediente = exc.items[2] if len(exc.items) > 2 and exc.items[2] else None
            return _rechazo_por_expediente(
                sid, expediente or tabla.get(keys.expediente(no_siniestro), consistente=True)
            )
        raise
    contar(Metrica.CANCELACION_ACEPTADA)
    logger.info("Orden de servicio cancelada", extra={"serviceOrderId": sid, "client_id": webhook.client_id})
    return _respuesta_cancelacion(True)


# ---- staff reads
def obtener(sid: int) -> dict[str, Any]:
    item = tabla.get(keys.orden_servicio(sid))
    if item is None:
        raise NoEncontrado(NO_ENCONTRADA)
    return vista(item)


def listar(*, estado: str | None, no_siniestro: str | None, limite: int, cursor: str | None) -> dict[str, Any]:
    """Newest first: all orders (GSI1), by state (GSI2) or one claim's orders (its partition)."""
    alcance = f"ordenes-servicio|{estado or ''}|{no_siniestro or ''}"
    inicio = cursores.decodificar(cursor, alcance)
    if no_siniestro:
        valores: dict[str, Any] = {":pk": keys.expediente_pk(no_siniestro), ":os": keys.PREFIJO_ORDEN}
        if estado:
            valores[":estado"] = estado
        items, ultima = tabla.query(
            "PK = :pk AND begins_with(SK, :os)",
            valores,
            filtro="estado = :estado" if estado else None,
            limite=limite,
            inicio=inicio,
            descendente=True,
        )
    elif estado:
        items, ultima = tabla.query(
            "GSI2PK = :pk",
            {":pk": keys.listas_orden("", 0, estado)["GSI2PK"]},
            indice="GSI2",
            limite=limite,
            inicio=inicio,
            descendente=True,
        )
    else:
        items, ultima = tabla.query(
            "GSI1PK = :pk",
            {":pk": keys.listas_orden("", 0, RECIBIDA)["GSI1PK"]},
            indice="GSI1",
            limite=limite,
            inicio=inicio,
            descendente=True,
        )
    return cursores.pagina([resumen(i) for i in items], ultima, alcance)
