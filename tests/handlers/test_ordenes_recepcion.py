"""POST /serviceOrders through its handler, against moto: signature, validation, storage, retries."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from monitor.core import keys, table
from monitor.core.errors import ServicioNoDisponible
from monitor.ordenes import consultas
from monitor.usuarios.campos import Rol
from tests.apoyo.ordenes import (
    ClienteIntegracion,
    contador_ordenes,
    crear_cliente,
    nuevo_id,
    orden,
    orden_guardada,
    payload_guardado,
    texto,
)

Invocar = Callable[..., dict[str, Any]]
RECURSO = "/serviceOrders"


def enviar(
    invocar: Invocar, cliente: ClienteIntegracion, cuerpo: str, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    cabeceras = cliente.cabeceras(cuerpo) if headers is None else headers
    return invocar("ordenes_receive", "POST", RECURSO, llamante=cliente.llamante, cuerpo=cuerpo, headers=cabeceras)


@pytest.fixture
def cliente() -> ClienteIntegracion:
    return crear_cliente(id_aseguradora=1)


# ---- first delivery
def test_a_new_order_is_stored_with_items_payload_number_and_link_in_three_requests(
    invocar: Invocar, cliente: ClienteIntegracion, dynamo_requests: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a signed order with accents, exact decimals and nulls
    datos = orden()
    cuerpo = texto(datos)
    dynamo_requests.reiniciar()

    # When it is delivered
    respuesta = enviar(invocar, cliente, cuerpo)

    # Then 201 with our human-readable number, in at most three DynamoDB requests
    assert respuesta["statusCode"] == 201, respuesta["json"]
    numero = respuesta["json"]["serviceOrderNumber"]
    assert respuesta["json"] == {"serviceOrderId": datos["serviceOrderId"], "serviceOrderNumber": numero}
    assert re.fullmatch(r"OS-\d{6,}", numero)
    assert dynamo_requests.llamadas == {"BatchGetItem": 1, "UpdateItem": 1, "TransactWriteItems": 1}
    assert "ServiceOrderRecibida" in capsys.readouterr().out

    guardada = orden_guardada(datos["serviceOrderId"])
    assert guardada is not None
    assert guardada["serviceOrderGuid"] == datos["serviceOrderGuid"]
    assert guardada["subTotalAmount"] == Decimal("1234567.8901")
    assert guardada["differenceAmount"] == Decimal("-0.01")
    assert guardada["claimId"] is None
    assert guardada["comments"] is None
    assert guardada["items"][0]["itemCode"] == ""
    assert guardada["items"][0]["itemQuantity"] == Decimal("1.5")
    assert guardada["items"][0]["workshopServiceId"] is None
    assert guardada["createdByDisplayName"] == "María Peña"
    assert guardada["estado"] == "Recibida"
    assert guardada["client_id"] == cliente.client_id
    assert guardada["id_aseguradora"] == 1
    assert payload_guardado(datos["serviceOrderId"]) == cuerpo.encode("utf-8")
    assert "payload_gzip" not in guardada
    assert guardada["GSI2PK"] == "ORDENES#ESTADO#Recibida"

    numero_item = table.get(keys.numero_orden(numero), consistente=True)
    assert numero_item is not None
    assert numero_item["serviceOrderId"] == datos["serviceOrderId"]
    enlace = table.get(keys.orden_en_expediente(datos["insuranceClaimNumber"], datos["serviceOrderId"]))
    assert enlace is not None
    assert enlace["serviceOrderNumber"] == numero
    assert enlace["estado"] == "Recibida"
    assert enlace["id_aseguradora"] == 1


def test_numbers_are_unique_and_increasing(invocar: Invocar, cliente: ClienteIntegracion) -> None:
    numeros = [
        enviar(invocar, cliente, cuerpo)["json"]["serviceOrderNumber"] for cuerpo in (texto(orden()), texto(orden()))
    ]
    assert numeros[0] != numeros[1]
    assert int(numeros[1][3:]) > int(numeros[0][3:])


def test_unknown_fields_are_ignored_but_kept_in_the_raw_payload(invocar: Invocar, cliente: ClienteIntegracion) -> None:
    datos = orden(campoNuevo="v2", items=[{**orden()["items"][0], "extra": 1}])
    cuerpo = texto(datos)
    respuesta = enviar(invocar, cliente, cuerpo)
    assert respuesta["statusCode"] == 201
    guardada = orden_guardada(datos["serviceOrderId"])
    assert guardada is not None
    assert "campoNuevo" not in guardada
    assert "extra" not in guardada["items"][0]
    assert b"campoNuevo" in (payload_guardado(datos["serviceOrderId"]) or b"")


def test_claim_number_is_trimmed_and_dates_normalised(invocar: Invocar, cliente: ClienteIntegracion) -> None:
    datos = orden(insuranceClaimNumber="  SIN-2024-0001 ", createdOnUtcDate="2024-03-20T06:30:00.1234567-04:00")
    datos["insuranceClaimNumber"] = f"  SIN-{uuid.uuid4().hex[:6]} "
    assert enviar(invocar, cliente, texto(datos))["statusCode"] == 201
    guardada = orden_guardada(datos["serviceOrderId"])
    assert guardada is not None
    assert guardada["insuranceClaimNumber"] == datos["insuranceClaimNumber"].strip()
    assert guardada["createdOnUtcDate"] == "2024-03-20T10:30:00.123Z"


def test_items_may_be_omitted_or_empty(invocar: Invocar, cliente: ClienteIntegracion) -> None:
    sin_items = orden()
    del sin_items["items"]
    assert enviar(invocar, cliente, texto(sin_items))["statusCode"] == 201
    assert orden_guardada(sin_items["serviceOrderId"])["items"] == []  # type: ignore[index]
    assert enviar(invocar, cliente, texto(orden(items=[])))["statusCode"] == 201


# ---- retries
def test_a_retry_answers_200_with_the_same_number_in_one_request_and_stores_nothing(
    invocar: Invocar, cliente: ClienteIntegracion, dynamo_requests: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    cuerpo = texto(orden())
    primera = enviar(invocar, cliente, cuerpo)
    antes = contador_ordenes()
    capsys.readouterr()
    dynamo_requests.reiniciar()

    segunda = enviar(invocar, cliente, cuerpo)

    assert segunda["statusCode"] == 200
    assert segunda["json"] == primera["json"]
    assert dynamo_requests.total <= 2
    assert dynamo_requests.llamadas == {"BatchGetItem": 1}
    assert contador_ordenes() == antes
    assert "ServiceOrderDuplicada" in capsys.readouterr().out


def test_a_retry_with_a_differently_formatted_guid_is_still_the_same_order(
    invocar: Invocar, cliente: ClienteIntegracion
) -> None:
    datos = orden()
    primera = enviar(invocar, cliente, texto(datos))
    otra_forma = {**datos, "serviceOrderGuid": datos["serviceOrderGuid"].upper()}
    segunda = enviar(invocar, cliente, texto(otra_forma))
    assert segunda["statusCode"] == 200
    assert segunda["json"] == primera["json"]


def test_same_id_with_another_guid_is_409_and_the_order_is_unchanged(
    invocar: Invocar, cliente: ClienteIntegracion
) -> None:
    datos = orden()
    enviar(invocar, cliente, texto(datos))
    antes = orden_guardada(datos["serviceOrderId"])

    respuesta = enviar(invocar, cliente, texto({**datos, "serviceOrderGuid": str(uuid.uuid4())}))

    assert respuesta["statusCode"] == 409
    assert respuesta["json"] == {"error": "Ya existe una orden con ese serviceOrderId y otro serviceOrderGuid"}
    assert orden_guardada(datos["serviceOrderId"]) == antes


def test_same_id_from_another_insurer_is_409_without_leaking_the_number(
    invocar: Invocar, cliente: ClienteIntegracion
) -> None:
    datos = orden()
    cuerpo = texto(datos)
    numero = enviar(invocar, cliente, cuerpo)["json"]["serviceOrderNumber"]
    otra = crear_cliente(id_aseguradora=2)

    respuesta = enviar(invocar, otra, cuerpo)

    assert respuesta["statusCode"] == 409
    assert numero not in json.dumps(respuesta["json"])
    assert orden_guardada(datos["serviceOrderId"])["client_id"] == cliente.client_id  # type: ignore[index]


def test_another_client_of_the_same_insurer_gets_the_same_number(invocar: Invocar, cliente: ClienteIntegracion) -> None:
    cuerpo = texto(orden())
    primera = enviar(invocar, cliente, cuerpo)
    segunda = enviar(invocar, crear_cliente(id_aseguradora=1), cuerpo)
    assert segunda["statusCode"] == 200
    assert segunda["json"] == primera["json"]


def test_a_concurrent_duplicate_that_loses_the_transaction_answers_like_a_retry(
    invocar: Invocar, cliente: ClienteIntegracion, monkeypatch: pytest.MonkeyPatch, dynamo_requests: Any
) -> None:
    # Given an order stored by a delivery that this one did not see when it read
    datos = orden()
    cuerpo = texto(datos)
    primera = enviar(invocar, cliente, cuerpo)
    leer = table.get_varios
    monkeypatch.setattr(table, "get_varios", lambda claves, **kw: leer(claves[:1], **kw))
    dynamo_requests.reiniciar()

    # When the loser's transaction is refused
    respuesta = enviar(invocar, cliente, cuerpo)

    # Then it answers with the winner's number, read from the cancellation reason (no extra read)
    assert respuesta["statusCode"] == 200
    assert respuesta["json"] == primera["json"]
    assert dynamo_requests.llamadas == {"BatchGetItem": 1, "UpdateItem": 1, "TransactWriteItems": 1}
    enlace = table.get(keys.orden_en_expediente(datos["insuranceClaimNumber"], datos["serviceOrderId"]))
    assert enlace is not None
    assert enlace["serviceOrderNumber"] == primera["json"]["serviceOrderNumber"]


def test_a_transaction_conflict_with_a_stored_duplicate_answers_like_a_retry(
    invocar: Invocar, cliente: ClienteIntegracion, monkeypatch: pytest.MonkeyPatch
) -> None:
    cuerpo = texto(orden())
    primera = enviar(invocar, cliente, cuerpo)
    leer = table.get_varios
    monkeypatch.setattr(table, "get_varios", lambda claves, **kw: leer(claves[:1], **kw))

    def conflicto(*_a: Any, **_k: Any) -> None:
        raise ServicioNoDisponible()

    monkeypatch.setattr(table.Transaccion, "ejecutar", conflicto)
    respuesta = enviar(invocar, cliente, cuerpo)
    assert respuesta["statusCode"] == 200
    assert respuesta["json"] == primera["json"]


@pytest.mark.parametrize("reintento", ["refusado", "caida"])
def test_our_own_write_whose_answer_was_lost_is_still_201(
    invocar: Invocar, cliente: ClienteIntegracion, monkeypatch: pytest.MonkeyPatch, reintento: str
) -> None:
    # Given the SDK's first attempt commits but its answer is lost, and the retry is refused (or fails)
    real = table.Transaccion.ejecutar

    def respuesta_perdida(transaccion: table.Transaccion, token: str | None = None) -> None:
        real(transaccion, token)
        if reintento == "refusado":
            real(transaccion, token)  # raises TransaccionCancelada: the order is already there
        raise ServicioNoDisponible()

    monkeypatch.setattr(table.Transaccion, "ejecutar", respuesta_perdida)
    datos = orden()

    respuesta = enviar(invocar, cliente, texto(datos))

    # Then it is our own order: 201 with the number stored
    assert respuesta["statusCode"] == 201
    guardada = orden_guardada(datos["serviceOrderId"])
    assert guardada is not None
    assert respuesta["json"]["serviceOrderNumber"] == guardada["serviceOrderNumber"]


def test_a_failed_transaction_is_503_and_nothing_is_stored(
    invocar: Invocar, cliente: ClienteIntegracion, monkeypatch: pytest.MonkeyPatch
) -> None:
    datos = orden()

    def caida(*_a: Any, **_k: Any) -> None:
        raise ServicioNoDisponible()

    monkeypatch.setattr(table.Transaccion, "ejecutar", caida)
    respuesta = enviar(invocar, cliente, texto(datos))
    assert respuesta["statusCode"] == 503
    assert respuesta["json"] == {"error": "Servicio no disponible temporalmente, intente de nuevo"}
    assert orden_guardada(datos["serviceOrderId"]) is None


# ---- roles and signatures
def test_a_staff_token_is_403_whatever_the_body(invocar: Invocar, crear_usuario: Callable[..., Any]) -> None:
    for rol in (Rol.ADMINISTRADOR, Rol.OPERADOR, Rol.TECNICO):
        respuesta = invocar("ordenes_receive", "POST", RECURSO, llamante=crear_usuario(rol), cuerpo="{no es json")
        assert respuesta["statusCode"] == 403
        assert respuesta["json"] == {"error": "Acceso restringido a integraciones de aseguradoras"}


def test_without_a_token_is_401(invocar: Invocar) -> None:
    respuesta = invocar("ordenes_receive", "POST", RECURSO, cuerpo=texto(orden()))
    assert respuesta["statusCode"] == 401


@pytest.mark.parametrize(
    "cabeceras",
    [
        pytest.param({}, id="sin-firma"),
        pytest.param({"X-Infopiezas-Hmac-Sha256": ""}, id="vacia"),
        pytest.param({"X-Infopiezas-Hmac-Sha256": "0" * 64}, id="incorrecta"),
        pytest.param({"X-Infopiezas-Hmac-Sha256": "zzzñ"}, id="no-hex"),
    ],
)
def test_a_missing_or_wrong_signature_is_401_and_nothing_is_stored(
    invocar: Invocar, cliente: ClienteIntegracion, cabeceras: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    datos = orden()
    respuesta = enviar(invocar, cliente, texto(datos), headers=cabeceras)
    assert respuesta["statusCode"] == 401
    assert respuesta["json"] == {"error": "Firma inválida"}
    assert orden_guardada(datos["serviceOrderId"]) is None
    assert "FirmaInvalida" in capsys.readouterr().out


def test_a_signature_of_another_body_or_key_is_401(invocar: Invocar, cliente: ClienteIntegracion) -> None:
    datos = orden()
    cuerpo = texto(datos)
    otro = texto({**datos, "subTotalAmount": Decimal("1")})
    assert enviar(invocar, cliente, cuerpo, headers=cliente.cabeceras(otro))["statusCode"] == 401
    otro_cliente = crear_cliente(id_aseguradora=1)
    assert enviar(invocar, cliente, cuerpo, headers=otro_cliente.cabeceras(cuerpo))["statusCode"] == 401
    assert orden_guardada(datos["serviceOrderId"]) is None


def test_the_signature_is_checked_before_validation(invocar: Invocar, cliente: ClienteIntegracion) -> None:
    respuesta = enviar(invocar, cliente, '{"serviceOrderId": "x"}', headers={})
    assert respuesta["statusCode"] == 401
    assert respuesta["json"] == {"error": "Firma inválida"}


@pytest.mark.parametrize(
    ("nombre", "transformar", "ascii_"),
    [
        ("X-Infopiezas-Hmac-Sha256", str.lower, False),
        ("X-Infopiezas-Hmac-Sha256", str.upper, False),
        ("x-infopiezas-hmac-sha256", str.lower, False),
        ("X-INFOPIEZAS-HMAC-SHA256", str.upper, True),
        ("X-Infopiezas-Hmac-Sha256", str.lower, True),
    ],
    ids=["hex-minusculas", "hex-mayusculas", "cabecera-minusculas", "ascii-mayusculas", "ascii-dotnet"],
)
def test_accepted_signature_forms(
    invocar: Invocar,
    cliente: ClienteIntegracion,
    nombre: str,
    transformar: Callable[[str], str],
    ascii_: bool,
) -> None:
    datos = orden()
    cuerpo = texto(datos)
    assert "Peña" in cuerpo  # the accented name travels as UTF-8
    firma = transformar(cliente.firma(cuerpo, ascii_=ascii_))
    respuesta = enviar(invocar, cliente, cuerpo, headers={nombre: firma, "X-Infopiezas-Topic": "serviceorder/created"})
    assert respuesta["statusCode"] == 201, respuesta["json"]


def test_the_topic_header_is_logged(
    invocar: Invocar, cliente: ClienteIntegracion, caplog: pytest.LogCaptureFixture
) -> None:
    cuerpo = texto(orden())
    cabeceras = {**cliente.cabeceras(cuerpo), "X-Infopiezas-Topic": "serviceorder/created"}
    with caplog.at_level("INFO", logger="monitor"):
        assert enviar(invocar, cliente, cuerpo, headers=cabeceras)["statusCode"] == 201
    assert any(getattr(r, "topic", None) == "serviceorder/created" for r in caplog.records)
    assert all(cliente.hmac_key not in str(r.__dict__) for r in caplog.records)


def test_a_client_that_does_not_require_signatures_is_accepted_unsigned(invocar: Invocar) -> None:
    sin_firma = crear_cliente(id_aseguradora=3, exigir_firma=False)
    respuesta = enviar(invocar, sin_firma, texto(orden()), headers={})
    assert respuesta["statusCode"] == 201


def test_a_deactivated_client_is_401(invocar: Invocar, cliente: ClienteIntegracion) -> None:
    table.update(keys.cliente(cliente.client_id), "SET activo = :no", {":no": False})
    datos = orden()
    respuesta = enviar(invocar, cliente, texto(datos))
    assert respuesta["statusCode"] == 401
    assert orden_guardada(datos["serviceOrderId"]) is None


# ---- validation
def test_malformed_json_is_400_and_nothing_is_stored(invocar: Invocar, cliente: ClienteIntegracion) -> None:
    antes = contador_ordenes()
    cuerpo = '{"serviceOrderId": 12, "items": ['
    respuesta = enviar(invocar, cliente, cuerpo)
    assert respuesta["statusCode"] == 400
    assert respuesta["json"]["error"] == "El cuerpo no es JSON válido"
    assert contador_ordenes() == antes


def test_an_empty_body_is_400(invocar: Invocar, cliente: ClienteIntegracion) -> None:
    respuesta = enviar(invocar, cliente, "")
    assert respuesta["statusCode"] == 400


def _item(**cambios: Any) -> list[dict[str, Any]]:
    return [{**orden()["items"][0], **cambios}]


INVALIDOS = [
    ("serviceOrderId", {"serviceOrderId": 0}),
    ("serviceOrderId", {"serviceOrderId": -5}),
    ("serviceOrderId", {"serviceOrderId": "123"}),
    ("serviceOrderId", {"serviceOrderId": Decimal("12.5")}),
    ("serviceOrderId", {"serviceOrderId": 2_147_483_648}),
    ("serviceOrderGuid", {"serviceOrderGuid": "no-es-un-guid"}),
    ("serviceOrderGuid", {"serviceOrderGuid": None}),
    ("requestId", {"requestId": None}),
    ("requestId", {"requestId": True}),
    ("claimId", {"claimId": "7"}),
    ("insuranceClaimNumber", {"insuranceClaimNumber": "   "}),
    ("insuranceClaimNumber", {"insuranceClaimNumber": "X" * 65}),
    ("insuranceClaimNumber", {"insuranceClaimNumber": 12345}),
    ("deliveryDays", {"deliveryDays": -1}),
    ("createdOnUtcDate", {"createdOnUtcDate": "ayer"}),
    ("createdByEmailAddress", {"createdByEmailAddress": "a" * 501}),
    ("workshopPersonName", {"workshopPersonName": ["Peña"]}),
    ("subTotalAmount", {"subTotalAmount": "1234.50"}),
    ("subTotalAmount", {"subTotalAmount": Decimal("12.34567")}),
    ("subTotalAmount", {"subTotalAmount": Decimal("-1")}),
    ("subTotalAmount", {"subTotalAmount": Decimal("1E+20")}),
    ("subTotalAmount", {"subTotalAmount": None}),
    ("differenceAmount", {"differenceAmount": False}),
    ("deductibleAmount", {"deductibleAmount": {"monto": 1}}),
    ("taxTotalAmount", {"taxTotalAmount": Decimal("-0.0001")}),
    ("comments", {"comments": "x" * 4001}),
    ("items", {"items": {"itemName": "Faro"}}),
    ("items", {"items": [orden()["items"][0]] * 501}),
    ("items.0.itemName", {"items": _item(itemName=None)}),
    ("items.0.itemQuantity", {"items": _item(itemQuantity="2")}),
    ("items.0.itemActionId", {"items": _item(itemActionId=32768)}),
    ("items.0.itemActionId", {"items": _item(itemActionId=-32769)}),
    ("items.0.workshopServicePrice", {"items": _item(workshopServicePrice=Decimal("-1"))}),
    ("items.0", {"items": ["Faro"]}),
]


@pytest.mark.parametrize(("campo", "cambios"), INVALIDOS, ids=[f"{c}-{i}" for i, (c, _) in enumerate(INVALIDOS)])
def test_each_invalid_field_is_400_with_details_and_nothing_is_stored(
    invocar: Invocar, cliente: ClienteIntegracion, campo: str, cambios: dict[str, Any]
) -> None:
    sid = nuevo_id()
    datos = orden(sid, **{"serviceOrderId": sid, **cambios})
    antes = contador_ordenes()

    respuesta = enviar(invocar, cliente, texto(datos))

    assert respuesta["statusCode"] == 400, respuesta["json"]
    assert respuesta["json"]["error"]
    assert campo in [d["campo"] for d in respuesta["json"]["detalles"]], respuesta["json"]
    assert orden_guardada(sid) is None
    assert contador_ordenes() == antes


@pytest.mark.parametrize("constante", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_400(invocar: Invocar, cliente: ClienteIntegracion, constante: str) -> None:
    datos = orden()
    cuerpo = texto(datos).replace('"subTotalAmount":1234567.8901', f'"subTotalAmount":{constante}')
    assert constante in cuerpo
    respuesta = enviar(invocar, cliente, cuerpo)
    assert respuesta["statusCode"] == 400
    assert respuesta["json"]["detalles"] == [{"campo": "subTotalAmount", "mensaje": "Debe ser un número decimal"}]
    assert orden_guardada(datos["serviceOrderId"]) is None


def test_missing_required_fields_are_named(invocar: Invocar, cliente: ClienteIntegracion) -> None:
    respuesta = enviar(invocar, cliente, texto({"serviceOrderId": nuevo_id()}))
    assert respuesta["statusCode"] == 400
    assert respuesta["json"]["error"].startswith("Faltan campos obligatorios: ")
    for campo in ("serviceOrderGuid", "requestId", "insuranceClaimNumber", "subTotalAmount", "taxTotalAmount"):
        assert campo in respuesta["json"]["error"]


def test_a_json_array_is_400(invocar: Invocar, cliente: ClienteIntegracion) -> None:
    respuesta = enviar(invocar, cliente, texto([orden()]))
    assert respuesta["statusCode"] == 400


def test_summary_helper_matches_the_link_item(invocar: Invocar, cliente: ClienteIntegracion) -> None:
    datos = orden()
    enviar(invocar, cliente, texto(datos))
    enlace = table.get(keys.orden_en_expediente(datos["insuranceClaimNumber"], datos["serviceOrderId"]))
    assert enlace is not None
    resumen = consultas.resumen(enlace)
    assert resumen["serviceOrderId"] == datos["serviceOrderId"]
    assert resumen["subTotalAmount"] == Decimal("1234567.8901")
    assert resumen["differenceAmount"] == Decimal("-0.01")


def test_the_largest_accepted_body_fits_in_one_item(invocar: Invocar, cliente: ClienteIntegracion) -> None:
    # Given 500 lines of hard-to-compress text, just under the 256 KB body limit
    lineas = [
        {**orden()["items"][0], "itemName": uuid.uuid4().hex * 6, "workshopServiceName": uuid.uuid4().hex * 2}
        for _ in range(500)
    ]
    datos = orden(items=lineas)
    cuerpo = texto(datos)
    assert 200_000 < len(cuerpo.encode()) < 262_144

    respuesta = enviar(invocar, cliente, cuerpo)

    assert respuesta["statusCode"] == 201, respuesta["json"]
    guardada = orden_guardada(datos["serviceOrderId"])
    assert guardada is not None
    assert len(guardada["items"]) == 500
    assert payload_guardado(datos["serviceOrderId"]) == cuerpo.encode()


def test_a_body_over_the_limit_is_413(invocar: Invocar, cliente: ClienteIntegracion) -> None:
    datos = orden(comments=None, items=[{**orden()["items"][0], "itemName": "x" * 500}] * 500)
    cuerpo = texto(datos)
    assert len(cuerpo.encode()) > 262_144
    assert enviar(invocar, cliente, cuerpo)["statusCode"] == 413
    assert orden_guardada(datos["serviceOrderId"]) is None


def test_a_body_that_would_not_fit_in_dynamodb_is_413_and_nothing_is_stored(
    invocar: Invocar, cliente: ClienteIntegracion
) -> None:
    # Under the character limit, but three bytes per character in UTF-8
    datos = orden(items=[{**orden()["items"][0], "itemName": "中" * 480} for _ in range(300)])
    cuerpo = texto(datos)
    assert len(cuerpo) < 262_144 < len(cuerpo.encode())
    antes = contador_ordenes()

    respuesta = enviar(invocar, cliente, cuerpo)

    assert respuesta["statusCode"] == 413
    assert respuesta["json"] == {"error": "La orden de servicio es demasiado grande para almacenarse"}
    assert orden_guardada(datos["serviceOrderId"]) is None
    assert payload_guardado(datos["serviceOrderId"]) is None
    assert contador_ordenes() == antes + 1  # a number was drawn and is never reused
