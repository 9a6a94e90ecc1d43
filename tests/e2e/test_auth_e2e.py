"""Authentication over HTTP through the local gateway (authorizer included): login, me, password
change, user CRUD, integration clients and token exchange, and revocation on the next request."""

from __future__ import annotations

import base64
import json
import secrets
import time
import uuid
from collections.abc import Callable
from typing import Any

import jwt
import pytest

from monitor.auth import clientes
from monitor.core.settings import settings
from monitor.core.signing import claves_firma
from monitor.usuarios.campos import Rol

pytestmark = [pytest.mark.e2e, pytest.mark.filterwarnings("ignore:No application metrics to publish")]

TOKEN_REQUERIDO = {"error": "Token requerido"}
TOKEN_INVALIDO = {"error": "Token inválido o expirado"}


def _login(api: Any, usuario: str, password: str) -> Any:
    return api.request("POST", "/api/auth/login", json={"usuario": usuario, "password": password})


def test_seeded_admin_logs_in_and_sees_itself(api: Any, admin_credenciales: tuple[str, str]) -> None:
    usuario, password = admin_credenciales

    sesion = _login(api, usuario, password)

    assert sesion.status_code == 200
    assert sesion.json()["usuario"]["rol"] == "Administrador"
    yo = api.request("GET", "/api/auth/me", token=sesion.json()["token"])
    assert yo.status_code == 200
    assert yo.json() | {"id": 0} == {
        "id": 0,
        "username": usuario,
        "nombre": "Administrador",
        "rol": "Administrador",
        "activo": True,
    }


def test_wrong_credentials_are_401_over_http(api: Any, admin_credenciales: tuple[str, str]) -> None:
    respuesta = _login(api, admin_credenciales[0], "no-es-" + uuid.uuid4().hex)

    assert respuesta.status_code == 401
    assert respuesta.json() == {"error": "Usuario o contraseña incorrectos"}


@pytest.mark.parametrize(
    ("cabeceras", "cuerpo"),
    [
        ({}, TOKEN_REQUERIDO),
        ({"Authorization": "Basic YWRtaW46YWRtaW4="}, TOKEN_REQUERIDO),
        ({"Authorization": "Bearer a.b.c"}, TOKEN_INVALIDO),
    ],
)
def test_protected_routes_need_a_valid_bearer(api: Any, cabeceras: dict[str, str], cuerpo: dict[str, str]) -> None:
    respuesta = api.request("GET", "/api/auth/me", headers=cabeceras)

    assert respuesta.status_code == 401
    assert respuesta.json() == cuerpo


def test_password_change_ends_the_old_session_on_the_next_request(api: Any, crear_usuario: Callable[..., Any]) -> None:
    # Given a logged-in technician
    tecnico = crear_usuario(Rol.TECNICO)
    viejo = _login(api, tecnico.principal.username, tecnico.password).json()["token"]
    assert api.request("GET", "/api/auth/me", token=viejo).status_code == 200

    # When they change their password
    cambio = api.request(
        "POST",
        "/api/auth/password",
        token=viejo,
        json={"password_actual": tecnico.password, "password_nuevo": "otra-clave-segura"},
    )

    # Then the old token is refused and the new one works
    assert cambio.status_code == 200
    rechazo = api.request("GET", "/api/auth/me", token=viejo)
    assert (rechazo.status_code, rechazo.json()) == (401, TOKEN_INVALIDO)
    assert api.request("GET", "/api/auth/me", token=cambio.json()["token"]).status_code == 200
    assert _login(api, tecnico.principal.username, "otra-clave-segura").status_code == 200


def test_user_crud_over_http(api: Any, admin: Any) -> None:
    username = f"e2e.{uuid.uuid4().hex[:8]}"

    creado = api.request(
        "POST",
        "/api/usuarios",
        token=admin.token,
        json={"nombre": "Usuario E2E", "username": username, "password": "clave-e2e-123", "rol": "Tecnico"},
    )
    assert creado.status_code == 201
    id_usuario = creado.json()["id"]
    duplicado = api.request(
        "POST",
        "/api/usuarios",
        token=admin.token,
        json={"nombre": "Otro", "username": username.upper(), "password": "clave-e2e-123", "rol": "Tecnico"},
    )
    assert duplicado.status_code == 409

    token_usuario = _login(api, username, "clave-e2e-123").json()["token"]
    prohibido = api.request("GET", "/api/usuarios", token=token_usuario)
    assert (prohibido.status_code, prohibido.json()) == (403, {"error": "Acceso restringido a administradores"})

    ascendido = api.request("PUT", f"/api/usuarios/{id_usuario}", token=admin.token, json={"rol": "Operador"})
    assert (ascendido.status_code, ascendido.json()["rol"]) == (200, "Operador")
    # The role change ended the session that still said Tecnico.
    assert api.request("GET", "/api/auth/me", token=token_usuario).status_code == 401

    pagina = api.request("GET", "/api/usuarios", token=admin.token, params={"limit": "100"})
    assert pagina.status_code == 200
    assert set(pagina.json()) == {"items", "next_cursor"}

    token_usuario = _login(api, username, "clave-e2e-123").json()["token"]
    borrado = api.request("DELETE", f"/api/usuarios/{id_usuario}", token=admin.token)
    assert (borrado.status_code, borrado.json()["activo"]) == (200, False)
    assert api.request("GET", "/api/auth/me", token=token_usuario).json() == TOKEN_INVALIDO
    assert _login(api, username, "clave-e2e-123").status_code == 401
    assert api.request("PUT", "/api/usuarios/abc", token=admin.token, json={"nombre": "X"}).status_code == 400
    assert api.request("DELETE", "/api/usuarios/987654321", token=admin.token).status_code == 404


def test_insurer_catalog_over_http(api: Any, admin: Any, tecnico: Any) -> None:
    lista = api.request("GET", "/api/aseguradoras", token=tecnico.token)
    assert lista.status_code == 200
    assert lista.json()["items"][:3] == [
        {"id": 1, "nombre": "Qualitas"},
        {"id": 2, "nombre": "AXA"},
        {"id": 3, "nombre": "HDI"},
    ]

    assert api.request("POST", "/api/aseguradoras", token=admin.token, json={"nombre": "qualitas"}).status_code == 409
    assert api.request("POST", "/api/aseguradoras", token=tecnico.token, json={"nombre": "Nueva"}).status_code == 403


def test_integration_client_exchange_and_revocation(api: Any, admin: Any) -> None:
    # Given a client created by an administrator
    creado = api.request(
        "POST", "/api/integraciones", token=admin.token, json={"nombre": "Plataforma E2E", "id_aseguradora": 2}
    )
    assert creado.status_code == 201
    cliente = creado.json()
    assert cliente["exigir_firma"] is True

    # When it exchanges its credentials as JSON, as an OAuth form and with HTTP Basic
    por_json = api.request(
        "POST",
        "/api/auth/token",
        json={"client_id": cliente["client_id"], "client_secret": cliente["client_secret"]},
    )
    por_formulario = api.request(
        "POST",
        "/api/auth/token",
        data=f"grant_type=client_credentials&client_id={cliente['client_id']}&client_secret={cliente['client_secret']}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    basic = base64.b64encode(f"{cliente['client_id']}:{cliente['client_secret']}".encode()).decode()
    por_basic = api.request(
        "POST",
        "/api/auth/token",
        data="grant_type=client_credentials",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Authorization": f"Basic {basic}"},
    )

    # Then each gives a token the authorizer accepts, and staff routes refuse it
    assert por_json.status_code == 200
    assert set(por_json.json()) == {"token", "expires_in"}
    assert por_formulario.status_code == 200
    assert por_formulario.json()["token_type"] == "Bearer"
    assert por_basic.status_code == 200
    token = por_formulario.json()["access_token"]
    staff = api.request("GET", "/api/aseguradoras", token=token)
    assert (staff.status_code, staff.json()) == (403, {"error": "Acceso restringido a usuarios del taller"})

    # And once deactivated, its token dies on the next request and no new one is issued
    clientes.desactivar(cliente["client_id"])
    revocado = api.request("GET", "/api/aseguradoras", token=por_json.json()["token"])
    assert (revocado.status_code, revocado.json()) == (401, TOKEN_INVALIDO)
    otra_vez = api.request(
        "POST",
        "/api/auth/token",
        json={"client_id": cliente["client_id"], "client_secret": cliente["client_secret"]},
    )
    assert (otra_vez.status_code, otra_vez.json()) == (401, {"error": "Credenciales de cliente inválidas"})


def test_no_secret_in_the_gateway_output(api: Any, admin: Any) -> None:
    marca = api.log_mark()
    username = f"e2e.log.{uuid.uuid4().hex[:6]}"
    password = "Pw-" + uuid.uuid4().hex
    api.request(
        "POST",
        "/api/usuarios",
        token=admin.token,
        json={"nombre": "Log", "username": username, "password": password, "rol": "Tecnico"},
    )
    token = _login(api, username, password).json()["token"]
    api.request("GET", "/api/auth/me", token=token)
    cliente = api.request(
        "POST", "/api/integraciones", token=admin.token, json={"nombre": "Log", "id_aseguradora": 1}
    ).json()

    lineas = "\n".join(api.logs_since(marca))
    assert "Login correcto" in lineas  # the functions' logs really are in the captured output
    for secreto in (password, token, admin.token, cliente["client_secret"], cliente["hmac_key"]):
        assert secreto not in lineas


def _b64(datos: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(datos).encode()).rstrip(b"=").decode()


def _forjado(llamante: Any, clave: str | None = None, kid: str | None = None, **cambios: Any) -> str:
    ahora = int(time.time())
    claims = {
        "sub": llamante.principal.id,
        "username": llamante.principal.username,
        "rol": llamante.principal.rol.value,
        "ver": 1,
        "iat": ahora,
        "nbf": ahora,
        "exp": ahora + 600,
        "iss": settings().emisor,
        "aud": settings().audiencia,
        **cambios,
    }
    secreto = claves_firma()
    return jwt.encode(
        {k: v for k, v in claims.items() if v is not None},
        clave or str(secreto["key"]),
        algorithm="HS256",
        headers={"kid": kid or str(secreto["kid"])},
    )


def _rol_manipulado(llamante: Any) -> str:
    cabecera, _carga, firma = llamante.token.split(".")
    claims = jwt.decode(llamante.token, options={"verify_signature": False})
    return ".".join([cabecera, _b64({**claims, "rol": "Administrador"}), firma])


ATAQUES_HTTP: dict[str, Callable[[Any], str]] = {
    "alg none": lambda ll: f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{ll.token.split('.')[1]}.",
    "otra clave": lambda ll: _forjado(ll, clave=secrets.token_urlsafe(48)),
    "expirado": lambda ll: _forjado(ll, iat=int(time.time()) - 7200, nbf=None, exp=int(time.time()) - 3600),
    "nbf futuro": lambda ll: _forjado(ll, nbf=int(time.time()) + 3600),
    "iss": lambda ll: _forjado(ll, iss="otro"),
    "aud": lambda ll: _forjado(ll, aud="otra"),
    "kid desconocido": lambda ll: _forjado(ll, kid="k-nadie"),
    "sin exp": lambda ll: _forjado(ll, exp=None),
    "rol manipulado": _rol_manipulado,
}


@pytest.mark.parametrize("ataque", list(ATAQUES_HTTP))
def test_forged_tokens_get_the_exact_401_over_http(api: Any, operador: Any, ataque: str) -> None:
    assert api.request("GET", "/api/auth/me", token=operador.token).status_code == 200

    respuesta = api.request("GET", "/api/auth/me", token=ATAQUES_HTTP[ataque](operador))

    assert (respuesta.status_code, respuesta.json()) == (401, TOKEN_INVALIDO)
