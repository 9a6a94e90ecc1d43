"""Staff views of service orders: GET /api/ordenes-servicio and GET /api/ordenes-servicio/{serviceOrderId}."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from tests.apoyo.ordenes import ClienteIntegracion, crear_cliente, nuevo_id, recibir, texto

Invocar = Callable[..., dict[str, Any]]
LISTA = "/api/ordenes-servicio"
DETALLE = "/api/ordenes-servicio/{serviceOrderId}"


@pytest.fixture(scope="module")
def cliente() -> ClienteIntegracion:
    return crear_cliente(id_aseguradora=1)


def cancelar(invocar: Invocar, cliente: ClienteIntegracion, sid: int) -> None:
    cuerpo = texto({"comments": "Cancelada por el ajustador", "cancelledByDisplayName": "Lucía Ibáñez"})
    respuesta = invocar(
        "ordenes_cancel",
        "POST",
        "/serviceOrders/{serviceOrderId}/cancel",
        llamante=cliente.llamante,
        ruta_params={"serviceOrderId": str(sid)},
        cuerpo=cuerpo,
        headers=cliente.cabeceras(cuerpo),
    )
    assert respuesta["json"]["isCancelled"] is True


def detalle(invocar: Invocar, llamante: Any, sid: int | str) -> dict[str, Any]:
    return invocar("ordenes_get", "GET", DETALLE, llamante=llamante, ruta_params={"serviceOrderId": str(sid)})


def lista(invocar: Invocar, llamante: Any, **query: str) -> dict[str, Any]:
    return invocar("ordenes_list", "GET", LISTA, llamante=llamante, query=query)


# ---- detail
def test_the_detail_is_the_order_as_received_with_exact_decimals_and_nulls(
    invocar: Invocar, cliente: ClienteIntegracion, tecnico: Any, dynamo_requests: Any
) -> None:
    datos = recibir(invocar, cliente)
    dynamo_requests.reiniciar()

    respuesta = detalle(invocar, tecnico, datos["serviceOrderId"])

    assert respuesta["statusCode"] == 200
    assert dynamo_requests.llamadas == {"GetItem": 2}  # the order and its claim's expediente (vinculada)
    cuerpo = respuesta["json"]
    for campo, valor in datos.items():
        if campo != "items":
            assert cuerpo[campo] == (float(valor) if isinstance(valor, Decimal) else valor), campo
    assert cuerpo["items"] == [{k: float(v) if isinstance(v, Decimal) else v for k, v in datos["items"][0].items()}]
    assert cuerpo["estado"] == "Recibida"
    assert cuerpo["recibida_en"].endswith("Z")
    assert "cancelacion" not in cuerpo
    # Exact text of the decimals, as sent (no float on the way)
    assert '"subTotalAmount":1234567.8901' in respuesta["body"]
    assert '"differenceAmount":-0.01' in respuesta["body"]
    assert '"claimId":null' in respuesta["body"]
    assert '"itemCode":""' in respuesta["body"]
    for secreto in ("payload", "client_id", "hmac", "GSI1PK", '"PK"'):
        assert secreto not in respuesta["body"]


def test_the_detail_of_a_cancelled_order_has_who_when_and_comments(
    invocar: Invocar, cliente: ClienteIntegracion, operador: Any
) -> None:
    sid = recibir(invocar, cliente)["serviceOrderId"]
    cancelar(invocar, cliente, sid)
    cuerpo = detalle(invocar, operador, sid)["json"]
    assert cuerpo["estado"] == "Cancelada"
    assert cuerpo["cancelacion"]["cancelado_por_nombre"] == "Lucía Ibáñez"
    assert cuerpo["cancelacion"]["comentarios"] == "Cancelada por el ajustador"
    assert cuerpo["cancelacion"]["fecha"].endswith("Z")
    assert "client_id" not in cuerpo["cancelacion"]


def test_unknown_order_is_404(invocar: Invocar, admin: Any) -> None:
    respuesta = detalle(invocar, admin, nuevo_id())
    assert respuesta["statusCode"] == 404
    assert respuesta["json"] == {"error": "Orden de servicio no encontrada"}


@pytest.mark.parametrize("sid", ["abc", "0", "1e3", "99999999999"])
def test_a_path_id_that_is_not_an_int_is_400(invocar: Invocar, admin: Any, sid: str) -> None:
    respuesta = detalle(invocar, admin, sid)
    assert respuesta["statusCode"] == 400
    assert respuesta["json"]["detalles"][0]["campo"] == "serviceOrderId"


def test_integration_clients_cannot_use_staff_views(invocar: Invocar, cliente: ClienteIntegracion) -> None:
    for respuesta in (detalle(invocar, cliente.llamante, 1), lista(invocar, cliente.llamante)):
        assert respuesta["statusCode"] == 403
        assert respuesta["json"] == {"error": "Acceso restringido a usuarios del taller"}


# ---- list
def test_list_by_claim_number_reads_the_claims_partition(
    invocar: Invocar, cliente: ClienteIntegracion, operador: Any, dynamo_requests: Any
) -> None:
    claim = f"SIN-{uuid.uuid4().hex[:8]}"
    primera = recibir(invocar, cliente, claim=claim)
    segunda = recibir(invocar, cliente, claim=claim)
    recibir(invocar, cliente)  # another claim
    dynamo_requests.reiniciar()

    respuesta = lista(invocar, operador, no_siniestro=claim)

    assert respuesta["statusCode"] == 200
    assert dynamo_requests.llamadas == {"Query": 1}
    ids = [i["serviceOrderId"] for i in respuesta["json"]["items"]]
    assert sorted(ids) == sorted([primera["serviceOrderId"], segunda["serviceOrderId"]])
    resumen = next(i for i in respuesta["json"]["items"] if i["serviceOrderId"] == primera["serviceOrderId"])
    assert resumen["serviceOrderNumber"] == primera["serviceOrderNumber"]
    assert resumen["insuranceClaimNumber"] == claim
    assert resumen["estado"] == "Recibida"
    assert resumen["serviceOrderGuid"] == primera["serviceOrderGuid"]
    assert '"differenceAmount":-0.01' in respuesta["body"]
    assert respuesta["json"]["next_cursor"] is None


def test_list_by_claim_number_and_state(invocar: Invocar, cliente: ClienteIntegracion, operador: Any) -> None:
    claim = f"SIN-{uuid.uuid4().hex[:8]}"
    viva = recibir(invocar, cliente, claim=claim)["serviceOrderId"]
    cancelada = recibir(invocar, cliente, claim=claim)["serviceOrderId"]
    cancelar(invocar, cliente, cancelada)
    recibidas = lista(invocar, operador, no_siniestro=claim, estado="Recibida")["json"]["items"]
    canceladas = lista(invocar, operador, no_siniestro=claim, estado="Cancelada")["json"]["items"]
    assert [i["serviceOrderId"] for i in recibidas] == [viva]
    assert [i["serviceOrderId"] for i in canceladas] == [cancelada]


def test_list_by_state_uses_the_state_index(
    invocar: Invocar, cliente: ClienteIntegracion, operador: Any, dynamo_requests: Any
) -> None:
    sid = recibir(invocar, cliente)["serviceOrderId"]
    cancelar(invocar, cliente, sid)
    dynamo_requests.reiniciar()
    respuesta = lista(invocar, operador, estado="Cancelada", limit="100")
    assert dynamo_requests.llamadas == {"Query": 1}
    items = respuesta["json"]["items"]
    assert sid in [i["serviceOrderId"] for i in items]
    assert {i["estado"] for i in items} == {"Cancelada"}
    recibidas = lista(invocar, operador, estado="Recibida", limit="100")["json"]["items"]
    assert sid not in [i["serviceOrderId"] for i in recibidas]


def test_list_all_is_newest_first_and_paginates_with_a_cursor(
    invocar: Invocar, cliente: ClienteIntegracion, tecnico: Any
) -> None:
    primera = recibir(invocar, cliente)["serviceOrderId"]
    segunda = recibir(invocar, cliente)["serviceOrderId"]

    pagina1 = lista(invocar, tecnico, limit="1")["json"]
    assert [i["serviceOrderId"] for i in pagina1["items"]] == [segunda]
    assert pagina1["next_cursor"]
    pagina2 = lista(invocar, tecnico, limit="1", cursor=pagina1["next_cursor"])["json"]
    assert [i["serviceOrderId"] for i in pagina2["items"]] == [primera]


def test_a_cursor_from_another_filter_is_400(invocar: Invocar, cliente: ClienteIntegracion, tecnico: Any) -> None:
    recibir(invocar, cliente)
    recibir(invocar, cliente)
    cursor = lista(invocar, tecnico, limit="1")["json"]["next_cursor"]
    respuesta = lista(invocar, tecnico, limit="1", estado="Recibida", cursor=cursor)
    assert respuesta["statusCode"] == 400
    assert respuesta["json"]["error"] == "Cursor inválido"


@pytest.mark.parametrize(
    "query",
    [{"estado": "Borrada"}, {"limit": "0"}, {"limit": "101"}, {"limit": "x"}, {"cursor": "basura"}],
)
def test_invalid_filters_are_400(invocar: Invocar, tecnico: Any, query: dict[str, str]) -> None:
    respuesta = lista(invocar, tecnico, **query)
    assert respuesta["statusCode"] == 400
    assert respuesta["json"]["error"]


def test_without_a_token_is_401(invocar: Invocar) -> None:
    assert lista(invocar, None)["statusCode"] == 401
