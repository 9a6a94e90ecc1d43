"""CORS on the functions' answers (monitor.core.cors through MonitorResolver): the request's Origin is
echoed when the stack allows it, on every answer the function gives, its early refusals included; any
other origin gets no CORS header. API Gateway's own answers are the template's (tests/e2e/test_cors.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from monitor.core import cors
from monitor.core.http import MonitorResolver, respuesta
from monitor.core.settings import origenes_cors
from tools import eventos, funciones

Invocar = Callable[..., dict[str, Any]]
pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")

AJENO = "https://ajeno.example.net"
ACAO = "Access-Control-Allow-Origin"


@pytest.fixture(scope="module")
def origen() -> str:
    """The first allowed origin of this run (the template's default unless MONITOR_CORS_ORIGINS says)."""
    return origenes_cors()[0]


def _cors_completo(cabeceras: dict[str, str], origen: str) -> None:
    assert cabeceras[ACAO] == origen
    assert cabeceras["Access-Control-Expose-Headers"] == "ETag,Retry-After,Location"
    assert cabeceras["Vary"] == "Origin"
    assert "Access-Control-Allow-Credentials" not in cabeceras


def test_an_allowed_origin_gets_itself_back_with_etag_exposed(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], origen: str
) -> None:
    no = siniestro()
    creado = invocar(
        "expedientes_create",
        "POST",
        "/api/expedientes",
        llamante=operador,
        cuerpo=_expediente(no),
        headers={"Origin": origen},
    )
    leido = invocar(
        "expedientes_get",
        "GET",
        "/api/expedientes/{no_siniestro}",
        llamante=operador,
        ruta_params={"no_siniestro": no},
        headers={"Origin": origen},
    )

    assert (creado["statusCode"], leido["statusCode"]) == (201, 200)
    _cors_completo(leido["headers"], origen)
    assert "ETag" in leido["headers"]


def test_a_refused_origin_gets_no_cors_header(invocar: Invocar, operador: Any) -> None:
    resultado = invocar("expedientes_list", "GET", "/api/expedientes", llamante=operador, headers={"Origin": AJENO})

    assert resultado["statusCode"] == 200
    assert not any(k.lower().startswith("access-control-") for k in resultado["headers"])
    assert resultado["headers"]["Vary"] == "Origin"


def test_without_origin_there_is_no_cors_header(invocar: Invocar, operador: Any) -> None:
    resultado = invocar("expedientes_list", "GET", "/api/expedientes", llamante=operador)

    assert ACAO not in resultado["headers"]


# function, method, resource, caller fixture, body, status
REFUSALS = {
    "401 without authorizer context": ("expedientes_list", "GET", "/api/expedientes", None, None, 401),
    "403 wrong role": ("usuarios_list", "GET", "/api/usuarios", "tecnico", None, 403),
    "413 before routing": ("expedientes_create", "POST", "/api/expedientes", "operador", "x" * 262_145, 413),
    "400 validation": ("expedientes_create", "POST", "/api/expedientes", "operador", {"marca": 1}, 400),
}


@pytest.mark.parametrize("caso", REFUSALS.values(), ids=REFUSALS.keys())
def test_the_resolvers_own_refusals_carry_cors(
    invocar: Invocar, request: pytest.FixtureRequest, origen: str, caso: tuple[Any, ...]
) -> None:
    nombre, metodo, recurso, llamante, cuerpo, status = caso
    quien = request.getfixturevalue(llamante) if llamante else None

    resultado = invocar(nombre, metodo, recurso, llamante=quien, cuerpo=cuerpo, headers={"Origin": origen})

    assert resultado["statusCode"] == status
    _cors_completo(resultado["headers"], origen)


def test_a_missing_expediente_404_carries_cors(invocar: Invocar, operador: Any, origen: str) -> None:
    resultado = invocar(
        "expedientes_get",
        "GET",
        "/api/expedientes/{no_siniestro}",
        llamante=operador,
        ruta_params={"no_siniestro": "NO-EXISTE-CORS"},
        headers={"Origin": origen},
    )

    assert resultado["statusCode"] == 404
    _cors_completo(resultado["headers"], origen)


# ---------------------------------------------------------------- a resolver built for several origins

PRIMERO, SEGUNDO = "https://taller.example.com", "http://localhost:5173"


def _resolver(monkeypatch: pytest.MonkeyPatch, origenes: str) -> MonitorResolver:
    monkeypatch.setenv("MONITOR_CORS_ORIGINS", origenes)
    app = MonitorResolver(roles=None, validacion=False)

    @app.get("/eco")
    def eco() -> Any:
        return respuesta({"ok": True}, headers={"ETag": '"3"'})

    @app.get("/falla")
    def falla() -> Any:
        raise RuntimeError("inesperado")

    return app


def _llamar(app: MonitorResolver, ruta: str, origen: str | None) -> dict[str, str]:
    evento = eventos.evento_rest("GET", ruta, ruta, headers={"Origin": [origen]} if origen else None)
    resultado = app.resolve(evento, funciones.Contexto())
    cabeceras = {k: v[-1] for k, v in (resultado.get("multiValueHeaders") or {}).items()}
    return {**cabeceras, **(resultado.get("headers") or {}), "status": str(resultado["statusCode"])}


@pytest.mark.parametrize("origen", [PRIMERO, SEGUNDO])
def test_every_listed_origin_is_echoed(monkeypatch: pytest.MonkeyPatch, origen: str) -> None:
    app = _resolver(monkeypatch, f"{PRIMERO}, {SEGUNDO}")

    for ruta, status in (("/eco", "200"), ("/falla", "500"), ("/no-existe", "404")):
        cabeceras = _llamar(app, ruta, origen)
        assert cabeceras["status"] == status
        _cors_completo(cabeceras, origen)


@pytest.mark.parametrize("origen", [AJENO, "https://taller.example.com.ajeno.net", "null", PRIMERO + "/"])
def test_an_origin_not_listed_exactly_is_refused(monkeypatch: pytest.MonkeyPatch, origen: str) -> None:
    cabeceras = _llamar(_resolver(monkeypatch, f"{PRIMERO},{SEGUNDO}"), "/eco", origen)

    assert ACAO not in cabeceras
    assert cabeceras["Vary"] == "Origin"


def test_a_stack_without_origins_sends_no_cors_header_at_all(monkeypatch: pytest.MonkeyPatch) -> None:
    cabeceras = _llamar(_resolver(monkeypatch, ""), "/eco", PRIMERO)

    assert ACAO not in cabeceras
    assert "Vary" not in cabeceras


def test_the_early_headers_are_the_ones_powertools_adds() -> None:
    config = cors.configuracion([PRIMERO])
    evento = eventos.evento_rest("GET", "/x", "/x", headers={"origin": [PRIMERO]})

    assert config is not None
    assert cors.cabeceras(config, evento) == {**config.to_dict(PRIMERO), "Vary": "Origin"}


def _expediente(no: str) -> dict[str, Any]:
    return {
        "no_siniestro": no,
        "nombre_cliente": "Cliente CORS",
        "telefono_cliente": "555-000-0000",
        "marca": "Toyota",
        "placas": "CRS-001",
        "tipo": "Sedán",
        "modelo": "Corolla",
        "fecha_ingreso": "2024-03-15",
        "fecha_entrega": "2024-04-01",
        "id_aseguradora": 1,
    }
