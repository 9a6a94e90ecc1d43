"""POST /api/auth/login through its handler, against moto."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from botocore.exceptions import ClientError

from monitor.auth import sesion
from monitor.auth.tokens import verificar_token
from monitor.core import keys, table
from monitor.usuarios.campos import Rol

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")

Invocar = Callable[..., dict[str, Any]]
CREDENCIALES_MAL = {"error": "Usuario o contraseña incorrectos"}


class _DynamoLimitado:
    """Stands in for the DynamoDB client: every call is throttled."""

    def __getattr__(self, operacion: str) -> Callable[..., Any]:
        def fallar(**_: Any) -> Any:
            raise ClientError(
                {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "limitado"}}, operacion
            )

        return fallar


@pytest.fixture
def limitado() -> _DynamoLimitado:
    return _DynamoLimitado()


def _login(invocar: Invocar, usuario: str, password: str) -> dict[str, Any]:
    return invocar("auth_login", "POST", "/api/auth/login", cuerpo={"usuario": usuario, "password": password})


def test_login_returns_a_verifiable_token_and_the_user(invocar: Invocar, crear_usuario: Callable[..., Any]) -> None:
    # Given an active operator
    op = crear_usuario(Rol.OPERADOR)

    # When they log in
    respuesta = _login(invocar, op.principal.username, op.password)

    # Then the token is signed for them with their current version and the user is shown without secrets
    assert respuesta["statusCode"] == 200
    cuerpo = respuesta["json"]
    assert set(cuerpo) == {"token", "expires_in", "usuario"}
    assert cuerpo["expires_in"] == 28800
    assert cuerpo["usuario"] == {
        "id": int(op.principal.id),
        "username": op.principal.username,
        "nombre": f"Usuario {op.principal.username}",
        "rol": "Operador",
    }
    claims = verificar_token(cuerpo["token"])
    assert (claims["sub"], claims["rol"], claims["ver"]) == (op.principal.id, "Operador", 1)
    assert claims["exp"] - claims["iat"] == 28800
    assert jwt.get_unverified_header(cuerpo["token"])["kid"]
    assert respuesta["headers"]["Cache-Control"] == "no-store"


def test_login_username_is_case_insensitive(invocar: Invocar, crear_usuario: Callable[..., Any]) -> None:
    op = crear_usuario(Rol.TECNICO, username=f"Tec.Mixto-{uuid.uuid4().hex[:6]}")

    respuesta = _login(invocar, op.principal.username.upper(), op.password)

    assert respuesta["statusCode"] == 200
    assert respuesta["json"]["usuario"]["username"] == op.principal.username


def test_wrong_password_unknown_user_and_inactive_user_get_the_same_401(
    invocar: Invocar, crear_usuario: Callable[..., Any], admin: Any, dynamo_requests: Any
) -> None:
    op = crear_usuario(Rol.OPERADOR)
    inactivo = crear_usuario(Rol.TECNICO)
    invocar(
        "usuarios_delete", "DELETE", "/api/usuarios/{id}", llamante=admin, ruta_params={"id": inactivo.principal.id}
    )

    respuestas = []
    peticiones = []
    for usuario, password in [
        (op.principal.username, "otra-clave-123"),
        (f"nadie-{uuid.uuid4().hex[:8]}", "otra-clave-123"),
        (inactivo.principal.username, inactivo.password),
    ]:
        dynamo_requests.reiniciar()
        respuestas.append(_login(invocar, usuario, password))
        peticiones.append(dict(dynamo_requests.llamadas))

    assert [r["statusCode"] for r in respuestas] == [401, 401, 401]
    assert all(r["json"] == CREDENCIALES_MAL for r in respuestas)
    # Same DynamoDB work whether the user exists or not (the cheap half of "same time").
    assert peticiones[0] == peticiones[1] == peticiones[2]


def test_a_wrong_password_costs_one_kdf_verification_also_for_unknown_users(
    invocar: Invocar, monkeypatch: pytest.MonkeyPatch
) -> None:
    from monitor.core import passwords

    verificados: list[str] = []
    original = passwords.verificar
    monkeypatch.setattr(passwords, "verificar", lambda p, h: verificados.append(h) or original(p, h))

    respuesta = _login(invocar, f"nadie-{uuid.uuid4().hex[:8]}", "x")

    assert respuesta["statusCode"] == 401
    assert verificados == [passwords.hash_senuelo()]


def test_five_failures_throttle_the_username_with_retry_after_and_metric(
    invocar: Invocar, crear_usuario: Callable[..., Any], capsys: pytest.CaptureFixture[str]
) -> None:
    op = crear_usuario(Rol.OPERADOR)
    for _ in range(sesion.MAX_FALLOS):
        assert _login(invocar, op.principal.username, "mala-clave")["statusCode"] == 401
    assert capsys.readouterr().out.count('"LoginFallido":[1.0]') == sesion.MAX_FALLOS

    # Even the right password is refused while the window lasts.
    bloqueado = _login(invocar, op.principal.username, op.password)

    assert bloqueado["statusCode"] == 429
    assert bloqueado["json"] == {"error": "Demasiados intentos fallidos, intente más tarde"}
    assert 1 <= int(bloqueado["headers"]["Retry-After"]) <= sesion.VENTANA_SEGUNDOS
    intentos = table.get(keys.intentos_login(op.principal.username), consistente=True)
    assert intentos is not None
    assert int(intentos["fallos"]) == sesion.MAX_FALLOS
    assert int(intentos["expira"]) > 0


def test_throttling_also_applies_to_unknown_usernames(invocar: Invocar) -> None:
    nadie = f"nadie-{uuid.uuid4().hex[:8]}"
    for _ in range(sesion.MAX_FALLOS):
        _login(invocar, nadie, "x")

    assert _login(invocar, nadie, "x")["statusCode"] == 429


def test_an_expired_window_starts_again_and_success_resets_the_counter(
    invocar: Invocar, crear_usuario: Callable[..., Any]
) -> None:
    op = crear_usuario(Rol.OPERADOR)
    for _ in range(sesion.MAX_FALLOS):
        _login(invocar, op.principal.username, "mala-clave")
    # Given the window ended (TTL deletion is lazy, so the item may still be there)
    table.update(keys.intentos_login(op.principal.username), "SET expira = :pasado", {":pasado": 1000})

    # When a failure comes, it opens a new window of one failure
    assert _login(invocar, op.principal.username, "mala-clave")["statusCode"] == 401
    assert int(table.get(keys.intentos_login(op.principal.username), consistente=True)["fallos"]) == 1  # type: ignore[index]

    # And a success clears it
    assert _login(invocar, op.principal.username, op.password)["statusCode"] == 200
    assert table.get(keys.intentos_login(op.principal.username), consistente=True) is None


def test_failures_below_the_limit_do_not_block(invocar: Invocar, crear_usuario: Callable[..., Any]) -> None:
    op = crear_usuario(Rol.OPERADOR)
    for _ in range(sesion.MAX_FALLOS - 1):
        _login(invocar, op.principal.username, "mala-clave")

    assert _login(invocar, op.principal.username, op.password)["statusCode"] == 200


@pytest.mark.parametrize(
    ("cuerpo", "mensaje", "campos"),
    [
        ({}, "Faltan campos obligatorios: usuario, password", ["usuario", "password"]),
        ({"usuario": "", "password": "x"}, "Datos inválidos", ["usuario"]),
        ({"usuario": "a" * 65, "password": "x"}, "Datos inválidos", ["usuario"]),
        ({"usuario": "admin", "password": "x" * 257}, "Datos inválidos", ["password"]),
        ({"usuario": 5, "password": "x"}, "Datos inválidos", ["usuario"]),
    ],
)
def test_bad_bodies_are_400_with_detalles(
    invocar: Invocar, cuerpo: dict[str, Any], mensaje: str, campos: list[str]
) -> None:
    respuesta = invocar("auth_login", "POST", "/api/auth/login", cuerpo=cuerpo)

    assert respuesta["statusCode"] == 400
    assert respuesta["json"]["error"] == mensaje
    assert [d["campo"] for d in respuesta["json"]["detalles"]] == campos


def test_non_json_body_is_400(invocar: Invocar) -> None:
    respuesta = invocar("auth_login", "POST", "/api/auth/login", cuerpo="usuario=admin")

    assert respuesta["statusCode"] == 400
    assert respuesta["json"]["error"] == "El cuerpo no es JSON válido"


def test_dynamodb_throttling_is_503_not_401(
    invocar: Invocar, admin_credenciales: tuple[str, str], monkeypatch: pytest.MonkeyPatch, limitado: Any
) -> None:
    monkeypatch.setattr(table, "cliente", lambda: limitado)

    respuesta = _login(invocar, *admin_credenciales)

    assert respuesta["statusCode"] == 503
    assert respuesta["json"] == {"error": "Servicio no disponible temporalmente, intente de nuevo"}
    assert "Retry-After" in respuesta["headers"]
