"""Names beside ids: every user id in a response comes with the user's name, stored with the write (the
authorizer's context carries it), so no read per item; entries written before names were stored say null."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from monitor.core import keys, table
from tests.apoyo.expedientes import RUTA, nuevo, put

Invocar = Callable[..., dict[str, Any]]
pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")


def _persona(llamante: Any) -> dict[str, Any]:
    return {
        "id": llamante.principal.id_usuario,
        "username": llamante.principal.username,
        "nombre": llamante.principal.nombre,
    }


def test_the_creator_s_name_is_beside_creado_por_in_every_view(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()

    creado = nuevo(invocar, operador, no)
    detalle = invocar("expedientes_get", "GET", RUTA, llamante=tecnico, ruta_params={"no_siniestro": no})["json"]
    actualizado = put(invocar, operador, no, {"color": "Rojo", "creado_por_nombre": "Otro"})  # read-only: dropped

    assert operador.principal.nombre
    assert creado["creado_por"] == operador.principal.id_usuario  # the seed's field keeps its type
    assert creado["creado_por_nombre"] == operador.principal.nombre
    assert detalle["creado_por_nombre"] == operador.principal.nombre
    assert detalle["historial_estado"][0]["cambiado_por"] == _persona(operador)
    assert actualizado["statusCode"] == 200, actualizado["json"]
    assert actualizado["json"]["creado_por_nombre"] == operador.principal.nombre


def test_history_audit_and_comments_name_who_did_it(
    invocar: Invocar, operador: Any, admin: Any, tecnico: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    put(invocar, admin, no, {"color": "Rojo"})
    params = {"no_siniestro": no}
    invocar(
        "expedientes_estado",
        "PATCH",
        RUTA + "/estado",
        llamante=admin,
        ruta_params=params,
        cuerpo={"estado": "Restauracion"},
    )
    invocar(
        "expedientes_comentarios_create",
        "POST",
        RUTA + "/comentarios",
        llamante=tecnico,
        ruta_params=params,
        cuerpo={"texto": "Hola"},
    )

    historial = invocar(
        "expedientes_historial", "GET", RUTA + "/estado/historial", llamante=tecnico, ruta_params=params
    )
    auditoria = invocar("expedientes_auditoria", "GET", RUTA + "/auditoria", llamante=admin, ruta_params=params)
    comentarios = invocar(
        "expedientes_comentarios_list", "GET", RUTA + "/comentarios", llamante=tecnico, ruta_params=params
    )

    assert historial["json"]["items"][0]["cambiado_por"] == _persona(admin)
    assert auditoria["json"]["items"][0]["usuario"] == _persona(admin)
    assert comentarios["json"]["items"][0]["autor"] == _persona(tecnico)


def test_evidence_names_who_asked_for_the_upload(invocar: Invocar, operador: Any, siniestro: Callable[[], str]) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)

    r = invocar(
        "evidencias_create",
        "POST",
        RUTA + "/evidencias",
        llamante=operador,
        ruta_params={"no_siniestro": no},
        cuerpo={"tipo": "fotografia", "nombre_archivo": "frente.jpg", "content_type": "image/jpeg", "tamano": 1000},
    )

    assert r["statusCode"] == 201, r["json"]
    assert r["json"]["solicitado_por"] == operador.principal.id_usuario
    assert r["json"]["solicitado_por_nombre"] == operador.principal.nombre


def test_entries_written_before_names_were_stored_answer_null(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    # Given a history entry and an expediente as older code wrote them: id and username only
    table.put(
        {
            **keys.historial(no, "2020-01-01T00:00:00.000Z", "antiguo"),
            "estado_anterior": None,
            "estado_nuevo": "Ingreso",
            "fecha_cambio": "2020-01-01T00:00:00.000Z",
            "cambiado_por": {"id": 1, "username": "admin"},
        }
    )
    table.update(keys.expediente(no), "REMOVE creado_por_nombre")

    r = invocar("expedientes_get", "GET", RUTA, llamante=tecnico, ruta_params={"no_siniestro": no})

    assert r["json"]["creado_por_nombre"] is None
    assert r["json"]["historial_estado"][-1]["cambiado_por"] == {"id": 1, "username": "admin", "nombre": None}
