"""The local gateway does what API Gateway does: routes from template.yaml, the TOKEN authorizer,
the template's gateway responses, the proxy event and the proxy response.

The first tests go over HTTP to the gateway subprocess (`api`); the last ones run a gateway in this
process with a stand-in function that echoes its event, to see exactly what a function receives."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from monitor.auth.tokens import emitir_token
from monitor.core import keys, table
from monitor.usuarios.campos import Rol
from tools import aws_local, plantilla
from tools.local_gateway import (
    MARCA_SCAN,
    MAX_CUERPO,
    Autorizador,
    Contenedores,
    Gateway,
    RespuestasGateway,
    ServidorLocal,
    Solicitud,
    politica_permite,
    prohibir_scan,
)
from tools.openapi_local import NO_IMPLEMENTADA

pytestmark = [pytest.mark.e2e, pytest.mark.filterwarnings("ignore:No application metrics to publish")]

RUTA_NO_ENCONTRADA = {"error": "Ruta no encontrada"}
TOKEN_REQUERIDO = {"error": "Token requerido"}
TOKEN_INVALIDO = {"error": "Token inválido o expirado"}
ERROR_INTERNO = {"error": "Error interno del servidor"}


# ---------------------------------------------------------------- over HTTP, the real template


def test_health_answers_200_over_http(api: Any) -> None:
    respuesta = api.request("GET", "/api/health")

    assert respuesta.status_code == 200
    assert respuesta.headers["Content-Type"] == "application/json"
    assert respuesta.json()["status"] == "ok"


def test_docs_serve_swagger_ui_with_its_assets_offline(api: Any) -> None:
    pagina = api.request("GET", "/docs")
    script = api.request("GET", "/docs/swagger-ui-bundle.min.js")

    assert pagina.status_code == 200
    assert pagina.headers["Content-Type"].startswith("text/html")
    assert "swagger" in pagina.text.lower()
    assert "/docs/swagger-ui-bundle.min.js" in pagina.text
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.text


def test_openapi_lists_every_template_route_with_its_security(api: Any) -> None:
    respuesta = api.request("GET", "/openapi.json")

    assert respuesta.status_code == 200
    doc = respuesta.json()
    assert doc["info"]["title"] == "Monitor API"
    assert doc["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }
    rutas = plantilla.rutas()
    for ruta in rutas:
        operacion = doc["paths"].get(ruta.ruta, {}).get(ruta.metodo.lower())
        assert operacion is not None, f"{ruta.metodo} {ruta.ruta} no está en /openapi.json"
        assert operacion["security"] == ([] if ruta.publica else [{"bearerAuth": []}])
        if not ruta.publica:  # the gateway's own 401s are part of the contract
            assert "401" in operacion["responses"]
        if (ruta.codigo / "app.py").is_file():
            assert NO_IMPLEMENTADA not in operacion, f"{ruta.funcion} no aportó su ruta al documento"
            assert "422" not in operacion["responses"]
    # A function declaring a route the template does not have would show up here.
    assert set(doc["paths"]) == {r.ruta for r in rutas}


def test_unknown_path_is_the_templates_404(api: Any) -> None:
    respuesta = api.request("GET", "/api/no-existe")

    assert respuesta.status_code == 404
    assert respuesta.json() == RUTA_NO_ENCONTRADA


def test_known_path_with_another_method_is_also_404(api: Any) -> None:
    respuesta = api.request("DELETE", "/api/health")

    assert respuesta.status_code == 404
    assert respuesta.json() == RUTA_NO_ENCONTRADA


@pytest.mark.parametrize(
    "cabeceras",
    [
        pytest.param({}, id="sin-cabecera"),
        pytest.param({"Authorization": "Basic dXN1YXJpbzpjbGF2ZQ=="}, id="basic"),
        pytest.param({"Authorization": "Bearer "}, id="bearer-vacio"),
    ],
)
def test_protected_route_without_a_bearer_token_is_token_requerido(api: Any, cabeceras: dict[str, str]) -> None:
    respuesta = api.request("GET", "/api/aseguradoras", headers=cabeceras)

    assert respuesta.status_code == 401
    assert respuesta.json() == TOKEN_REQUERIDO


@pytest.mark.parametrize("token", ["eyJhbGciOiJIUzI1NiJ9.e30.firma-falsa", "abc", "no-parece-un-jwt", "a.b"])
def test_garbage_or_malformed_jwt_is_denied_by_the_authorizer(api: Any, token: str) -> None:
    """A token was sent, so it is never "Token requerido": the authorizer sees it and denies it."""
    respuesta = api.request("GET", "/api/aseguradoras", token=token)

    assert respuesta.status_code == 401
    assert respuesta.json() == TOKEN_INVALIDO


def test_expired_token_is_denied(api: Any, crear_usuario: Callable[..., Any]) -> None:
    usuario = crear_usuario(Rol.OPERADOR)
    vencido = emitir_token(
        sub=usuario.principal.id, username=usuario.principal.username, rol=Rol.OPERADOR, version=1, ttl=-60
    )

    respuesta = api.request("GET", "/api/aseguradoras", token=vencido)

    assert respuesta.status_code == 401
    assert respuesta.json() == TOKEN_INVALIDO


def test_valid_token_passes_the_authorizer(api: Any, crear_usuario: Callable[..., Any]) -> None:
    usuario = crear_usuario(Rol.OPERADOR)

    respuesta = api.request("GET", "/api/aseguradoras", token=usuario.token)

    # 501 while functions/aseguradoras_list does not exist yet; never a gateway 401.
    assert respuesta.status_code in (200, 501)


def test_revoked_token_fails_on_the_very_next_request(api: Any, crear_usuario: Callable[..., Any]) -> None:
    # Given a token that the gateway accepts
    usuario = crear_usuario(Rol.TECNICO)
    assert api.request("GET", "/api/aseguradoras", token=usuario.token).status_code != 401

    # When the user's token version is bumped (password change, deactivation)
    table.update(keys.usuario(int(usuario.principal.id)), "SET version_token = version_token + :uno", {":uno": 1})

    # Then the same token is refused at once: the local authorizer caches nothing
    respuesta = api.request("GET", "/api/aseguradoras", token=usuario.token)
    assert respuesta.status_code == 401
    assert respuesta.json() == TOKEN_INVALIDO


def test_request_id_is_in_the_response_header_and_the_request_log_line(api: Any) -> None:
    marca = api.log_mark()

    respuesta = api.request("GET", "/api/health?x=1")

    request_id = respuesta.headers["x-amzn-RequestId"]
    lineas = [linea for linea in api.logs_since(marca) if request_id in linea]
    # The query string stays out of the line (the route takes no parameter: its answer is the strict 400).
    assert any("GET /api/health 400" in linea for linea in lineas), lineas
    # The function's own log line carries the same id as its correlation id.
    assert any('"correlation_id":"' + request_id in linea for linea in lineas), lineas


def test_body_over_10_mb_is_the_templates_413(api: Any) -> None:
    respuesta = api.request("POST", "/api/auth/login", data=b"x" * (MAX_CUERPO + 1))

    assert respuesta.status_code == 413
    assert respuesta.json() == {"error": "El cuerpo de la solicitud es demasiado grande"}


def test_health_is_503_json_when_dynamodb_is_unreachable(iniciar_api: Callable[..., Any]) -> None:
    api_rota = iniciar_api(DYNAMODB_ENDPOINT_URL="http://127.0.0.1:9")
    try:
        respuesta = api_rota.request("GET", "/api/health")
    finally:
        api_rota.detener()

    assert respuesta.status_code == 503
    assert respuesta.headers["Content-Type"] == "application/json"
    assert respuesta.json() == {"error": "Servicio no disponible temporalmente, intente de nuevo"}


# ---------------------------------------------------------------- in process, with a stand-in function

ECO = """
import base64, json

def lambda_handler(event, context):
    modo = (event.get("queryStringParameters") or {}).get("modo")
    if modo == "falla":
        raise RuntimeError("detalle-interno-secreto")
    if modo == "invalida":
        return "no es una respuesta de proxy"
    if modo == "binario":
        return {"statusCode": 200, "headers": {"Content-Type": "application/octet-stream"},
                "body": base64.b64encode(b"\\x00\\xff").decode(), "isBase64Encoded": True}
    return {"statusCode": 200, "headers": {"Content-Type": "application/json", "X-Uno": "1"},
            "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"]}, "body": json.dumps(event)}
"""

AUTORIZADOR_FALSO = """
def lambda_handler(event, context):
    token = event["authorizationToken"].rsplit(".", 1)[-1]
    if token == "unauthorized":
        raise Exception("Unauthorized")
    if token == "objeto":
        return {"principalId": "1", "context": {"x": {"a": 1}},
                "policyDocument": {"Version": "2012-10-17", "Statement": [
                    {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": "*"}]}}
    raise RuntimeError("fallo del autorizador")
"""


def _funcion(carpeta: Path, codigo: str) -> Path:
    carpeta.mkdir()
    (carpeta / "app.py").write_text(textwrap.dedent(codigo), encoding="utf-8")
    return carpeta


@pytest.fixture(scope="module")
def eco_gateway(tmp_path_factory: pytest.TempPathFactory) -> Gateway:
    raiz = tmp_path_factory.mktemp("funciones")
    eco = _funcion(raiz / "eco", ECO)
    rutas = [
        plantilla.Ruta("EcoFunction", "GET", "/eco/{id}", eco, publica=False),
        plantilla.Ruta("EcoPublicaFunction", "POST", "/eco-publico", eco, publica=True),
        plantilla.Ruta("FaltaFunction", "GET", "/falta", raiz / "no-existe", publica=True),
    ]
    return Gateway(rutas, RespuestasGateway(plantilla.respuestas_gateway()), Autorizador.desde_plantilla())


@pytest.fixture(scope="module")
def eco(eco_gateway: Gateway) -> Iterator[str]:
    servidor = ServidorLocal(eco_gateway, 0)
    hilo = threading.Thread(target=servidor.serve_forever, daemon=True)
    hilo.start()
    yield f"http://127.0.0.1:{servidor.server_address[1]}"
    servidor.shutdown()
    servidor.server_close()


def test_function_gets_the_authorizer_context_as_strings(eco: str, crear_usuario: Callable[..., Any]) -> None:
    usuario = crear_usuario(Rol.OPERADOR)

    respuesta = requests.get(f"{eco}/eco/1", headers=usuario.cabecera, timeout=15)

    assert respuesta.status_code == 200
    autorizador = respuesta.json()["requestContext"]["authorizer"]
    assert autorizador["principalId"] == usuario.principal.id
    assert autorizador["rol"] == "Operador"
    assert autorizador["username"] == usuario.principal.username


def test_public_route_skips_the_authorizer_and_passes_the_body_as_sent(eco: str) -> None:
    cuerpo = '{"importe": 1234.50}'

    respuesta = requests.post(f"{eco}/eco-publico", data=cuerpo, timeout=15)

    evento = respuesta.json()
    assert evento["requestContext"]["authorizer"] is None
    assert evento["body"] == cuerpo
    assert evento["isBase64Encoded"] is False


def test_path_parameters_and_path_are_url_decoded(eco: str, admin: Any) -> None:
    respuesta = requests.get(f"{eco}/eco/SIN%20001%C3%91", headers=admin.cabecera, timeout=15)

    evento = respuesta.json()
    assert evento["pathParameters"] == {"id": "SIN 001Ñ"}
    assert evento["path"] == "/eco/SIN 001Ñ"
    assert evento["resource"] == "/eco/{id}"


def test_repeated_query_keys_reach_multi_value_query_string_parameters(eco: str, admin: Any) -> None:
    respuesta = requests.get(f"{eco}/eco/1?estado=A&estado=B&q=Ana%20P", headers=admin.cabecera, timeout=15)

    evento = respuesta.json()
    assert evento["multiValueQueryStringParameters"] == {"estado": ["A", "B"], "q": ["Ana P"]}
    assert evento["queryStringParameters"] == {"estado": "B", "q": "Ana P"}


def test_repeated_headers_reach_multi_value_headers(eco: str, admin: Any) -> None:
    conexion = http.client.HTTPConnection(eco.removeprefix("http://"), timeout=15)
    conexion.putrequest("GET", "/eco/1")
    conexion.putheader("Authorization", admin.cabecera["Authorization"])
    conexion.putheader("X-Varios", "uno")
    conexion.putheader("X-Varios", "dos")
    conexion.endheaders()

    evento = json.loads(conexion.getresponse().read())
    conexion.close()

    assert evento["multiValueHeaders"]["X-Varios"] == ["uno", "dos"]
    assert evento["headers"]["X-Varios"] == "dos"
    assert evento["requestContext"]["identity"]["sourceIp"] == "127.0.0.1"


def test_headers_and_multi_value_headers_of_the_response_are_merged(eco: str, admin: Any) -> None:
    respuesta = requests.get(f"{eco}/eco/1", headers=admin.cabecera, timeout=15)

    assert respuesta.headers["X-Uno"] == "1"
    assert respuesta.raw.headers.getlist("Set-Cookie") == ["a=1", "b=2"]


def test_base64_response_bodies_are_decoded(eco: str, admin: Any) -> None:
    respuesta = requests.get(f"{eco}/eco/1?modo=binario", headers=admin.cabecera, timeout=15)

    assert respuesta.content == b"\x00\xff"
    assert respuesta.headers["Content-Type"] == "application/octet-stream"


def test_function_crash_is_502_without_the_trace(eco: str, admin: Any, capsys: pytest.CaptureFixture[str]) -> None:
    respuesta = requests.get(f"{eco}/eco/1?modo=falla", headers=admin.cabecera, timeout=15)

    assert respuesta.status_code == 502
    assert respuesta.json() == ERROR_INTERNO
    assert "detalle-interno-secreto" not in respuesta.text
    registro = capsys.readouterr().err
    assert "Traceback" in registro
    assert "detalle-interno-secreto" in registro


def test_malformed_proxy_response_is_502(eco: str, admin: Any) -> None:
    respuesta = requests.get(f"{eco}/eco/1?modo=invalida", headers=admin.cabecera, timeout=15)

    assert respuesta.status_code == 502
    assert respuesta.json() == ERROR_INTERNO


def test_route_whose_function_is_missing_is_501(eco: str) -> None:
    respuesta = requests.get(f"{eco}/falta", timeout=15)

    assert respuesta.status_code == 501
    assert respuesta.json() == {"error": "Función no implementada localmente"}


@pytest.fixture(scope="module")
def gateway_autorizador_falso(tmp_path_factory: pytest.TempPathFactory) -> Gateway:
    raiz = tmp_path_factory.mktemp("autorizador")
    autorizador = Autorizador(
        Contenedores("AutorizadorFalso", _funcion(raiz / "autorizador", AUTORIZADOR_FALSO)),
        cabecera="Authorization",
        expresion=plantilla.autorizador()["Identity"]["ValidationExpression"],
    )
    rutas = [plantilla.Ruta("EcoFunction", "GET", "/eco", _funcion(raiz / "eco", ECO), publica=False)]
    return Gateway(rutas, RespuestasGateway(plantilla.respuestas_gateway()), autorizador)


@pytest.mark.parametrize(
    ("token", "status", "cuerpo"),
    [
        pytest.param("a.b.unauthorized", 401, TOKEN_REQUERIDO, id="error-Unauthorized"),
        pytest.param("a.b.boom", 500, ERROR_INTERNO, id="otro-error"),
        pytest.param("a.b.objeto", 500, ERROR_INTERNO, id="contexto-no-escalar"),
    ],
)
def test_authorizer_failures_become_gateway_responses(
    gateway_autorizador_falso: Gateway, token: str, status: int, cuerpo: dict[str, str]
) -> None:
    solicitud = Solicitud("GET", "/eco", headers=[("Authorization", f"Bearer {token}")])

    respuesta = gateway_autorizador_falso.atender(solicitud, "req-1")

    assert respuesta.status == status
    assert json.loads(respuesta.cuerpo) == cuerpo
    assert ("x-amzn-RequestId", "req-1") in respuesta.headers


ARN = "arn:aws:execute-api:us-east-1:123456789012:api/local/GET/api/expedientes/X"


def _politica(*declaraciones: tuple[str, str]) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [{"Action": "execute-api:Invoke", "Effect": e, "Resource": [r]} for e, r in declaraciones],
    }


@pytest.mark.parametrize(
    ("politica", "permite"),
    [
        pytest.param(
            _politica(("Allow", "arn:aws:execute-api:us-east-1:123456789012:api/local/*/*")), True, id="allow-todo"
        ),
        pytest.param(_politica(("Allow", "arn:aws:execute-api:*:*:api/local/GET/api/*")), True, id="allow-comodin"),
        pytest.param(_politica(("Allow", "arn:aws:execute-api:*:*:api/local/POST/*")), False, id="allow-otro-metodo"),
        pytest.param(_politica(("Allow", "*"), ("Deny", "*")), False, id="deny-gana"),
        pytest.param(_politica(), False, id="sin-declaraciones"),
    ],
)
def test_policy_evaluation(politica: dict[str, Any], permite: bool) -> None:
    assert politica_permite(politica, ARN) is permite


def test_concurrent_requests_get_separate_containers_and_reuse_them(tmp_path: Path) -> None:
    contenedores = Contenedores("EcoFunction", _funcion(tmp_path / "eco", ECO))

    with contenedores.contenedor() as primero, contenedores.contenedor() as segundo:
        assert primero is not segundo
    with contenedores.contenedor() as reutilizado:
        assert reutilizado in (primero, segundo)


def test_a_container_that_raised_is_not_reused(tmp_path: Path) -> None:
    contenedores = Contenedores("EcoFunction", _funcion(tmp_path / "eco", ECO))

    with pytest.raises(RuntimeError), contenedores.contenedor() as roto:
        raise RuntimeError("fallo")
    with contenedores.contenedor() as siguiente:
        assert siguiente is not roto


def test_scan_guard_of_the_gateway_process_fails_any_scan_loudly(aws: aws_local.AwsLocal) -> None:
    # The gateway subprocess installs it when MONITOR_PROHIBIR_SCAN=1; run the same hook in a fresh process.
    codigo = textwrap.dedent(f"""
        import boto3
        from tools.local_gateway import {prohibir_scan.__name__}
        {prohibir_scan.__name__}()
        boto3.client("dynamodb", endpoint_url={aws.endpoint!r}, region_name="us-east-1").scan(TableName={aws.tabla!r})
    """)

    resultado = subprocess.run(
        [sys.executable, "-c", codigo], cwd=plantilla.RAIZ, capture_output=True, text=True, timeout=60, check=False
    )

    assert resultado.returncode != 0
    assert f"!!! {MARCA_SCAN}" in resultado.stderr


def test_methods_api_gateway_does_not_route_get_the_template_404(api: Any) -> None:
    respuesta = api.request("TRACE", "/api/health")

    assert respuesta.status_code == 404
    assert respuesta.json() == {"error": "Ruta no encontrada"}


@pytest.mark.parametrize(
    ("estado", "cabeceras", "query"),
    [
        (414, {}, "x=" + "a" * 70_000),
        (431, {"X-Relleno": "a" * 70_000}, ""),
        (431, {f"X-Cabecera-{i}": "1" for i in range(120)}, ""),
    ],
    ids=["url", "una cabecera", "demasiadas cabeceras"],
)
def test_oversized_urls_and_headers_are_answered_in_json(
    api: Any, estado: int, cabeceras: dict[str, str], query: str
) -> None:
    """http.server refuses these before any route exists; the answer is still JSON, never its HTML page."""
    respuesta = requests.get(f"{api.url}/api/health?{query}", headers=cabeceras, timeout=15)

    assert respuesta.status_code == estado
    assert respuesta.headers["Content-Type"] == "application/json"
    assert isinstance(respuesta.json()["error"], str)
    assert "<html" not in respuesta.text.lower()
