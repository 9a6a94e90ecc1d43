"""The service-order contract models: exact decimals, signs, GUIDs, .NET bounds, nullable fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from monitor.core import jsoncodec
from monitor.ordenes.campos import numero_legible
from monitor.ordenes.cancelacion import precarga_cancelacion
from monitor.ordenes.modelos import ServiceOrderCancellationDetails, ServiceOrderDetails, ServiceOrderItem
from monitor.ordenes.recepcion import precarga_recepcion

GUID = "6F9619FF-8B86-D011-B42D-00C04FC964FF"


def base(**cambios: Any) -> dict[str, Any]:
    datos: dict[str, Any] = {
        "serviceOrderId": 1501,
        "serviceOrderGuid": GUID,
        "requestId": 77,
        "insuranceClaimNumber": "SIN-001",
        "deliveryDays": 5,
        "createdOnUtcDate": "2023-08-10T14:37:26.903Z",
        "subTotalAmount": Decimal("1234567.8901"),
        "differenceAmount": Decimal("-0.01"),
        "deductibleAmount": 0,
        "taxTotalAmount": Decimal("0.0000"),
    }
    datos.update(cambios)
    return datos


def errores(datos: dict[str, Any]) -> list[tuple[str, ...]]:
    with pytest.raises(ValidationError) as info:
        ServiceOrderDetails.model_validate(datos)
    return [tuple(str(p) for p in e["loc"]) for e in info.value.errors()]


def test_decimals_stay_exact_from_json_text_to_storage() -> None:
    datos = jsoncodec.loads('{"subTotalAmount": 1234567.8901, "differenceAmount": -0.01}')
    modelo = ServiceOrderDetails.model_validate(base(**datos))
    guardado = modelo.almacenable()
    assert guardado["subTotalAmount"] == Decimal("1234567.8901")
    assert str(guardado["subTotalAmount"]) == "1234567.8901"
    assert guardado["differenceAmount"] == Decimal("-0.01")
    assert jsoncodec.dumps({"x": guardado["differenceAmount"]}) == '{"x":-0.01}'


def test_difference_may_be_negative_but_other_amounts_may_not() -> None:
    assert ServiceOrderDetails.model_validate(base(differenceAmount=Decimal("-99999.5"))).differenceAmount < 0
    for campo in ("subTotalAmount", "deductibleAmount", "taxTotalAmount"):
        assert (campo,) in errores(base(**{campo: Decimal("-0.01")}))


def test_the_guid_is_validated_and_stored_lower_case() -> None:
    assert ServiceOrderDetails.model_validate(base()).almacenable()["serviceOrderGuid"] == GUID.lower()
    assert (
        ServiceOrderDetails.model_validate(base(serviceOrderGuid="{" + GUID + "}")).almacenable()["serviceOrderGuid"]
        == GUID.lower()
    )
    for malo in ("string", "", "6F9619FF-8B86-D011-B42D", 123):
        assert ("serviceOrderGuid",) in errores(base(serviceOrderGuid=malo))


def test_dates_are_normalised_to_utc_ms_z() -> None:
    modelo = ServiceOrderDetails.model_validate(base(createdOnUtcDate="2023-08-10T10:37:26.9033333-04:00"))
    assert modelo.createdOnUtcDate == "2023-08-10T14:37:26.903Z"
    sin_zona = ServiceOrderDetails.model_validate(base(createdOnUtcDate="2023-08-10T14:37:26.903"))
    assert sin_zona.createdOnUtcDate == "2023-08-10T14:37:26.903Z"


def test_short_bounds_of_item_action_id() -> None:
    item = {"itemName": "Faro", "itemQuantity": 1}
    assert ServiceOrderItem.model_validate({**item, "itemActionId": -32768}).itemActionId == -32768
    assert ServiceOrderItem.model_validate({**item, "itemActionId": 32767}).itemActionId == 32767
    for fuera in (32768, -32769):
        with pytest.raises(ValidationError):
            ServiceOrderItem.model_validate({**item, "itemActionId": fuera})


def test_nullable_item_fields_accept_null_and_keep_it() -> None:
    item = ServiceOrderItem.model_validate(
        {"itemId": None, "itemCode": "", "itemName": "Faro", "itemQuantity": 2, "workshopServicePrice": None}
    )
    volcado = item.model_dump()
    assert volcado["itemId"] is None
    assert volcado["workshopServicePrice"] is None
    assert volcado["itemCode"] == ""


def test_ids_must_be_json_integers() -> None:
    for malo in ("15", True, Decimal("15.0"), 0, 2**31):
        assert ("serviceOrderId",) in errores(base(serviceOrderId=malo))


def test_amounts_must_be_json_numbers_with_at_most_four_decimals() -> None:
    for malo in ("10.5", True, float("nan"), float("inf"), Decimal("1.00001"), Decimal("1E+18")):
        assert ("subTotalAmount",) in errores(base(subTotalAmount=malo))


def test_unknown_fields_are_ignored() -> None:
    modelo = ServiceOrderDetails.model_validate(base(nuevoCampo="x"))
    assert "nuevoCampo" not in modelo.almacenable()


def test_claim_number_is_trimmed_and_required() -> None:
    assert ServiceOrderDetails.model_validate(base(insuranceClaimNumber="  A-1 ")).insuranceClaimNumber == "A-1"
    assert ("insuranceClaimNumber",) in errores(base(insuranceClaimNumber=" "))


def test_item_count_is_bounded() -> None:
    item = {"itemName": "Tornillo", "itemQuantity": 1}
    assert len(ServiceOrderDetails.model_validate(base(items=[item] * 500)).items) == 500
    assert ("items",) in errores(base(items=[item] * 501))


def test_cancellation_accepts_either_number_name() -> None:
    assert ServiceOrderCancellationDetails.model_validate({"purchaseOrderNumber": " OS-000010 "}).numero == "OS-000010"
    assert ServiceOrderCancellationDetails.model_validate({"serviceOrderNumber": "OS-000010"}).numero == "OS-000010"
    assert ServiceOrderCancellationDetails.model_validate({"serviceOrderNumber": ""}).numero is None
    assert (
        ServiceOrderCancellationDetails.model_validate(
            {"serviceOrderNumber": "OS-000010", "purchaseOrderNumber": "os-000010"}
        ).numero
        == "OS-000010"
    )
    with pytest.raises(ValidationError):
        ServiceOrderCancellationDetails.model_validate(
            {"serviceOrderNumber": "OS-000010", "purchaseOrderNumber": "OS-000011"}
        )


def test_our_numbers_are_readable_and_sortable() -> None:
    assert numero_legible(123) == "OS-000123"
    assert numero_legible(1_234_567) == "OS-1234567"


def test_lenient_prefetch_keys() -> None:
    assert precarga_recepcion(b'{"serviceOrderId": 42}', {}) == [{"PK": "OS#0000000042", "SK": "OS"}]
    for cuerpo in (b"{roto", b"[1]", b'{"serviceOrderId": "42"}', b'{"serviceOrderId": true}', b""):
        assert precarga_recepcion(cuerpo, {}) == []
    assert precarga_cancelacion(b"", {"serviceOrderId": "42"}) == [{"PK": "OS#0000000042", "SK": "OS"}]
    for ruta in ({"serviceOrderId": "x"}, {"serviceOrderId": "0"}, {"serviceOrderId": "²"}, {}):
        assert precarga_cancelacion(b"", ruta) == []
