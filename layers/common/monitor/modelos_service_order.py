"""The infopiezas service-order contract (seeds/infopiezas-service-orders.md) as Pydantic models.

Names are the camelCase of the seed's JSON examples. Unknown fields are ignored rather than refused:
the seed warns that its JSON may grow, a refused delivery would be retried forever, and the raw
payload keeps whatever we did not model. Numbers are strict: ids must be JSON integers and amounts
JSON numbers (never strings or booleans); the body is parsed with `Decimal`, so amounts stay exact.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    field_serializer,
    model_validator,
)

from monitor.tipos import MarcaTiempo, Respuesta

INT32_MAX = 2_147_483_647
MAX_ITEMS = 500
MAX_TEXTO = 500
MAX_COMENTARIOS = 4000
MAX_NUMERO = 64


def _solo_numero(valor: object) -> object:
    """JSON numbers only: `"12.5"`, `true` and the NaN/Infinity constants are refused."""
    if valor is None or (isinstance(valor, (int, Decimal)) and not isinstance(valor, bool)):
        return valor
    raise ValueError("Debe ser un número decimal")


_LIMITE_MONTO = 10**14  # 18 digits, 4 of them decimals
Monto = Annotated[
    Decimal,
    BeforeValidator(_solo_numero),
    Field(max_digits=18, decimal_places=4, allow_inf_nan=False),
    WithJsonSchema({"type": "number", "exclusiveMinimum": -_LIMITE_MONTO, "exclusiveMaximum": _LIMITE_MONTO}),
]
MontoPositivo = Annotated[
    Decimal,
    BeforeValidator(_solo_numero),
    Field(ge=0, max_digits=18, decimal_places=4, allow_inf_nan=False),
    WithJsonSchema({"type": "number", "minimum": 0, "exclusiveMaximum": _LIMITE_MONTO}),
]
Id = Annotated[int, Field(strict=True, ge=1, le=INT32_MAX)]
Entero = Annotated[int, Field(strict=True, ge=0, le=INT32_MAX)]
Short = Annotated[int, Field(strict=True, ge=-32768, le=32767)]
Texto = Annotated[str, StringConstraints(max_length=MAX_TEXTO)]
Comentarios = Annotated[str, StringConstraints(max_length=MAX_COMENTARIOS)]
NumeroReclamacion = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NUMERO)]
NumeroOrden = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_NUMERO)]


class _Entrada(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ServiceOrderItem(_Entrada):
    """A part or service line. `itemCode` may be blank; `itemId` identifies the part."""

    itemId: Entero | None = None
    itemCode: Texto | None = None
    itemName: Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXTO)]
    itemQuantity: MontoPositivo
    itemActionId: Short | None = None
    itemActionName: Texto | None = None
    workshopServiceId: Entero | None = None
    workshopServiceCode: Texto | None = None
    workshopServiceName: Texto | None = None
    workshopServicePrice: MontoPositivo | None = None
    otherCosts: MontoPositivo | None = None


class ServiceOrderDetails(_Entrada):
    """`POST /serviceOrders`. .NET value types (ints, decimals, guid, DateTime) are required; strings may be null."""

    serviceOrderId: Id
    serviceOrderGuid: UUID
    requestId: Entero
    claimId: Entero | None = None
    insuranceClaimNumber: NumeroReclamacion
    deliveryDays: Annotated[int, Field(strict=True, ge=0, le=3650)]
    createdOnUtcDate: MarcaTiempo
    createdByEmailAddress: Texto | None = None
    createdByDisplayName: Texto | None = None
    workshopPersonTaxId: Texto | None = None
    workshopPersonName: Texto | None = None
    subTotalAmount: MontoPositivo
    differenceAmount: Monto
    deductibleAmount: MontoPositivo
    taxTotalAmount: MontoPositivo
    comments: Comentarios | None = None
    items: Annotated[list[ServiceOrderItem], Field(max_length=MAX_ITEMS)] = Field(default_factory=list)

    @field_serializer("serviceOrderGuid")
    def _guid(self, valor: UUID) -> str:
        return str(valor)

    def almacenable(self) -> dict[str, Any]:
        """The seed's fields as received (nulls kept, exact decimals, canonical lower-case guid)."""
        return self.model_dump(mode="python")


class ServiceOrderCancellationDetails(_Entrada):
    """`POST /serviceOrders/{serviceOrderId}/cancel`. The seed calls the number both `serviceOrderNumber`
    (attribute table) and `purchaseOrderNumber` (JSON example); either is accepted, both must agree."""

    serviceOrderId: Id | None = None
    requestId: Entero | None = None
    serviceOrderNumber: NumeroOrden | None = None
    purchaseOrderNumber: NumeroOrden | None = None
    insuranceClaimNumber: Annotated[str, StringConstraints(max_length=MAX_NUMERO)] | None = None
    comments: Comentarios | None = None
    cancelledByEmailAddress: Texto | None = None
    cancelledByDisplayName: Texto | None = None

    @model_validator(mode="after")
    def _numeros_coinciden(self) -> ServiceOrderCancellationDetails:
        a, b = self.serviceOrderNumber or None, self.purchaseOrderNumber or None
        if a and b and a.casefold() != b.casefold():
            raise ValueError("serviceOrderNumber y purchaseOrderNumber no coinciden")
        return self

    @property
    def numero(self) -> str | None:
        return self.serviceOrderNumber or self.purchaseOrderNumber or None


# ---- responses (OpenAPI and tests)
# Responses carry exact JSON numbers; pydantic would document a Decimal as a string.
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


class OrdenServicio(Respuesta):
    """Staff view: the seed's fields as received plus our number, state and cancellation."""

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
