"""Helpers shared by the service-order tests (handler and e2e): integration clients, payloads, signing.

No tests here; the module name only keeps it inside the service-order test files.
"""

from __future__ import annotations

import gzip
import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from monitor.auth import clientes
from monitor.auth.roles import Principal
from monitor.auth.tokens import emitir_token
from monitor.core import jsoncodec, keys, table
from monitor.ordenes.firmas import CABECERA_FIRMA, ascii_dotnet, calcular
from monitor.usuarios.campos import Rol
from tests.apoyo.llamantes import Llamante

_ids = itertools.count(int(uuid.uuid4().int % 1_000_000_000) + 1)


def nuevo_id() -> int:
    """serviceOrderIds unique across tests and sessions (the table lives for one session)."""
    return next(_ids)


@dataclass
class ClienteIntegracion:
    llamante: Llamante
    hmac_key: str
    client_id: str
    id_aseguradora: int

    @property
    def token(self) -> str:
        return self.llamante.token

    def firma(self, cuerpo: str, *, ascii_: bool = False) -> str:
        datos = ascii_dotnet(cuerpo) if ascii_ else cuerpo.encode("utf-8")
        return calcular(datos, self.hmac_key)

    def cabeceras(self, cuerpo: str, **kwargs: Any) -> dict[str, str]:
        return {CABECERA_FIRMA: self.firma(cuerpo, **kwargs)}


def crear_cliente(id_aseguradora: int = 1, exigir_firma: bool = True) -> ClienteIntegracion:
    item = clientes.crear(nombre="Infopiezas Peña", id_aseguradora=id_aseguradora, exigir_firma=exigir_firma)
    client_id = item["client_id"]
    principal = Principal(id=client_id, username=client_id, rol=Rol.INTEGRACION, id_aseguradora=id_aseguradora)
    token = emitir_token(
        sub=client_id, username=client_id, rol=Rol.INTEGRACION, version=1, ttl=600, id_aseguradora=id_aseguradora
    )
    return ClienteIntegracion(Llamante(principal, token), item["hmac_key"], client_id, id_aseguradora)


def orden(service_order_id: int | None = None, claim: str | None = None, **cambios: Any) -> dict[str, Any]:
    """The seed's example with realistic values: exact decimals, a negative adjustment, nulls, accents."""
    datos: dict[str, Any] = {
        "serviceOrderId": service_order_id or nuevo_id(),
        "serviceOrderGuid": str(uuid.uuid4()),
        "requestId": 88412,
        "claimId": None,
        "insuranceClaimNumber": claim or f"SIN-{uuid.uuid4().hex[:8].upper()}",
        "deliveryDays": 7,
        "createdOnUtcDate": "2024-03-20T10:30:00.123Z",
        "createdByEmailAddress": "maria.pena@infopiezas.com",
        "createdByDisplayName": "María Peña",
        "workshopPersonTaxId": "131-45678-9",
        "workshopPersonName": "Taller Hermanos Peña, S.R.L.",
        "subTotalAmount": Decimal("1234567.8901"),
        "differenceAmount": Decimal("-0.01"),
        "deductibleAmount": Decimal("5000"),
        "taxTotalAmount": Decimal("222222.2202"),
        "comments": None,
        "items": [
            {
                "itemId": 5521,
                "itemCode": "",
                "itemName": "Defensa delantera (enderezado y pintura)",
                "itemQuantity": Decimal("1.5"),
                "itemActionId": -3,
                "itemActionName": "Reparar",
                "workshopServiceId": None,
                "workshopServiceCode": "HP-01",
                "workshopServiceName": "Hojalatería y pintura",
                "workshopServicePrice": Decimal("4500.75"),
                "otherCosts": None,
            }
        ],
    }
    datos.update(cambios)
    return datos


def recibir(invocar: Callable[..., dict[str, Any]], cliente: ClienteIntegracion, **cambios: Any) -> dict[str, Any]:
    """Delivers a signed order through the handler and returns it with the number it was given."""
    datos = orden(**cambios)
    cuerpo = texto(datos)
    respuesta = invocar(
        "ordenes_receive",
        "POST",
        "/serviceOrders",
        llamante=cliente.llamante,
        cuerpo=cuerpo,
        headers=cliente.cabeceras(cuerpo),
    )
    assert respuesta["statusCode"] == 201, respuesta["json"]
    return {**datos, "serviceOrderNumber": respuesta["json"]["serviceOrderNumber"]}


def texto(datos: Any) -> str:
    """The body as a .NET sender writes it: UTF-8, accents unescaped, decimals exact."""
    return jsoncodec.dumps(datos)


def orden_guardada(service_order_id: int) -> dict[str, Any] | None:
    return table.get(keys.orden_servicio(service_order_id), consistente=True)


def payload_guardado(service_order_id: int) -> bytes | None:
    item = table.get(keys.payload_orden(service_order_id), consistente=True)
    return gzip.decompress(bytes(item["payload_gzip"])) if item else None


def contador_ordenes() -> int:
    item = table.get(keys.contador("ordenes"), consistente=True)
    return int(item["valor"]) if item else 0
