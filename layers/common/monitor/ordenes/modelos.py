"""The infopiezas service-order contract (docs/integraciones.md) as Pydantic models.

Names are the camelCase of the seed's JSON examples. Unknown fields are ignored rather than refused:
the seed warns that its JSON may grow, a refused delivery would be retried forever, and the raw
payload keeps whatever we did not model. Numbers are strict: ids must be JSON integers and amounts
JSON numbers (never strings or booleans); the body is parsed with `Decimal`, so amounts stay exact.
"""

from decimal import Decimal
from typing import Annotated, Any, Self
from uuid import UUID

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    field_serializer,
    model_validator,
)

from monitor.core.models import Cuerpo, MarcaTiempoUtc
from monitor.ordenes.campos import INT32_MAX

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


class _Entrada(Cuerpo):
    model_config = ConfigDict(extra="ignore")


# A part or service line. `itemCode` may be blank; `itemId` identifies the part.
class ServiceOrderItem(_Entrada):
    __doc__ = "Una línea de refacción o servicio; `itemCode` puede venir vacío, `itemId` identifica la pieza."

    itemId: Entero | None = None
    itemCode: Texto | None = None
    itemName: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXTO)]
    itemQuantity: MontoPositivo
    itemActionId: Short | None = None
    itemActionName: Texto | None = None
    workshopServiceId: Entero | None = None
    workshopServiceCode: Texto | None = None
    workshopServiceName: Texto | None = None
    workshopServicePrice: MontoPositivo | None = None
    otherCosts: MontoPositivo | None = None


# `POST /serviceOrders`. .NET value types (ints, decimals, guid, DateTime) are required; strings may be null.
class ServiceOrderDetails(_Entrada):
    __doc__ = (
        "Orden de mano de obra (`POST /serviceOrders`): los tipos de valor de .NET (enteros, decimales, guid,"
        " fechas) son obligatorios; los textos admiten null."
    )

    serviceOrderId: Id
    serviceOrderGuid: UUID
    requestId: Entero
    claimId: Entero | None = None
    insuranceClaimNumber: NumeroReclamacion
    deliveryDays: Annotated[int, Field(strict=True, ge=0, le=3650)]
    createdOnUtcDate: MarcaTiempoUtc
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


# `POST /serviceOrders/{serviceOrderId}/cancel`. The seed calls the number both `serviceOrderNumber` (attribute
# table) and `purchaseOrderNumber` (JSON example); either is accepted, both must agree.
class ServiceOrderCancellationDetails(_Entrada):
    __doc__ = (
        "Solicitud de cancelación: el número se acepta como `serviceOrderNumber` o `purchaseOrderNumber` (si "
        "vienen ambos deben coincidir)."
    )

    serviceOrderId: Id | None = None
    requestId: Entero | None = None
    serviceOrderNumber: NumeroOrden | None = None
    purchaseOrderNumber: NumeroOrden | None = None
    insuranceClaimNumber: Annotated[str, StringConstraints(max_length=MAX_NUMERO)] | None = None
    comments: Comentarios | None = None
    cancelledByEmailAddress: Texto | None = None
    cancelledByDisplayName: Texto | None = None

    @model_validator(mode="after")
    def _numeros_coinciden(self) -> Self:
        a, b = self.serviceOrderNumber or None, self.purchaseOrderNumber or None
        if a and b and a.casefold() != b.casefold():
            raise ValueError("serviceOrderNumber y purchaseOrderNumber no coinciden")
        return self

    @property
    def numero(self) -> str | None:
        return self.serviceOrderNumber or self.purchaseOrderNumber or None
