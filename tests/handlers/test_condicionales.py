"""Conditional requests on the expediente: If-Match on PATCH …/estado and DELETE (412 with the current ETag,
nothing written), If-None-Match on the detail (304, no body), ETag on every answer that shows it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.apoyo.expedientes import RUTA, meta, nuevo, put
from tests.handlers.test_expedientes import coleccion

Invocar = Callable[..., dict[str, Any]]
pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")


def detalle(invocar: Invocar, llamante: Any, no: str, **headers: str) -> dict[str, Any]:
    return invocar("expedientes_get", "GET", RUTA, llamante=llamante, ruta_params={"no_siniestro": no}, headers=headers)


def mover(invocar: Invocar, llamante: Any, no: str, estado: str, **headers: str) -> dict[str, Any]:
    return invocar(
        "expedientes_estado",
        "PATCH",
        RUTA + "/estado",
        llamante=llamante,
        ruta_params={"no_siniestro": no},
        cuerpo={"estado": estado},
        headers=headers,
    )


def borrar(invocar: Invocar, llamante: Any, no: str, **headers: str) -> dict[str, Any]:
    return invocar(
        "expedientes_delete", "DELETE", RUTA, llamante=llamante, ruta_params={"no_siniestro": no}, headers=headers
    )


# ---- If-Match on PATCH …/estado
def test_patch_with_the_current_version_moves_and_a_stale_one_is_412_with_nothing_written(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)

    bien = mover(invocar, operador, no, "Restauracion", **{"If-Match": '"1"'})
    viejo = mover(invocar, operador, no, "Pendiente_de_salida", **{"If-Match": '"1"'})

    assert bien["statusCode"] == 200, bien["json"]
    assert bien["headers"]["ETag"] == '"2"'
    assert viejo["statusCode"] == 412
    assert viejo["json"] == {"error": "El expediente cambió desde su última lectura"}
    assert viejo["headers"]["ETag"] == '"2"'
    guardado = meta(no)
    assert guardado is not None
    assert (guardado["estado"], int(guardado["version"])) == ("Restauracion", 2)
    assert len([i for i in coleccion(no) if i["SK"].startswith("HIST#")]) == 2


def test_patch_if_match_is_checked_before_the_workflow_rules(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)

    # Ingreso → Salida would be a 409, but the client's copy is stale: the 412 tells it to re-read first.
    r = mover(invocar, operador, no, "Salida", **{"If-Match": "7"})

    assert r["statusCode"] == 412
    assert r["headers"]["ETag"] == '"1"'


def test_patch_takes_the_detail_s_etag_and_any_with_a_star(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    etag = detalle(invocar, operador, no)["headers"]["ETag"]

    primero = mover(invocar, operador, no, "Restauracion", **{"If-Match": etag})
    cualquiera = mover(invocar, operador, no, "Ingreso", **{"If-Match": "*"})

    assert (primero["statusCode"], cualquiera["statusCode"]) == (200, 200)


# ---- If-Match on DELETE
def test_a_stale_delete_is_412_and_deletes_nothing(
    invocar: Invocar, operador: Any, admin: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    put(invocar, operador, no, {"color": "Rojo"})
    antes = coleccion(no)
    dynamo_requests.reiniciar()

    r = borrar(invocar, admin, no, **{"If-Match": '"1"'})

    assert r["statusCode"] == 412
    assert r["headers"]["ETag"] == '"2"'
    assert dynamo_requests.llamadas == {"GetItem": 1}  # the consistent read tells: no write at all
    assert coleccion(no) == antes


def test_a_delete_with_the_current_version_deletes_everything(
    invocar: Invocar, operador: Any, admin: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    dynamo_requests.reiniciar()

    r = borrar(invocar, admin, no, **{"If-Match": '"1"'})

    assert r["statusCode"] == 200, r["json"]
    assert coleccion(no) == []
    assert dynamo_requests.llamadas["TransactWriteItems"] == 1  # the meta, conditioned on the version read


def test_a_delete_with_if_match_of_a_missing_expediente_is_404(
    invocar: Invocar, admin: Any, siniestro: Callable[[], str]
) -> None:
    r = borrar(invocar, admin, siniestro(), **{"If-Match": '"1"'})

    assert r["statusCode"] == 404
    assert r["json"] == {"error": "Expediente no encontrado"}


# ---- If-None-Match on the detail
def test_detail_with_the_current_etag_is_304_without_body_in_one_request(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no, id_aseguradora=1)
    primera = detalle(invocar, tecnico, no)
    dynamo_requests.reiniciar()

    igual = detalle(invocar, tecnico, no, **{"If-None-Match": primera["headers"]["ETag"]})

    assert primera["statusCode"] == 200
    assert igual["statusCode"] == 304
    assert igual["body"] == ""
    assert igual["headers"]["ETag"] == primera["headers"]["ETag"]
    assert dynamo_requests.llamadas == {"Query": 1}  # the insurer's name is not read for a 304


def test_detail_after_a_change_or_with_another_etag_is_200_with_the_new_etag(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    viejo = detalle(invocar, tecnico, no)["headers"]["ETag"]
    put(invocar, operador, no, {"color": "Rojo"})

    cambiado = detalle(invocar, tecnico, no, **{"If-None-Match": viejo})
    lista = detalle(invocar, tecnico, no, **{"If-None-Match": f'"9", W/{cambiado["headers"]["ETag"]}'})
    cualquiera = detalle(invocar, tecnico, no, **{"If-None-Match": "*"})

    assert cambiado["statusCode"] == 200
    assert cambiado["json"]["color"] == "Rojo"
    assert cambiado["headers"]["ETag"] == '"2"'
    assert lista["statusCode"] == 304  # a list of tags, weak or strong, matches on any of them
    assert cualquiera["statusCode"] == 304


def test_an_order_linked_to_the_expediente_changes_the_detail_etag_but_not_if_match(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str]
) -> None:
    from monitor.core import keys, table

    no = siniestro()
    nuevo(invocar, operador, no, id_aseguradora=1)
    sin_orden = detalle(invocar, tecnico, no)["headers"]["ETag"]
    # Given an insurer's order linked to the claim (the webhook writes the link without touching the version)
    table.put(
        {
            **keys.orden_en_expediente(no, 987001),
            "serviceOrderId": 987001,
            "serviceOrderNumber": "OS-1",
            "estado": "Recibida",
            "id_aseguradora": 1,  # the expediente's insurer: only its orders are the claim's
        }
    )

    con_orden = detalle(invocar, tecnico, no, **{"If-None-Match": sin_orden})
    escrito = put(invocar, operador, no, {"color": "Azul"}, headers={"If-Match": con_orden["headers"]["ETag"]})

    assert con_orden["statusCode"] == 200
    assert con_orden["headers"]["ETag"].startswith('"1-')
    assert escrito["statusCode"] == 200, escrito["json"]


def test_a_change_of_the_survey_changes_the_detail_etag(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    ruta = RUTA + "/levantamiento"
    creado = invocar("levantamientos_put", "PUT", ruta, llamante=tecnico, ruta_params={"no_siniestro": no}, cuerpo={})
    antes = detalle(invocar, tecnico, no)["headers"]["ETag"]
    # The survey's own write: the expediente's version stays, the detail's summary of the survey does not.
    cuerpo = '{"conceptos": [{"concepto": "Defensa", "costo": 100.00}]}'
    cambio = invocar(
        "levantamientos_put", "PUT", ruta, llamante=tecnico, ruta_params={"no_siniestro": no}, cuerpo=cuerpo
    )

    despues = detalle(invocar, tecnico, no, **{"If-None-Match": antes})

    assert creado["statusCode"] == 201, creado["json"]
    assert cambio["statusCode"] == 200, cambio["json"]
    assert despues["statusCode"] == 200
    assert despues["json"]["levantamiento"]["conceptos"] == 1
    assert despues["headers"]["ETag"] != antes
