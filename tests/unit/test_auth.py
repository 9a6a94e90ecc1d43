"""Pure pieces of authentication: password hashing, token checks with a fixed key, request parsing,
input models and the throttle window. No AWS."""

from __future__ import annotations

import base64
import time
from typing import Any

import jwt
import pytest
from pydantic import ValidationError

from monitor.auth import autorizador, clientes, sesion, tokens
from monitor.auth.modelos import Credenciales
from monitor.auth.roles import Principal
from monitor.auth.tokens import TokenInvalido
from monitor.core import passwords, signing
from monitor.core.errors import DemasiadosIntentos, NoAutenticado, SolicitudInvalida
from monitor.usuarios.campos import Rol
from monitor.usuarios.modelos import UsuarioNuevo

CLAVES = {"kid": "k2", "key": "clave-actual-" + "x" * 64, "previous": [{"kid": "k1", "key": "clave-vieja-" + "y" * 64}]}


@pytest.fixture
def claves_fijas(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setattr(signing, "claves_firma", lambda: CLAVES)
    return CLAVES


# ---- contrasenas
def test_hash_verifies_only_the_same_password_and_is_salted() -> None:
    primero, segundo = passwords.hashear("clave-1"), passwords.hashear("clave-1")

    assert primero != segundo
    assert primero.startswith("scrypt$")
    assert "clave-1" not in primero
    assert passwords.verificar("clave-1", primero)
    assert not passwords.verificar("clave-2", primero)


@pytest.mark.parametrize("almacenado", ["", "scrypt$1$2", "bcrypt$x$y$z$a$b", "scrypt$x$8$1$AAAA$AAAA"])
def test_malformed_hashes_never_verify(almacenado: str) -> None:
    assert passwords.verificar("cualquiera", almacenado) is False


def test_the_decoy_hash_is_stable_and_matches_nothing_guessable() -> None:
    assert passwords.hash_senuelo() == passwords.hash_senuelo()
    assert not passwords.verificar("", passwords.hash_senuelo())


# ---- tokens
def test_tokens_carry_kid_and_required_claims(claves_fijas: dict[str, Any]) -> None:
    token = tokens.emitir_token(sub="7", username="ana", rol=Rol.TECNICO, version=3, ttl=120)

    assert jwt.get_unverified_header(token) == {"alg": "HS256", "kid": "k2", "typ": "JWT"}
    claims = tokens.verificar_token(token)
    assert {k: claims[k] for k in ("sub", "username", "rol", "ver")} == {
        "sub": "7",
        "username": "ana",
        "rol": "Tecnico",
        "ver": 3,
    }
    assert claims["exp"] - claims["iat"] == 120
    assert {"iss", "aud", "nbf"} <= set(claims)


def test_previous_keys_verify_by_kid(claves_fijas: dict[str, Any]) -> None:
    ahora = int(time.time())
    token = jwt.encode(
        {
            "sub": "1",
            "rol": "Operador",
            "ver": 1,
            "iat": ahora,
            "exp": ahora + 60,
            "iss": "monitor-local",
            "aud": "monitor-api",
        },
        CLAVES["previous"][0]["key"],
        algorithm="HS256",
        headers={"kid": "k1"},
    )

    assert tokens.verificar_token(token)["sub"] == "1"


def test_a_previous_key_under_the_current_kid_is_rejected(claves_fijas: dict[str, Any]) -> None:
    ahora = int(time.time())
    token = jwt.encode(
        {
            "sub": "1",
            "rol": "Operador",
            "ver": 1,
            "iat": ahora,
            "exp": ahora + 60,
            "iss": "monitor-local",
            "aud": "monitor-api",
        },
        CLAVES["previous"][0]["key"],
        algorithm="HS256",
        headers={"kid": "k2"},
    )

    with pytest.raises(TokenInvalido):
        tokens.verificar_token(token)


@pytest.mark.parametrize("alg", ["HS512", "HS384"])
def test_other_algorithms_are_rejected_even_with_the_right_key(claves_fijas: dict[str, Any], alg: str) -> None:
    ahora = int(time.time())
    claims = {
        "sub": "1",
        "rol": "Operador",
        "ver": 1,
        "iat": ahora,
        "exp": ahora + 60,
        "iss": "monitor-local",
        "aud": "monitor-api",
    }
    token = jwt.encode(claims, CLAVES["key"], algorithm=alg, headers={"kid": "k2"})

    with pytest.raises(TokenInvalido, match="algoritmo"):
        tokens.verificar_token(token)


@pytest.mark.parametrize(
    "cabecera",
    ["", "Bearer", "Bearer ", "Basic abc", "bearer a.b.c", "Token a.b.c", "Bearer a.b", "Bearer " + "a." * 3000 + "b"],
)
def test_only_bearer_headers_with_a_jwt_shape_are_read(cabecera: str) -> None:
    with pytest.raises(TokenInvalido):
        autorizador.extraer_token(cabecera)


def test_bearer_token_is_extracted() -> None:
    assert autorizador.extraer_token("Bearer a.b.c") == "a.b.c"


def test_context_holds_only_strings_and_numbers() -> None:
    principal = Principal(id="cli_1", username="cli_1", rol=Rol.INTEGRACION, id_aseguradora=2)

    assert autorizador.contexto(principal) == {"username": "cli_1", "rol": "Integracion", "id_aseguradora": 2}


# ---- POST /api/auth/token parsing
def _basic(texto: str) -> str:
    return "Basic " + base64.b64encode(texto.encode()).decode()


def test_json_body_is_the_simple_form() -> None:
    solicitud = clientes.leer_solicitud("application/json", '{"client_id":"a","client_secret":"b"}', None)

    assert (solicitud.credenciales.client_id, solicitud.credenciales.client_secret, solicitud.oauth) == (
        "a",
        "b",
        False,
    )


def test_form_body_is_oauth() -> None:
    solicitud = clientes.leer_solicitud(
        "application/x-www-form-urlencoded", "grant_type=client_credentials&client_id=a%2Bb&client_secret=c%26d", None
    )

    assert (solicitud.credenciales.client_id, solicitud.credenciales.client_secret, solicitud.oauth) == (
        "a+b",
        "c&d",
        True,
    )


def test_basic_credentials_are_url_decoded_and_win_over_the_body() -> None:
    solicitud = clientes.leer_solicitud(
        "application/x-www-form-urlencoded",
        "grant_type=client_credentials&client_id=otro&client_secret=otro",
        _basic("cli%3A1:s%C3%A9creto"),
    )

    assert (solicitud.credenciales.client_id, solicitud.credenciales.client_secret) == ("cli:1", "sécreto")


@pytest.mark.parametrize(
    "cabecera", [_basic("sin-dos-puntos"), "Basic !!!", "Basic " + base64.b64encode(b"\xff").decode()]
)
def test_broken_basic_is_401(cabecera: str) -> None:
    with pytest.raises(NoAutenticado):
        clientes.leer_solicitud("application/x-www-form-urlencoded", "grant_type=client_credentials", cabecera)


@pytest.mark.parametrize(
    ("tipo", "cuerpo"),
    [
        ("application/x-www-form-urlencoded", "grant_type=authorization_code&client_id=a&client_secret=b"),
        ("application/json", "no json"),
        ("application/json", '"texto"'),
        ("application/json", '{"client_id": "", "client_secret": "b"}'),
        (None, None),
    ],
)
def test_invalid_token_requests_are_400(tipo: str | None, cuerpo: str | None) -> None:
    with pytest.raises(SolicitudInvalida):
        clientes.leer_solicitud(tipo, cuerpo, None)


# ---- input models
@pytest.mark.parametrize("username", ["abc", "a.b-c_d", "A" * 64, "Juan.Perez"])
def test_valid_usernames(username: str) -> None:
    UsuarioNuevo(nombre="X", username=username, password="12345678", rol="Tecnico")


@pytest.mark.parametrize("username", ["ab", "a b", "ñu-ñu", "a" * 65, "a/b", "a@b.com"])
def test_invalid_usernames(username: str) -> None:
    with pytest.raises(ValidationError):
        UsuarioNuevo(nombre="X", username=username, password="12345678", rol="Tecnico")


def test_staff_users_cannot_have_the_integration_role() -> None:
    with pytest.raises(ValidationError):
        UsuarioNuevo(nombre="X", username="abc", password="12345678", rol="Integracion")


def test_login_trims_the_username_but_not_the_password() -> None:
    datos = Credenciales(usuario="  ana  ", password="  con espacios  ")

    assert (datos.usuario, datos.password) == ("ana", "  con espacios  ")


# ---- throttle window
def test_an_open_window_under_the_limit_does_not_block() -> None:
    sesion._comprobar_bloqueo({"fallos": sesion.MAX_FALLOS - 1, "expira": 2000}, 1000)


def test_a_full_window_blocks_with_the_remaining_seconds() -> None:
    with pytest.raises(DemasiadosIntentos) as error:
        sesion._comprobar_bloqueo({"fallos": sesion.MAX_FALLOS, "expira": 1300}, 1000)

    assert error.value.headers == {"Retry-After": "300"}
    assert error.value.status == 429


def test_an_expired_window_does_not_block_even_if_the_item_lingers() -> None:
    sesion._comprobar_bloqueo({"fallos": 50, "expira": 1000}, 1000)
    sesion._comprobar_bloqueo(None, 1000)


def test_the_decoy_costs_what_a_real_hash_costs() -> None:
    """Same scrypt parameters as new hashes, so an unknown user takes as long as a wrong password."""
    assert passwords.hash_senuelo().split("$")[:4] == passwords.hashear("x").split("$")[:4]
