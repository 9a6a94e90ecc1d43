"""No password, hash, client secret, signing key or token in any log line, nor in any response
other than the one that hands it out (once)."""

from __future__ import annotations

import io
import logging
import uuid
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode

import pytest

from monitor.core import keys, table
from monitor.core.observability import logger
from tools import eventos, funciones

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")

Invocar = Callable[..., dict[str, Any]]


@pytest.fixture
def registro() -> Iterator[io.StringIO]:
    """Everything the Powertools logger writes, at DEBUG, during the test."""
    destino = io.StringIO()
    manejador = logger.registered_handler
    anterior = manejador.setStream(destino)  # type: ignore[attr-defined]
    nivel = logger.log_level
    logger.setLevel("DEBUG")
    yield destino
    logger.setLevel(nivel)
    manejador.setStream(anterior)  # type: ignore[attr-defined]


def test_secrets_never_reach_logs_or_other_responses(
    invocar: Invocar,
    admin: Any,
    registro: io.StringIO,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG, logger="monitor")
    respuestas: list[tuple[str, dict[str, Any]]] = []

    def llamar(nombre: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        respuesta = invocar(nombre, *args, **kwargs)
        respuestas.append((nombre, respuesta))
        return respuesta

    username = f"secreto-{uuid.uuid4().hex[:8]}"
    password = "Pw-inicial-" + uuid.uuid4().hex
    password_nuevo = "Pw-nuevo-" + uuid.uuid4().hex
    password_reinicio = "Pw-reinicio-" + uuid.uuid4().hex

    # An administrator creates a user, who logs in (once wrong), changes their password and is reset.
    creado = llamar(
        "usuarios_create",
        "POST",
        "/api/usuarios",
        llamante=admin,
        cuerpo={"nombre": "Secreto", "username": username, "password": password, "rol": "Operador"},
    )["json"]
    llamar("auth_login", "POST", "/api/auth/login", cuerpo={"usuario": username, "password": password + "x"})
    sesion = llamar("auth_login", "POST", "/api/auth/login", cuerpo={"usuario": username, "password": password})
    token_login = sesion["json"]["token"]
    contexto = {"principalId": str(creado["id"]), "username": username, "rol": "Operador"}

    class Usuario:
        autorizador = contexto

    cambio = llamar(
        "auth_password",
        "POST",
        "/api/auth/password",
        llamante=Usuario,
        cuerpo={"password_actual": password, "password_nuevo": password_nuevo},
    )
    token_nuevo = cambio["json"]["token"]
    llamar(
        "usuarios_update",
        "PUT",
        "/api/usuarios/{id}",
        llamante=admin,
        ruta_params={"id": str(creado["id"])},
        cuerpo={"password": password_reinicio},
    )

    # An integration client is created and exchanges its credentials both ways.
    cliente = llamar(
        "auth_clientes_create",
        "POST",
        "/api/integraciones",
        llamante=admin,
        cuerpo={"nombre": "X", "id_aseguradora": 1},
    )["json"]
    credenciales = {"client_id": cliente["client_id"], "client_secret": cliente["client_secret"]}
    token_json = llamar("auth_token", "POST", "/api/auth/token", cuerpo=credenciales)["json"]["token"]
    token_oauth = llamar(
        "auth_token",
        "POST",
        "/api/auth/token",
        cuerpo=urlencode({"grant_type": "client_credentials", **credenciales}),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )["json"]["access_token"]
    llamar("auth_token", "POST", "/api/auth/token", cuerpo={**credenciales, "client_secret": "mal-" + uuid.uuid4().hex})

    # The authorizer sees valid, revoked and forged tokens.
    autorizador = funciones.cargar("auth_authorizer")
    for token in (token_login, token_nuevo, token_json, token_oauth, admin.token, token_nuevo + "x"):
        funciones.invocar(autorizador, eventos.evento_autorizador(f"Bearer {token}", "GET", "/api/auth/me"))

    item = table.get(keys.usuario(int(creado["id"])), consistente=True)
    cliente_item = table.get(keys.cliente(cliente["client_id"]), consistente=True)
    assert item is not None
    assert cliente_item is not None
    secretos = {
        "password": password,
        "password_nuevo": password_nuevo,
        "password_reinicio": password_reinicio,
        "hash_usuario": item["hash"],
        "hash_cliente": cliente_item["hash"],
        "client_secret": cliente["client_secret"],
        "hmac_key": cliente["hmac_key"],
        "token_login": token_login,
        "token_nuevo": token_nuevo,
        "token_json": token_json,
        "token_oauth": token_oauth,
        "token_admin": admin.token,
    }
    # Each secret may appear in exactly the responses that hand it out.
    entregas = {
        "token_login": {"auth_login"},
        "token_nuevo": {"auth_password"},
        "client_secret": {"auth_clientes_create"},
        "hmac_key": {"auth_clientes_create"},
        "token_json": {"auth_token"},
        "token_oauth": {"auth_token"},
    }

    salida = capsys.readouterr()
    lineas = registro.getvalue().splitlines() + [r.getMessage() for r in caplog.records]
    lineas += salida.out.splitlines() + salida.err.splitlines()
    assert any("Login correcto" in linea for linea in lineas)  # the capture really captured
    for nombre, secreto in secretos.items():
        filtradas = [linea for linea in lineas if secreto in linea]
        assert not filtradas, f"{nombre} aparece en los logs: {filtradas[0][:200]}"
        for funcion, respuesta in respuestas:
            if funcion not in entregas.get(nombre, set()):
                assert secreto not in respuesta["body"], f"{nombre} aparece en la respuesta de {funcion}"
    assert [n for n, r in respuestas if "hash" in r["body"] or "scrypt$" in r["body"]] == []
