"""What the service-order routes answer (the seed's camelCase), for the OpenAPI document only."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import WithJsonSchema

from monitor.core.responses import Respuesta

NumeroJson = Annotated[Decimal, WithJsonSchema({"type": "number"})]


class CreatedServiceOrderResponse(Respuesta):
    serviceOrderId: int
    serviceOrderNumber: str


class CancelledServiceOrderResponse(Respuesta):
    isCancelled: bool
    showResponseText: bool
    responseText: str


EstadoOrden = Literal["Recibida", "Cancelada"]


class ResumenOrdenServicio(Respuesta):
    serviceOrderId: int
    serviceOrderGuid: str | None = None
    serviceOrderNumber: str
    insuranceClaimNumber: str
    estado: EstadoOrden
    recibida_en: str
    id_aseguradora: int | None = None
    createdOnUtcDate: str | None = None
    workshopPersonName: str | None = None
    subTotalAmount: NumeroJson | None = None
    differenceAmount: NumeroJson | None = None
    deductibleAmount: NumeroJson | None = None
    taxTotalAmount: NumeroJson | None = None


class PaginaOrdenes(Respuesta):
    items: list[ResumenOrdenServicio]
    next_cursor: str | None


class Cancelacion(Respuesta):
    fecha: str
    cancelado_por_email: str | None = None
    cancelado_por_nombre: str | None = None
    comentarios: str | None = None


class ItemOrden(Respuesta):
    itemId: int | None = None
    itemCode: str | None = None
    itemName: str | None = None
    itemQuantity: NumeroJson | None = None
    itemActionId: int | None = None
    itemActionName: str | None = None
    workshopServiceId: int | None = None
    workshopServiceCode: str | None = None
    workshopServiceName: str | None = None
    workshopServicePrice: NumeroJson | None = None
    otherCosts: NumeroJson | None = None


# Staff view: the seed's fields as received plus our number, state and cancellation.
class OrdenServicio(Respuesta):
    __doc__ = "Vista del taller: los campos de la orden tal como llegaron, más nuestro número, estado y cancelación."

    serviceOrderId: int
    serviceOrderGuid: str
    requestId: int | None = None
    claimId: int | None = None
    insuranceClaimNumber: str
    deliveryDays: int | None = None
    createdOnUtcDate: str | None = None
    createdByEmailAddress: str | None = None
    createdByDisplayName: str | None = None
    workshopPersonTaxId: str | None = None
    workshopPersonName: str | None = None
    subTotalAmount: NumeroJson | None = None
    differenceAmount: NumeroJson | None = None
    deductibleAmount: NumeroJson | None = None
    taxTotalAmount: NumeroJson | None = None
    comments: str | None = None
    items: list[ItemOrden]
    serviceOrderNumber: str
    estado: EstadoOrden
    recibida_en: str
    id_aseguradora: int | None = None
    cancelacion: Cancelacion | None = None
    # Linked to the expediente of its claim number: only when that expediente is of the sending insurer.
    vinculada: bool
