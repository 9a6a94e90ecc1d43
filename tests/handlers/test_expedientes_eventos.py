"""events/*.json of the expediente functions are real API Gateway events their handlers answer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tools import funciones

EVENTOS = Path(__file__).resolve().parents[2] / "events"
FUNCIONES = [
    "expedientes_create",
    "expedientes_list",
    "expedientes_get",
    "expedientes_update",
    "expedientes_estado",
    "expedientes_historial",
    "expedientes_auditoria",
    "expedientes_comentarios_create",
    "expedientes_comentarios_list",
    "expedientes_comentarios_delete",
    "expedientes_delete",
]


@pytest.mark.parametrize("nombre", FUNCIONES)
def test_each_event_is_answered_with_json_and_no_server_error(nombre: str) -> None:
    evento = json.loads((EVENTOS / f"{nombre}.json").read_text(encoding="utf-8"))
    assert evento["resource"].startswith("/api/expedientes")

    respuesta = funciones.invocar(funciones.cargar(nombre), evento, nombre)

    assert respuesta["statusCode"] < 500, respuesta
    assert json.loads(respuesta["body"])
    if nombre == "expedientes_create":
        assert respuesta["statusCode"] in (201, 409)
