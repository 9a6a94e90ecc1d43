"""POST /api/auth/logout: every token of the caller stops working at once (the token version goes up); a
malformed Bearer token is the authorizer's Deny ("Token inválido o expirado"), never "Token requerido"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from monitor.auth.tokens import emitir_token
from tools import eventos, funciones

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")
Invocar = Callable[..., dict[str, Any]]


def _autorizar(cabecera: str) -> str:
    modulo = funciones.cargar("auth_authorizer")
    politica = funciones.invocar(modulo, eventos.evento_autorizador(cabecera, "GET", "/api/auth/me"), "auth_authorizer")
    return str(politica["policyDocument"]["Statement"][0]["Effect"])


def test_logout_revokes_every_token_of_the_caller_in_one_write(
    invocar: Invocar, tecnico: Any, dynamo_requests: Any
) -> None:
    otro_dispositivo = emitir_token(
        sub=tecnico.principal.id, username=tecnico.principal.username, rol=tecnico.principal.rol, version=1, ttl=600
    )
    assert _autorizar(f"Bearer {tecnico.token}") == "Allow"
    dynamo_requests.reiniciar()

    r = invocar("auth_logout", "POST", "/api/auth/logout", llamante=tecnico)

    assert r["statusCode"] == 204
    assert not r["body"]
    assert dynamo_requests.llamadas == {"UpdateItem": 1}
    assert _autorizar(f"Bearer {tecnico.token}") == "Deny"
    assert _autorizar(f"Bearer {otro_dispositivo}") == "Deny"


def test_after_logout_a_new_login_works(invocar: Invocar, crear_usuario: Callable[..., Any]) -> None:
    usuario = crear_usuario()
    invocar("auth_logout", "POST", "/api/auth/logout", llamante=usuario)

    login = invocar(
        "auth_login",
        "POST",
        "/api/auth/login",
        cuerpo={"usuario": usuario.principal.username, "password": usuario.password},
    )

    assert login["statusCode"] == 200
    assert _autorizar(f"Bearer {login['json']['token']}") == "Allow"


@pytest.mark.parametrize("cabecera", ["Bearer abc", "Bearer a.b", "Bearer a.b.c", "Bearer " + "x" * 5000])
def test_a_malformed_bearer_token_is_denied(cabecera: str) -> None:
    assert _autorizar(cabecera) == "Deny"
