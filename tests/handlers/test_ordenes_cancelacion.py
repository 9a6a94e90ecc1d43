"""POST /serviceOrders/{serviceOrderId}/cancel through its handler, against moto."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from monitor.core import keys, table
from monitor.core.dates import ahora
from monitor.usuarios.campos import Rol
from tests.apoyo.ordenes import (
    ClienteIntegracion,
    crear_cliente,
    nuevo_id,
    orden_guardada,
    recibir,
    texto,
)

Invocar = Callable[..., dict[str, Any]]
RECURSO = "/serviceOrders/{serviceOrderId}/cancel"
CANCELADA = {"isCancelled": True, "showResponseText": False, "responseText": ""}
NO_EXISTE = {"isCancelled": False, "showResponseText": True, "responseText": "La orden de mano de obra no existe"}


@pytest.fixture
def cliente() -> ClienteIntegracion:
    return crear_cliente(id_aseguradora=2)


def cancelar(
    invocar: Invocar,
    cliente: ClienteIntegracion,
    sid: int | str,
    cuerpo: dict[str, Any] | str | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    crudo = (
        texto(
            {
                "serviceOrderId": sid,
                "requestId": 88412,
                "comments": "El asegurado desistió de la reparación; se reasigna a otro taller",
                "cancelledByEmailAddress": "jose.nunez@infopiezas.com",
                "cancelledByDisplayName": "José Núñez",
            }
        )
        if cuerpo is None
        else cuerpo
        if isinstance(cuerpo, str)
        else texto(cuerpo)
    )
    return invocar(
        "ordenes_cancel",
        "POST",
        RECURSO,
        llamante=cliente.llamante,
        ruta_params={"serviceOrderId": str(sid)},
        cuerpo=crudo,
        headers=cliente.cabeceras(crudo) if headers is None else headers,
    )


def expediente_en(no_siniestro: str, estado: str, id_aseguradora: int = 2) -> None:
    """An expediente of the `cliente` fixture's insurer (AXA), so its orders are linked to it."""
    table.put(
        {
            **keys.expediente(no_siniestro),
            "no_siniestro": no_siniestro,
            "estado": estado,
            "id_aseguradora": id_aseguradora,
            "nombre_cliente": "Ana Peña",
            "creado_en": ahora(),
            "version": 1,
        }
    )


# ---- accepted
def test_cancelling_a_received_order_marks_order_and_link_in_two_requests(
    invocar: Invocar, cliente: ClienteIntegracion, dynamo_requests: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    datos = recibir(invocar, cliente)
    sid = datos["serviceOrderId"]
    dynamo_requests.reiniciar()

    respuesta = cancelar(invocar, cliente, sid)

    assert respuesta["statusCode"] == 200
    assert respuesta["json"] == CANCELADA
    assert dynamo_requests.total <= 3
    assert dynamo_requests.llamadas == {"BatchGetItem": 1, "TransactWriteItems": 1}
    assert "CancelacionAceptada" in capsys.readouterr().out
    guardada = orden_guardada(sid)
    assert guardada is not None
    assert guardada["estado"] == "Cancelada"
    assert guardada["GSI2PK"] == "ORDENES#ESTADO#Cancelada"
    assert guardada["cancelacion"]["cancelado_por_nombre"] == "José Núñez"
    assert guardada["cancelacion"]["cancelado_por_email"] == "jose.nunez@infopiezas.com"
    assert guardada["cancelacion"]["comentarios"].startswith("El asegurado desistió")
    assert guardada["cancelacion"]["client_id"] == cliente.client_id
    assert guardada["cancelacion"]["fecha"].endswith("Z")
    enlace = table.get(keys.orden_en_expediente(datos["insuranceClaimNumber"], sid))
    assert enlace is not None
    assert enlace["estado"] == "Cancelada"
    assert enlace["cancelacion"]["fecha"] == guardada["cancelacion"]["fecha"]


def test_cancelling_twice_is_still_true_and_writes_nothing(
    invocar: Invocar, cliente: ClienteIntegracion, dynamo_requests: Any
) -> None:
    sid = recibir(invocar, cliente)["serviceOrderId"]
    cancelar(invocar, cliente, sid)
    primera = orden_guardada(sid)
    dynamo_requests.reiniciar()

    respuesta = cancelar(invocar, cliente, sid)

    assert respuesta["statusCode"] == 200
    assert respuesta["json"] == CANCELADA
    assert dynamo_requests.llamadas == {"BatchGetItem": 1}
    assert orden_guardada(sid) == primera


def test_an_expediente_still_in_ingreso_allows_the_cancel(invocar: Invocar, cliente: ClienteIntegracion) -> None:
    datos = recibir(invocar, cliente)
    expediente_en(datos["insuranceClaimNumber"], "Ingreso")
    assert cancelar(invocar, cliente, datos["serviceOrderId"])["json"] == CANCELADA
    assert orden_guardada(datos["serviceOrderId"])["estado"] == "Cancelada"  # type: ignore[index]


@pytest.mark.parametrize(
    "cuerpo",
    [
        pytest.param("", id="sin-cuerpo"),
        pytest.param({}, id="objeto-vacio"),
        pytest.param({"serviceOrderId": None, "purchaseOrderNumber": None}, id="nulos"),
    ],
)
def test_the_body_is_optional(invocar: Invocar, cliente: ClienteIntegracion, cuerpo: dict[str, Any] | str) -> None:
    sid = recibir(invocar, cliente)["serviceOrderId"]
    respuesta = cancelar(invocar, cliente, sid, cuerpo)
    assert respuesta["statusCode"] == 200, respuesta["json"]
    assert respuesta["json"] == CANCELADA


@pytest.mark.parametrize("campo", ["serviceOrderNumber", "purchaseOrderNumber"])
def test_our_number_under_either_name_is_accepted(invocar: Invocar, cliente: ClienteIntegracion, campo: str) -> None:
    datos = recibir(invocar, cliente)
    cuerpo = {"serviceOrderId": datos["serviceOrderId"], campo: datos["serviceOrderNumber"].lower()}
    assert cancelar(invocar, cliente, datos["serviceOrderId"], cuerpo)["json"] == CANCELADA


# ---- refused
@pytest.mark.parametrize(
    ("estado", "texto_esperado"),
    [
        ("Restauracion", "No se puede cancelar: la reparación del vehículo ya está en curso"),
        ("Pendiente_de_salida", "No se puede cancelar: la reparación del vehículo ya está en curso"),
        ("Salida", "No se puede cancelar: el vehículo ya fue entregado"),
    ],
)
def test_an_expediente_under_repair_or_delivered_refuses_and_leaves_the_order_unchanged(  # noqa: PLR0917
    invocar: Invocar,
    cliente: ClienteIntegracion,
    dynamo_requests: Any,
    capsys: pytest.CaptureFixture[str],
    estado: str,
    texto_esperado: str,
) -> None:
    datos = recibir(invocar, cliente)
    expediente_en(datos["insuranceClaimNumber"], estado)
    antes = orden_guardada(datos["serviceOrderId"])
    capsys.readouterr()
    dynamo_requests.reiniciar()

    respuesta = cancelar(invocar, cliente, datos["serviceOrderId"])

    assert respuesta["statusCode"] == 200
    assert respuesta["json"] == {"isCancelled": False, "showResponseText": True, "responseText": texto_esperado}
    assert dynamo_requests.total <= 3
    assert orden_guardada(datos["serviceOrderId"]) == antes
    enlace = table.get(keys.orden_en_expediente(datos["insuranceClaimNumber"], datos["serviceOrderId"]))
    assert enlace is not None
    assert enlace["estado"] == "Recibida"
    assert "CancelacionRechazada" in capsys.readouterr().out


def test_the_refusal_is_decided_inside_the_transaction_not_by_an_earlier_read(
    invocar: Invocar, cliente: ClienteIntegracion, dynamo_requests: Any
) -> None:
    # The expediente's state is never read before the write: the ConditionCheck decides.
    datos = recibir(invocar, cliente)
    expediente_en(datos["insuranceClaimNumber"], "Restauracion")
    dynamo_requests.reiniciar()
    respuesta = cancelar(invocar, cliente, datos["serviceOrderId"])
    assert respuesta["json"]["isCancelled"] is False
    assert dynamo_requests.llamadas == {"BatchGetItem": 1, "TransactWriteItems": 1}


def test_a_cancel_that_lost_to_a_concurrent_cancel_answers_true(
    invocar: Invocar, cliente: ClienteIntegracion, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the handler read the order while it was still Recibida, and another cancel then won
    sid = recibir(invocar, cliente)["serviceOrderId"]
    vieja = orden_guardada(sid)
    cancelar(invocar, cliente, sid)
    leer = table.get_varios
    monkeypatch.setattr(
        table,
        "get_varios",
        lambda claves, **kw: [i for i in leer(claves, **kw) if i["PK"] != keys.orden_servicio(sid)["PK"]] + [vieja],
    )
    respuesta = cancelar(invocar, cliente, sid)
    assert respuesta["json"] == CANCELADA


def test_a_number_that_is_not_ours_is_refused_with_a_text(invocar: Invocar, cliente: ClienteIntegracion) -> None:
    sid = recibir(invocar, cliente)["serviceOrderId"]
    respuesta = cancelar(invocar, cliente, sid, {"serviceOrderId": sid, "serviceOrderNumber": "OS-999999999"})
    assert respuesta["statusCode"] == 200
    assert respuesta["json"]["isCancelled"] is False
    assert respuesta["json"]["showResponseText"] is True
    assert "OS-999999999" in respuesta["json"]["responseText"]
    assert orden_guardada(sid)["estado"] == "Recibida"  # type: ignore[index]


def test_unknown_order_is_404_with_the_contract_body(invocar: Invocar, cliente: ClienteIntegracion) -> None:
    respuesta = cancelar(invocar, cliente, nuevo_id())
    assert respuesta["statusCode"] == 404
    assert respuesta["json"] == NO_EXISTE


def test_another_insurers_order_is_the_same_404_and_stays_untouched(
    invocar: Invocar, cliente: ClienteIntegracion
) -> None:
    sid = recibir(invocar, cliente)["serviceOrderId"]
    ajeno = crear_cliente(id_aseguradora=3)
    respuesta = cancelar(invocar, ajeno, sid)
    assert respuesta["statusCode"] == 404
    assert respuesta["json"] == NO_EXISTE
    assert orden_guardada(sid)["estado"] == "Recibida"  # type: ignore[index]


# ---- bad requests
def test_a_body_id_different_from_the_path_is_400(invocar: Invocar, cliente: ClienteIntegracion) -> None:
    sid = recibir(invocar, cliente)["serviceOrderId"]
    respuesta = cancelar(invocar, cliente, sid, {"serviceOrderId": sid + 1})
    assert respuesta["statusCode"] == 400
    assert respuesta["json"]["detalles"][0]["campo"] == "serviceOrderId"
    assert orden_guardada(sid)["estado"] == "Recibida"  # type: ignore[index]


def test_two_different_numbers_are_400(invocar: Invocar, cliente: ClienteIntegracion) -> None:
    sid = recibir(invocar, cliente)["serviceOrderId"]
    respuesta = cancelar(invocar, cliente, sid, {"serviceOrderNumber": "OS-000001", "purchaseOrderNumber": "OS-000002"})
    assert respuesta["statusCode"] == 400
    assert orden_guardada(sid)["estado"] == "Recibida"  # type: ignore[index]


@pytest.mark.parametrize("sid", ["abc", "0", "-1", "2147483648", "1.5"])
def test_a_path_id_that_is_not_a_valid_int_is_400(invocar: Invocar, cliente: ClienteIntegracion, sid: str) -> None:
    respuesta = cancelar(invocar, cliente, sid, "")
    assert respuesta["statusCode"] == 400


@pytest.mark.parametrize(
    "cuerpo",
    [
        pytest.param("{roto", id="json-roto"),
        pytest.param("[1]", id="arreglo"),
        pytest.param({"comments": "x" * 4001}, id="comentario-largo"),
        pytest.param({"requestId": "7"}, id="request-texto"),
    ],
)
def test_an_invalid_body_is_400_and_changes_nothing(invocar: Invocar, cliente: ClienteIntegracion, cuerpo: Any) -> None:
    sid = recibir(invocar, cliente)["serviceOrderId"]
    respuesta = cancelar(invocar, cliente, sid, cuerpo)
    assert respuesta["statusCode"] == 400
    assert orden_guardada(sid)["estado"] == "Recibida"  # type: ignore[index]


def test_an_unsigned_cancel_is_401_and_changes_nothing(invocar: Invocar, cliente: ClienteIntegracion) -> None:
    sid = recibir(invocar, cliente)["serviceOrderId"]
    respuesta = cancelar(invocar, cliente, sid, headers={})
    assert respuesta["statusCode"] == 401
    assert respuesta["json"] == {"error": "Firma inválida"}
    assert orden_guardada(sid)["estado"] == "Recibida"  # type: ignore[index]


def test_a_staff_token_is_403(invocar: Invocar, operador: Any) -> None:
    respuesta = invocar(
        "ordenes_cancel",
        "POST",
        RECURSO,
        llamante=operador,
        ruta_params={"serviceOrderId": "1"},
        cuerpo="{}",
    )
    assert respuesta["statusCode"] == 403
    assert respuesta["json"] == {"error": "Acceso restringido a integraciones de aseguradoras"}


def test_staff_of_every_role_is_refused(invocar: Invocar, crear_usuario: Callable[..., Any]) -> None:
    for rol in (Rol.ADMINISTRADOR, Rol.TECNICO):
        respuesta = invocar(
            "ordenes_cancel",
            "POST",
            RECURSO,
            llamante=crear_usuario(rol),
            ruta_params={"serviceOrderId": "1"},
            cuerpo="{}",
        )
        assert respuesta["statusCode"] == 403


@pytest.mark.parametrize("sid", ['12"', "1`2", "1\\2", "1🚗"])
def test_an_id_with_characters_the_router_refuses_is_a_400_not_a_missing_route(
    invocar: Invocar, cliente: ClienteIntegracion, sid: str
) -> None:
    """API Gateway routes any segment here; Powertools' router only matches RFC 3986 characters."""
    respuesta = cancelar(invocar, cliente, sid)
    assert respuesta["statusCode"] == 400
    assert respuesta["json"]["error"] == "Parámetro de ruta inválido"
    assert respuesta["json"]["detalles"] == [{"campo": "serviceOrderId", "mensaje": "Contiene caracteres no admitidos"}]
