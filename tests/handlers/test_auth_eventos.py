"""events/*.json of the auth, user, insurer and integration functions match their template routes
(so `sam local invoke -e` reaches the right handler), and the read-only ones run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tools import eventos, funciones, plantilla

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")

EVENTOS = Path(__file__).resolve().parents[2] / "events"
FUNCIONES = [
    "auth_login",
    "auth_token",
    "auth_me",
    "auth_password",
    "usuarios_list",
    "usuarios_create",
    "usuarios_update",
    "usuarios_delete",
    "aseguradoras_list",
    "aseguradoras_create",
    "auth_clientes_create",
]


def _evento(nombre: str) -> dict[str, Any]:
    datos: dict[str, Any] = json.loads((EVENTOS / f"{nombre}.json").read_text(encoding="utf-8"))
    return datos


@pytest.mark.parametrize("nombre", FUNCIONES)
def test_event_matches_the_functions_route(nombre: str) -> None:
    evento = _evento(nombre)
    ruta = next(r for r in plantilla.rutas() if r.codigo.name == nombre)

    assert (evento["httpMethod"], evento["resource"]) == (ruta.metodo, ruta.ruta)
    assert ruta.patron.match(evento["path"])
    assert bool(evento["requestContext"]["authorizer"]) is not ruta.publica


@pytest.mark.parametrize("nombre", ["aseguradoras_list", "usuarios_list"])
def test_read_only_events_run(nombre: str) -> None:
    respuesta = funciones.invocar(funciones.cargar(nombre), _evento(nombre), nombre)

    assert respuesta["statusCode"] == 200
    assert "items" in json.loads(respuesta["body"])


def test_authorizer_event_is_a_token_event() -> None:
    evento = _evento("auth_authorizer")
    esperado = eventos.evento_autorizador("Bearer x", "GET", "/api/expedientes")

    assert set(evento) == set(esperado)
    assert evento["type"] == "TOKEN"
    assert evento["authorizationToken"].startswith("Bearer ")
