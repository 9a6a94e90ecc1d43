"""The insurer's service-order contract as stored: states, the seed's fields, the number we give each
order, and the order's link item inside the claim's collection (docs/data-model.md).

Items per order:
- canonical `OS#<id>` / `OS`: the seed's fields as received, our number, state, the receiving client
  and GSI1 (all, newest first) / GSI2 (by state) attributes;
- `OS#<id>` / `PAYLOAD`: the exact body (gzip), apart so lists and GSI copies never carry it;
- `OSNUM#<number>`: keeps our human-readable number unique;
- `EXP#<insuranceClaimNumber>` / `OS#<id>`: a summary inside the claim's collection, so the expediente's
  detail lists it whether the expediente existed when the order arrived or was created later.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from monitor.core import keys, table

if TYPE_CHECKING:  # annotations only: the expediente's functions read `vinculada` without the webhook's machinery
    from monitor.ordenes.firmas import Clave, Webhook

INT32_MAX = 2_147_483_647  # the seed's ids are .NET Int32


class EstadoOrden(StrEnum):
    RECIBIDA = "Recibida"
    CANCELADA = "Cancelada"


GUID_DISTINTO = "Ya existe una orden con ese serviceOrderId y otro serviceOrderGuid"
NO_EXISTE = "La orden de mano de obra no existe"
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
ENTEROS = {"serviceOrderId", "requestId", "claimId", "deliveryDays", "id_aseguradora"}
ENTEROS_ITEM = {"itemId", "itemActionId", "workshopServiceId"}


@dataclass(frozen=True)
class Resultado:
    status: int
    cuerpo: dict[str, Any]


def numero_legible(secuencia: int) -> str:
    return f"OS-{secuencia:06d}"


def leer(webhook: Webhook, clave: Clave) -> dict[str, Any] | None:
    """The item as read together with the client (one BatchGetItem), or a consistent read if it was not."""
    leido, item = webhook.lectura(clave)
    return item if leido else table.get(clave, consistente=True)


def enlace(orden: Mapping[str, Any]) -> dict[str, Any]:
    """The order's summary item in the claim's collection, as it must be after a write of `orden`."""
    item = {
        **keys.orden_en_expediente(orden["insuranceClaimNumber"], int(orden["serviceOrderId"])),
        "tipo": "orden_en_expediente",
        **{c: orden.get(c) for c in CAMPOS_RESUMEN},
    }
    if orden.get("cancelacion"):
        item["cancelacion"] = orden["cancelacion"]
    return item
