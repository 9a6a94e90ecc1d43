"""CORS as a browser meets it, through the local gateway, which answers as API Gateway does with this
template: the preflight OPTIONS and the gateway's own errors are static (the first allowed origin), the
functions echo the request's Origin when the stack allows it (docs/operations.md#cors).

The gateway here allows two origins, as a stack with the shop's web client and a second one would."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from monitor.core.cors import CABECERAS_PERMITIDAS
from monitor.usuarios.campos import Rol

pytestmark = pytest.mark.e2e

PRIMERO = "https://taller.example.com"
SEGUNDO = "http://localhost:5173"
AJENO = "https://ajeno.example.net"
ACAO = "Access-Control-Allow-Origin"


@pytest.fixture(scope="module")
def api_cors(iniciar_api: Callable[..., Any]) -> Iterator[Any]:
    api = iniciar_api(MONITOR_CORS_ORIGINS=f"{PRIMERO},{SEGUNDO}")
    yield api
    api.detener()


@pytest.fixture
def operador(crear_usuario: Callable[..., Any]) -> Any:
    return crear_usuario(Rol.OPERADOR)


def _preflight(api: Any, ruta: str, origen: str, metodo: str = "POST") -> Any:
    return api.request(
        "OPTIONS",
        ruta,
        headers={
            "Origin": origen,
            "Access-Control-Request-Method": metodo,
            "Access-Control-Request-Headers": "authorization,content-type,if-match",
        },
    )


def _nuevo(no: str) -> dict[str, Any]:
    return {
        "no_siniestro": no,
        "nombre_cliente": "Ana López",
        "telefono_cliente": "555-200-3000",
        "marca": "Nissan",
        "placas": "XYZ-987",
        "tipo": "Sedán",
        "modelo": "Versa",
        "fecha_ingreso": "2024-05-02",
        "fecha_entrega": "2024-05-20",
        "id_aseguradora": 2,
    }


def test_an_allowed_origin_passes_the_preflight_and_reads_the_answer(
    api_cors: Any, operador: Any, siniestro: Callable[[], str]
) -> None:
    # Given the browser's preflight, without a token (browsers never send one there)
    previa = _preflight(api_cors, "/api/expedientes", PRIMERO)

    assert previa.status_code == 200
    assert previa.headers[ACAO] == PRIMERO
    assert set(previa.headers["Access-Control-Allow-Methods"].split(",")) == {"GET", "POST", "OPTIONS"}
    assert previa.headers["Access-Control-Allow-Headers"].split(",") == list(CABECERAS_PERMITIDAS)
    assert previa.headers["Access-Control-Max-Age"] == "600"

    # When the actual request follows
    no = siniestro()
    creado = api_cors.request(
        "POST", "/api/expedientes", token=operador.token, json=_nuevo(no), headers={"Origin": PRIMERO}
    )
    leido = api_cors.request("GET", f"/api/expedientes/{no}", token=operador.token, headers={"Origin": PRIMERO})

    # Then the browser may read it, ETag included
    assert creado.status_code == 201, creado.text
    assert leido.status_code == 200
    for respuesta in (creado, leido):
        assert respuesta.headers[ACAO] == PRIMERO
        assert respuesta.headers["Access-Control-Expose-Headers"] == "ETag,Retry-After,Location"
        assert respuesta.headers["Vary"] == "Origin"
    assert leido.headers["ETag"]


def test_a_preflight_lists_the_methods_of_its_resource(api_cors: Any) -> None:
    previa = _preflight(api_cors, "/api/expedientes/SIN-CUALQUIERA", PRIMERO, metodo="PUT")

    assert previa.status_code == 200
    assert set(previa.headers["Access-Control-Allow-Methods"].split(",")) == {"GET", "PUT", "DELETE", "OPTIONS"}


def test_the_second_origin_is_echoed_by_the_functions_but_not_by_the_static_preflight(
    api_cors: Any, operador: Any
) -> None:
    """API Gateway's preflight can name one origin: a browser on the second one is refused there for
    requests that need a preflight (docs/operations.md#cors); the functions' answers do name it."""
    previa = _preflight(api_cors, "/api/expedientes", SEGUNDO, metodo="GET")
    lista = api_cors.request("GET", "/api/expedientes?limit=1", token=operador.token, headers={"Origin": SEGUNDO})
    falta = api_cors.request("GET", "/api/expedientes/NO-EXISTE", token=operador.token, headers={"Origin": SEGUNDO})

    assert previa.headers[ACAO] == PRIMERO
    assert (lista.status_code, lista.headers[ACAO]) == (200, SEGUNDO)
    assert (falta.status_code, falta.headers[ACAO]) == (404, SEGUNDO)


def test_a_refused_origin_can_read_nothing(api_cors: Any, operador: Any) -> None:
    previa = _preflight(api_cors, "/api/expedientes", AJENO, metodo="GET")
    lista = api_cors.request("GET", "/api/expedientes?limit=1", token=operador.token, headers={"Origin": AJENO})

    # The static preflight names another origin, so the browser stops there; and the answer names none
    assert previa.headers[ACAO] != AJENO
    assert lista.status_code == 200
    assert ACAO not in lista.headers
    assert "Access-Control-Expose-Headers" not in lista.headers


# method, path, headers → status, error
GATEWAY_ERRORS = {
    "401 no token": ("GET", "/api/expedientes", {}, 401, "Token requerido"),
    "401 bad token": ("GET", "/api/expedientes", {"Authorization": "Bearer a.b.c"}, 401, "Token inválido o expirado"),
    "404 unknown route": ("GET", "/api/no-existe", {}, 404, "Ruta no encontrada"),
    "404 preflight of an unknown route": ("OPTIONS", "/api/no-existe", {}, 404, "Ruta no encontrada"),
}


@pytest.mark.parametrize("caso", GATEWAY_ERRORS.values(), ids=GATEWAY_ERRORS.keys())
def test_the_gateways_own_errors_carry_cors(api_cors: Any, caso: tuple[Any, ...]) -> None:
    metodo, ruta, cabeceras, status, error = caso

    respuesta = api_cors.request(metodo, ruta, headers={"Origin": PRIMERO, **cabeceras})

    assert respuesta.status_code == status
    assert respuesta.json() == {"error": error}
    assert respuesta.headers[ACAO] == PRIMERO
    assert respuesta.headers["Access-Control-Expose-Headers"] == "ETag,Retry-After,Location"


def test_a_role_refusal_from_the_function_carries_cors(api_cors: Any, crear_usuario: Callable[..., Any]) -> None:
    tecnico = crear_usuario(Rol.TECNICO)

    respuesta = api_cors.request("GET", "/api/usuarios", token=tecnico.token, headers={"Origin": SEGUNDO})

    assert respuesta.status_code == 403
    assert respuesta.headers[ACAO] == SEGUNDO
