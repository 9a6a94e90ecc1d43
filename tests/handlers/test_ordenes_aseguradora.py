"""An order belongs to a claim's file only when the expediente is of the insurer that sent it: otherwise it
is stored unlinked (staff see it, flagged `vinculada: false`, and not in that expediente's detail), and the
cancel answer says nothing about the other insurer's claim."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.apoyo.expedientes import RUTA, nuevo, put
from tests.apoyo.ordenes import ClienteIntegracion, crear_cliente, orden_guardada, recibir
from tests.handlers.test_ordenes_cancelacion import CANCELADA, cancelar

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")

Invocar = Callable[..., dict[str, Any]]


@pytest.fixture
def axa() -> ClienteIntegracion:
    return crear_cliente(id_aseguradora=2)


def _detalle(invocar: Invocar, llamante: Any, no: str) -> list[int]:
    r = invocar("expedientes_get", "GET", RUTA, llamante=llamante, ruta_params={"no_siniestro": no})
    assert r["statusCode"] == 200, r["json"]
    return [o["serviceOrderId"] for o in r["json"]["ordenes_servicio"]]


def _ver(invocar: Invocar, llamante: Any, sid: int) -> dict[str, Any]:
    r = invocar(
        "ordenes_get",
        "GET",
        "/api/ordenes-servicio/{serviceOrderId}",
        llamante=llamante,
        ruta_params={"serviceOrderId": str(sid)},
    )
    assert r["statusCode"] == 200, r["json"]
    return dict(r["json"])


def test_an_order_for_another_insurers_claim_is_stored_unlinked(
    invocar: Invocar, operador: Any, axa: ClienteIntegracion, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no, id_aseguradora=1)  # Qualitas' claim

    datos = recibir(invocar, axa, claim=no)  # AXA names it

    assert orden_guardada(datos["serviceOrderId"]) is not None
    assert _detalle(invocar, operador, no) == []
    assert _ver(invocar, operador, datos["serviceOrderId"])["vinculada"] is False


def test_an_order_for_its_own_insurers_claim_is_linked(
    invocar: Invocar, operador: Any, axa: ClienteIntegracion, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no, id_aseguradora=2)
    datos = recibir(invocar, axa, claim=no)
    dynamo_requests.reiniciar()

    assert _detalle(invocar, operador, no) == [datos["serviceOrderId"]]
    assert dynamo_requests.llamadas == {"Query": 1, "GetItem": 1}  # the detail stays at two requests
    dynamo_requests.reiniciar()
    assert _ver(invocar, operador, datos["serviceOrderId"])["vinculada"] is True
    assert dynamo_requests.llamadas == {"GetItem": 2}


@pytest.mark.parametrize("aseguradora", [1, None])
def test_an_expediente_created_later_links_only_its_own_insurers_orders(
    invocar: Invocar, operador: Any, axa: ClienteIntegracion, siniestro: Callable[[], str], aseguradora: int | None
) -> None:
    no = siniestro()
    datos = recibir(invocar, axa, claim=no)

    nuevo(invocar, operador, no, **({"id_aseguradora": aseguradora} if aseguradora else {}))

    assert _detalle(invocar, operador, no) == []
    assert _ver(invocar, operador, datos["serviceOrderId"])["vinculada"] is False


def test_changing_the_insurer_links_and_unlinks_the_orders_already_received(
    invocar: Invocar, operador: Any, axa: ClienteIntegracion, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no, id_aseguradora=1)
    sid = recibir(invocar, axa, claim=no)["serviceOrderId"]
    assert _detalle(invocar, operador, no) == []

    assert put(invocar, operador, no, {"id_aseguradora": 2})["statusCode"] == 200
    assert _detalle(invocar, operador, no) == [sid]
    assert _ver(invocar, operador, sid)["vinculada"] is True

    assert put(invocar, operador, no, {"id_aseguradora": None})["statusCode"] == 200
    assert _detalle(invocar, operador, no) == []
    assert _ver(invocar, operador, sid)["vinculada"] is False


@pytest.mark.parametrize("estado", ["Restauracion", "Salida"])
def test_the_cancel_answer_reveals_nothing_about_another_insurers_claim(
    invocar: Invocar, operador: Any, axa: ClienteIntegracion, siniestro: Callable[[], str], estado: str
) -> None:
    from monitor.core import keys, table

    no = siniestro()
    nuevo(invocar, operador, no, id_aseguradora=1)
    table.update(keys.expediente(no), "SET estado = :e", {":e": estado})  # Qualitas' repair under way
    sid = recibir(invocar, axa, claim=no)["serviceOrderId"]

    respuesta = cancelar(invocar, axa, sid)

    # The same answer as for an order whose claim does not exist: the other claim's state never shows.
    assert (respuesta["statusCode"], respuesta["json"]) == (200, CANCELADA)
    assert orden_guardada(sid)["estado"] == "Cancelada"  # type: ignore[index]
    assert table.get(keys.expediente(no), consistente=True)["estado"] == estado  # type: ignore[index]


def test_the_cancel_of_an_order_of_its_own_claim_in_repair_is_still_refused(
    invocar: Invocar, operador: Any, axa: ClienteIntegracion, siniestro: Callable[[], str]
) -> None:
    from monitor.core import keys, table

    no = siniestro()
    nuevo(invocar, operador, no, id_aseguradora=2)
    table.update(keys.expediente(no), "SET estado = :e", {":e": "Restauracion"})
    sid = recibir(invocar, axa, claim=no)["serviceOrderId"]

    respuesta = cancelar(invocar, axa, sid)

    assert respuesta["statusCode"] == 200
    assert respuesta["json"]["isCancelled"] is False
    assert orden_guardada(sid)["estado"] == "Recibida"  # type: ignore[index]
