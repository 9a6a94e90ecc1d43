"""GET /api/auth/me and POST /api/auth/password through their handlers, against moto."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from monitor.auth import sesion
from monitor.auth.tokens import verificar_token
from monitor.core import keys, table
from monitor.usuarios.campos import Rol

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")

Invocar = Callable[..., dict[str, Any]]


def _cambiar(invocar: Invocar, llamante: Any, actual: str, nuevo: str) -> dict[str, Any]:
    return invocar(
        "auth_password",
        "POST",
        "/api/auth/password",
        llamante=llamante,
        cuerpo={"password_actual": actual, "password_nuevo": nuevo},
    )


def _login(invocar: Invocar, usuario: str, password: str) -> dict[str, Any]:
    return invocar("auth_login", "POST", "/api/auth/login", cuerpo={"usuario": usuario, "password": password})


@pytest.mark.parametrize("rol", [Rol.ADMINISTRADOR, Rol.OPERADOR, Rol.TECNICO])
def test_me_returns_the_caller(invocar: Invocar, crear_usuario: Callable[..., Any], rol: Rol) -> None:
    llamante = crear_usuario(rol)

    respuesta = invocar("auth_me", "GET", "/api/auth/me", llamante=llamante)

    assert respuesta["statusCode"] == 200
    assert respuesta["json"] == {
        "id": int(llamante.principal.id),
        "username": llamante.principal.username,
        "nombre": f"Usuario {llamante.principal.username}",
        "rol": rol.value,
        "activo": True,
    }


def test_me_without_authorizer_context_is_401(invocar: Invocar) -> None:
    respuesta = invocar("auth_me", "GET", "/api/auth/me")

    assert respuesta["statusCode"] == 401
    assert respuesta["json"] == {"error": "Token requerido"}


def test_password_change_returns_a_new_token_and_ends_other_sessions(invocar: Invocar, operador: Any) -> None:
    respuesta = _cambiar(invocar, operador, operador.password, "nueva-clave-segura")

    assert respuesta["statusCode"] == 200
    assert set(respuesta["json"]) == {"token", "expires_in"}
    assert verificar_token(respuesta["json"]["token"])["ver"] == 2
    item = table.get(keys.usuario(int(operador.principal.id)), consistente=True)
    assert item is not None
    assert item["version_token"] == 2
    # The new password logs in, the old one does not.
    assert _login(invocar, operador.principal.username, "nueva-clave-segura")["statusCode"] == 200
    assert _login(invocar, operador.principal.username, operador.password)["statusCode"] == 401


def test_wrong_current_password_is_400_and_changes_nothing(invocar: Invocar, tecnico: Any) -> None:
    respuesta = _cambiar(invocar, tecnico, "no-es-la-actual", "nueva-clave-segura")

    assert respuesta["statusCode"] == 400
    assert respuesta["json"] == {
        "error": "Contraseña actual incorrecta",
        "detalles": [{"campo": "password_actual", "mensaje": "No coincide con la contraseña actual"}],
    }
    assert table.get(keys.usuario(int(tecnico.principal.id)), consistente=True)["version_token"] == 1  # type: ignore[index]
    assert _login(invocar, tecnico.principal.username, tecnico.password)["statusCode"] == 200


def test_wrong_current_passwords_count_against_the_login_throttle(invocar: Invocar, tecnico: Any) -> None:
    for _ in range(sesion.MAX_FALLOS):
        assert _cambiar(invocar, tecnico, "no-es-la-actual", "nueva-clave-segura")["statusCode"] == 400

    respuesta = _cambiar(invocar, tecnico, tecnico.password, "nueva-clave-segura")

    assert respuesta["statusCode"] == 429
    assert "Retry-After" in respuesta["headers"]


@pytest.mark.parametrize(
    ("cuerpo", "campo"),
    [
        ({"password_actual": "x", "password_nuevo": "corta"}, "password_nuevo"),
        ({"password_actual": "", "password_nuevo": "suficientemente-larga"}, "password_actual"),
        ({"password_actual": "x", "password_nuevo": "y" * 257}, "password_nuevo"),
        ({"password_actual": "x", "password_nuevo": "suficientemente-larga", "extra": 1}, "extra"),
        ({"old_password": "x", "new_password": "suficientemente-larga"}, "password_actual"),
    ],
)
def test_bad_password_bodies_are_400(invocar: Invocar, operador: Any, cuerpo: dict[str, Any], campo: str) -> None:
    respuesta = invocar("auth_password", "POST", "/api/auth/password", llamante=operador, cuerpo=cuerpo)

    assert respuesta["statusCode"] == 400
    assert campo in [d["campo"] for d in respuesta["json"]["detalles"]]


def test_the_new_password_must_differ(invocar: Invocar, operador: Any) -> None:
    respuesta = _cambiar(invocar, operador, operador.password, operador.password)

    assert respuesta["statusCode"] == 400
    assert respuesta["json"]["error"] == "La contraseña nueva debe ser distinta de la actual"


def test_a_concurrent_change_makes_the_loser_409(
    invocar: Invocar, operador: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone else bumps the version between our read and our conditional write."""
    from monitor.usuarios import servicio as usuarios

    original = usuarios.cambiar_password

    def con_carrera(id_usuario: int, nuevo: str, version: int) -> int:
        table.update(keys.usuario(id_usuario), "SET version_token = version_token + :uno", {":uno": 1})
        return original(id_usuario, nuevo, version)

    monkeypatch.setattr(usuarios, "cambiar_password", con_carrera)

    respuesta = _cambiar(invocar, operador, operador.password, "nueva-clave-segura")

    assert respuesta["statusCode"] == 409
    assert _login(invocar, operador.principal.username, operador.password)["statusCode"] == 200


def test_me_is_503_when_dynamodb_throttles(invocar: Invocar, operador: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    class Limitado:
        def get_item(self, **_: Any) -> Any:
            raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "x"}}, "GetItem")

    monkeypatch.setattr(table, "cliente", Limitado)

    respuesta = invocar("auth_me", "GET", "/api/auth/me", llamante=operador)

    assert respuesta["statusCode"] == 503


def test_a_password_change_retried_after_a_timeout_still_returns_the_new_token(
    invocar: Invocar, operador: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = table.cliente()

    class ReintentoTrasTimeout:
        def __getattr__(self, nombre: str) -> Any:
            return getattr(real, nombre)

        def update_item(self, **parametros: Any) -> Any:
            real.update_item(**parametros)  # lands, but the answer is "lost"
            return real.update_item(**parametros)  # the retry meets its own version bump

    monkeypatch.setattr(table, "cliente", ReintentoTrasTimeout)

    respuesta = _cambiar(invocar, operador, operador.password, "nueva-clave-segura")

    monkeypatch.undo()
    assert respuesta["statusCode"] == 200
    assert verificar_token(respuesta["json"]["token"])["ver"] == 2
    assert _login(invocar, operador.principal.username, "nueva-clave-segura")["statusCode"] == 200
