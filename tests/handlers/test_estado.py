"""PATCH …/estado and GET …/estado/historial: the repair workflow through its handlers."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from monitor.core import keys, table
from tests.apoyo.checklists import aprobar_checklist
from tests.apoyo.expedientes import RUTA, en_paralelo, evento, meta, nuevo

Invocar = Callable[..., dict[str, Any]]
RUTA_ESTADO = RUTA + "/estado"
RUTA_HISTORIAL = RUTA + "/estado/historial"
LISTO_PARA_SALIR = {"unidad_terminada": "2024-04-01", "doc_finiquito": True}


def mover(invocar: Invocar, llamante: Any, no: str, estado: Any) -> dict[str, Any]:
    return invocar(
        "expedientes_estado",
        "PATCH",
        RUTA_ESTADO,
        llamante=llamante,
        ruta_params={"no_siniestro": no},
        cuerpo={"estado": estado},
    )


def historia(no: str) -> list[dict[str, Any]]:
    return table.query_todo(
        "PK = :pk AND begins_with(SK, :p)", {":pk": keys.expediente_pk(no), ":p": "HIST#"}, consistente=True
    )


def llevar_a(invocar: Invocar, llamante: Any, no: str, *estados: str) -> None:
    for estado in estados:
        r = mover(invocar, llamante, no, estado)
        assert r["statusCode"] == 200, r["json"]


def test_one_step_forward_writes_state_index_and_history_in_two_requests(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no, id_aseguradora=1)
    dynamo_requests.reiniciar()

    r = mover(invocar, operador, no, "Restauracion")

    assert r["statusCode"] == 200
    assert dynamo_requests.llamadas == {"GetItem": 1, "TransactWriteItems": 1}
    assert r["json"]["estado"] == "Restauracion"
    assert r["json"]["version"] == 2
    assert r["headers"]["ETag"] == '"2"'
    guardado = meta(no)
    assert guardado is not None
    assert guardado["estado"] == "Restauracion"
    assert guardado["GSI2PK"] == "EXPEDIENTES#ESTADO#Restauracion"
    ultima = max(historia(no), key=lambda h: h["SK"])
    assert (ultima["estado_anterior"], ultima["estado_nuevo"]) == ("Ingreso", "Restauracion")
    assert int(ultima["cambiado_por"]["id"]) == operador.principal.id_usuario


def test_the_whole_workflow_forward_and_one_step_back(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no, id_aseguradora=2, **LISTO_PARA_SALIR)

    llevar_a(invocar, operador, no, "Restauracion", "Pendiente_de_salida", "Restauracion", "Pendiente_de_salida")
    aprobar_checklist(invocar, tecnico, no)
    llevar_a(invocar, operador, no, "Salida")
    r = invocar("expedientes_historial", "GET", RUTA_HISTORIAL, llamante=tecnico, ruta_params={"no_siniestro": no})

    assert r["statusCode"] == 200
    assert [(h["estado_anterior"], h["estado_nuevo"]) for h in r["json"]["items"]] == [
        ("Pendiente_de_salida", "Salida"),
        ("Restauracion", "Pendiente_de_salida"),
        ("Pendiente_de_salida", "Restauracion"),
        ("Restauracion", "Pendiente_de_salida"),
        ("Ingreso", "Restauracion"),
        (None, "Ingreso"),
    ]
    assert r["json"]["next_cursor"] is None


@pytest.mark.parametrize(
    ("recorrido", "destino"),
    [((), "Pendiente_de_salida"), ((), "Salida"), (("Restauracion",), "Salida"), (("Restauracion",), "Ingreso")],
)
def test_skipping_steps_is_409_and_changes_nothing(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], recorrido: tuple[str, ...], destino: str
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no, **LISTO_PARA_SALIR)
    llevar_a(invocar, operador, no, *recorrido)
    if destino == "Ingreso":  # one step back is allowed: prove it, then ask for a two-step jump from there
        llevar_a(invocar, operador, no, "Ingreso")
        destino = "Pendiente_de_salida"
    antes, pasos = meta(no), len(historia(no))

    r = mover(invocar, operador, no, destino)

    assert r["statusCode"] == 409
    assert r["json"]["error"].startswith("Transición no permitida")
    assert meta(no) == antes
    assert len(historia(no)) == pasos


def test_same_state_is_409(invocar: Invocar, operador: Any, siniestro: Callable[[], str]) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)

    r = mover(invocar, operador, no, "Ingreso")

    assert r["statusCode"] == 409
    assert r["json"] == {"error": "El expediente ya se encuentra en ese estado"}


@pytest.mark.parametrize("estado", ["Terminado", "salida", "", None, 3])
def test_unknown_state_is_400_with_detalles(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], estado: Any
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)

    r = mover(invocar, operador, no, estado)

    assert r["statusCode"] == 400
    assert r["json"]["detalles"][0]["campo"] == "estado"
    assert meta(no)["estado"] == "Ingreso"  # type: ignore[index]


@pytest.mark.parametrize(
    ("campos", "faltan"),
    [
        ({"id_aseguradora": 1}, "unidad_terminada, doc_finiquito"),
        ({"id_aseguradora": 1, "unidad_terminada": "2024-04-01", "doc_finiquito": False}, "doc_finiquito"),
        ({"doc_finiquito": True}, "unidad_terminada"),
    ],
)
def test_entering_salida_names_what_is_missing(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], campos: dict[str, Any], faltan: str
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no, **campos)
    llevar_a(invocar, operador, no, "Restauracion", "Pendiente_de_salida")
    aprobar_checklist(invocar, operador, no)  # the checklist's own requirements: test_checklists_salida.py

    r = mover(invocar, operador, no, "Salida")

    assert r["statusCode"] == 409
    assert r["json"] == {"error": f"No se puede pasar a Salida: falta {faltan}", "faltantes": faltan.split(", ")}
    assert meta(no)["estado"] == "Pendiente_de_salida"  # type: ignore[index]


def test_without_insurer_salida_does_not_need_the_settlement(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no, unidad_terminada="2024-04-01")
    llevar_a(invocar, operador, no, "Restauracion", "Pendiente_de_salida")
    aprobar_checklist(invocar, operador, no)

    r = mover(invocar, operador, no, "Salida")

    assert r["statusCode"] == 200
    assert r["json"]["estado"] == "Salida"


def test_only_an_administrator_reopens_salida(
    invocar: Invocar, operador: Any, admin: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no, **LISTO_PARA_SALIR)
    aprobar_checklist(invocar, operador, no)
    llevar_a(invocar, operador, no, "Restauracion", "Pendiente_de_salida", "Salida")

    negado = mover(invocar, operador, no, "Pendiente_de_salida")
    reabierto = mover(invocar, admin, no, "Pendiente_de_salida")

    assert negado["statusCode"] == 403
    assert negado["json"] == {"error": "Solo un administrador puede reabrir un expediente en Salida"}
    assert reabierto["statusCode"] == 200
    assert reabierto["json"]["estado"] == "Pendiente_de_salida"


def test_roles_and_missing_expediente(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)

    tec = mover(invocar, tecnico, no, "Restauracion")
    falta = mover(invocar, operador, siniestro(), "Restauracion")
    historial_falta = invocar(
        "expedientes_historial", "GET", RUTA_HISTORIAL, llamante=tecnico, ruta_params={"no_siniestro": siniestro()}
    )

    assert tec["statusCode"] == 403
    assert tec["json"] == {"error": "Acceso restringido a administradores y operadores"}
    assert falta["statusCode"] == 404
    assert falta["json"] == {"error": "Expediente no encontrado"}
    assert historial_falta["statusCode"] == 404
    assert meta(no)["estado"] == "Ingreso"  # type: ignore[index]


def test_history_is_paginated_one_query_per_page(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    llevar_a(invocar, operador, no, "Restauracion", "Ingreso", "Restauracion", "Ingreso")
    dynamo_requests.reiniciar()

    primera = invocar(
        "expedientes_historial",
        "GET",
        RUTA_HISTORIAL,
        llamante=operador,
        ruta_params={"no_siniestro": no},
        query={"limit": "3"},
    )
    segunda = invocar(
        "expedientes_historial",
        "GET",
        RUTA_HISTORIAL,
        llamante=operador,
        ruta_params={"no_siniestro": no},
        query={"limit": "3", "cursor": primera["json"]["next_cursor"]},
    )
    ajena = invocar(
        "expedientes_historial",
        "GET",
        RUTA_HISTORIAL,
        llamante=operador,
        ruta_params={"no_siniestro": siniestro()},
        query={"limit": "3", "cursor": primera["json"]["next_cursor"]},
    )

    assert dynamo_requests.llamadas["Query"] == 2
    todos = primera["json"]["items"] + segunda["json"]["items"]
    assert len(todos) == 5
    assert [h["fecha_cambio"] for h in todos] == sorted((h["fecha_cambio"] for h in todos), reverse=True)
    assert ajena["statusCode"] == 400  # a cursor of another expediente's history


def test_emits_estado_cambiado_with_the_new_state_as_dimension(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], capsys: pytest.CaptureFixture[str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    capsys.readouterr()

    mover(invocar, operador, no, "Restauracion")

    lineas = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith('{"_aws"')]
    metrica = next(x for x in lineas if "EstadoCambiado" in x)
    assert metrica["estado"] == "Restauracion"
    assert ["service", "estado"] in metrica["_aws"]["CloudWatchMetrics"][0]["Dimensions"]


def test_of_eight_concurrent_identical_transitions_exactly_one_wins(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str]
) -> None:
    # Given an expediente in Ingreso and 8 containers asking for Restauracion at once
    no = siniestro()
    nuevo(invocar, operador, no)
    peticiones = [evento("PATCH", RUTA_ESTADO, {"no_siniestro": no}, {"estado": "Restauracion"}, operador)] * 8

    respuestas = en_paralelo("expedientes_estado", peticiones)

    # Then exactly one 200, the rest 409 "same state", and exactly one new history entry
    estados = sorted(r[0] for r in respuestas)
    assert estados == [200] + [409] * 7
    assert all(
        json.loads(r[1]) == {"error": "El expediente ya se encuentra en ese estado"} for r in respuestas if r[0] == 409
    )
    assert [(h["estado_anterior"], h["estado_nuevo"]) for h in sorted(historia(no), key=lambda h: h["SK"])] == [
        (None, "Ingreso"),
        ("Ingreso", "Restauracion"),
    ]
    assert int(meta(no)["version"]) == 2  # type: ignore[index]


def test_milestones_are_stamped_by_the_write_that_reaches_them_and_kept_when_reopened(
    invocar: Invocar, operador: Any, admin: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    assert set(meta(no)["hitos"]) == {"Ingreso"}
    invocar(
        "expedientes_update",
        "PUT",
        RUTA,
        llamante=operador,
        ruta_params={"no_siniestro": no},
        cuerpo={"fecha_autorizacion": "2024-03-18", **LISTO_PARA_SALIR},
    )
    aprobar_checklist(invocar, operador, no)
    llevar_a(invocar, operador, no, "Restauracion", "Pendiente_de_salida", "Salida")
    primeros = meta(no)["hitos"]
    assert set(primeros) == {
        "Ingreso",
        "Restauracion",
        "Pendiente_de_salida",
        "Salida",
        "valuacion_autorizada",
        "en_reparacion",
        "lista_para_entrega",
        "entregada",
    }
    assert primeros["Ingreso"] <= primeros["valuacion_autorizada"] <= primeros["Restauracion"] <= primeros["Salida"]

    llevar_a(invocar, admin, no, "Pendiente_de_salida", "Salida")

    assert meta(no)["hitos"] == primeros  # a reopened unit keeps its first delivery
