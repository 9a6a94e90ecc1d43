"""Claim types and lifetimes the authorizer refuses even under a valid signature: tokens forged with the
deployment's real key, as an insider or a leaked key would make them (RFC 8725 §3.9-3.10)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from monitor.core.settings import settings
from tests.handlers.test_autorizador import _claims, _efecto, _firmar
from tools import eventos, funciones

AHORA = int(time.time())


@pytest.fixture(scope="module")
def autorizador() -> Callable[[str], dict[str, Any]]:
    modulo = funciones.cargar("auth_authorizer")
    return lambda cabecera: funciones.invocar(
        modulo, eventos.evento_autorizador(cabecera, "GET", "/api/auth/me"), "auth_authorizer"
    )


FALSIFICADOS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "exp como texto": lambda ll: _claims(ll, exp=str(AHORA + 600)),
    "exp decimal": lambda ll: _claims(ll, exp=AHORA + 600.5),
    "exp booleano": lambda ll: _claims(ll, exp=True, iat=0, nbf=None),
    "iat como texto": lambda ll: _claims(ll, iat=str(AHORA)),
    "iat decimal": lambda ll: _claims(ll, iat=AHORA + 0.25),
    "nbf como texto": lambda ll: _claims(ll, nbf=str(AHORA)),
    "ver booleano": lambda ll: _claims(ll, ver=True),
    "ver decimal": lambda ll: _claims(ll, ver=1.0),
    "sub con ceros a la izquierda": lambda ll: _claims(ll, sub="0" + ll.principal.id),
    "sub con dígitos no ASCII": lambda ll: _claims(
        ll, sub="".join(chr(0x0660 + int(c)) for c in ll.principal.id)
    ),  # Arabic-Indic digits: str.isdigit() is True
    "sub con espacios": lambda ll: _claims(ll, sub=f" {ll.principal.id}"),
    "sub numérico en JSON": lambda ll: _claims(ll, sub=int(ll.principal.id)),
    "vida mayor que la configurada": lambda ll: _claims(ll, exp=AHORA + settings().ttl_token + 3600),
    "vida de un año": lambda ll: _claims(ll, iat=AHORA - 60, exp=AHORA + 365 * 86400),
}


@pytest.mark.parametrize("falsificado", list(FALSIFICADOS))
def test_forged_claims_signed_with_the_real_key_are_denied(
    falsificado: str,
    autorizador: Callable[..., dict[str, Any]],
    operador: Any,
) -> None:
    token = _firmar(FALSIFICADOS[falsificado](operador))

    assert _efecto(autorizador(f"Bearer {token}")) == "Deny", falsificado


def test_the_same_claims_well_typed_and_within_the_lifetime_are_allowed(
    autorizador: Callable[..., dict[str, Any]],
    operador: Any,
) -> None:
    justo = _firmar(_claims(operador, iat=AHORA, nbf=AHORA, exp=AHORA + settings().ttl_token))

    assert _efecto(autorizador(f"Bearer {justo}")) == "Allow"


def test_a_client_token_may_not_live_as_long_as_a_staff_one(
    autorizador: Callable[..., dict[str, Any]],
) -> None:
    from tests.apoyo.ordenes import crear_cliente

    cliente = crear_cliente(id_aseguradora=2)
    base = {**_claims(cliente.llamante), "id_aseguradora": 2}
    dentro = _firmar({**base, "exp": AHORA + settings().ttl_token_cliente})
    fuera = _firmar({**base, "exp": AHORA + settings().ttl_token_cliente + 600})

    assert _efecto(autorizador(f"Bearer {dentro}")) == "Allow"
    assert _efecto(autorizador(f"Bearer {fuera}")) == "Deny"
