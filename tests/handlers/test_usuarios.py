"""/api/usuarios (list, create, update, deactivate) through their handlers, against moto."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from monitor.core import keys, table
from monitor.usuarios.campos import Rol

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")

Invocar = Callable[..., dict[str, Any]]
CAMPOS_PUBLICOS = {"id", "nombre", "username", "rol", "activo"}


def _nuevo(**cambios: Any) -> dict[str, Any]:
    return {
        "nombre": "María Pérez",
        "username": f"maria.{uuid.uuid4().hex[:8]}",
        "password": "clave-segura-1",
        "rol": "Operador",
        **cambios,
    }


def _crear(invocar: Invocar, admin: Any, **cambios: Any) -> dict[str, Any]:
    return invocar("usuarios_create", "POST", "/api/usuarios", llamante=admin, cuerpo=_nuevo(**cambios))


def _actualizar(invocar: Invocar, admin: Any, id_usuario: Any, cuerpo: Any) -> dict[str, Any]:
    return invocar(
        "usuarios_update",
        "PUT",
        "/api/usuarios/{id}",
        llamante=admin,
        ruta_params={"id": str(id_usuario)},
        cuerpo=cuerpo,
    )


def _version(id_usuario: int) -> int:
    item = table.get(keys.usuario(id_usuario), consistente=True)
    assert item is not None
    return int(item["version_token"])


def _login(invocar: Invocar, usuario: str, password: str) -> int:
    respuesta = invocar("auth_login", "POST", "/api/auth/login", cuerpo={"usuario": usuario, "password": password})
    return int(respuesta["statusCode"])


# ---- create
def test_create_returns_201_with_an_integer_id_and_no_hash(invocar: Invocar, admin: Any) -> None:
    cuerpo = _nuevo(nombre="  María Pérez  ")

    respuesta = invocar("usuarios_create", "POST", "/api/usuarios", llamante=admin, cuerpo=cuerpo)

    assert respuesta["statusCode"] == 201
    creado = respuesta["json"]
    assert set(creado) == CAMPOS_PUBLICOS
    assert isinstance(creado["id"], int)
    assert creado | {"id": 0} == {
        "id": 0,
        "nombre": "María Pérez",
        "username": cuerpo["username"],
        "rol": "Operador",
        "activo": True,
    }
    assert "clave-segura-1" not in respuesta["body"]
    assert _login(invocar, cuerpo["username"], "clave-segura-1") == 200


def test_duplicate_username_is_409_case_insensitive_and_writes_nothing(invocar: Invocar, admin: Any) -> None:
    primero = _crear(invocar, admin)
    username = primero["json"]["username"]

    respuesta = _crear(invocar, admin, username=username.upper(), password="otra-clave-99")

    assert respuesta["statusCode"] == 409
    assert respuesta["json"] == {"error": "Ya existe un usuario con ese nombre de usuario"}
    assert _login(invocar, username, "otra-clave-99") == 401


@pytest.mark.parametrize(
    ("cambios", "campo"),
    [
        ({"username": "ab"}, "username"),
        ({"username": "con espacio"}, "username"),
        ({"username": "ñandú"}, "username"),
        ({"username": "a" * 65}, "username"),
        ({"password": "corta"}, "password"),
        ({"rol": "Integracion"}, "rol"),
        ({"rol": "Jefe"}, "rol"),
        ({"nombre": "   "}, "nombre"),
        ({"activo": False}, "activo"),
    ],
)
def test_invalid_users_are_400_with_detalles(invocar: Invocar, admin: Any, cambios: dict[str, Any], campo: str) -> None:
    respuesta = _crear(invocar, admin, **cambios)

    assert respuesta["statusCode"] == 400
    assert campo in [d["campo"] for d in respuesta["json"]["detalles"]]


def test_missing_fields_are_named(invocar: Invocar, admin: Any) -> None:
    respuesta = invocar("usuarios_create", "POST", "/api/usuarios", llamante=admin, cuerpo={"nombre": "X"})

    assert respuesta["statusCode"] == 400
    assert respuesta["json"]["error"] == "Faltan campos obligatorios: username, password, rol"


@pytest.mark.parametrize("rol", [Rol.OPERADOR, Rol.TECNICO])
def test_only_administrators_create_users_whatever_the_body(
    invocar: Invocar, crear_usuario: Callable[..., Any], rol: Rol
) -> None:
    respuesta = invocar("usuarios_create", "POST", "/api/usuarios", llamante=crear_usuario(rol), cuerpo="{malo")

    assert respuesta["statusCode"] == 403
    assert respuesta["json"] == {"error": "Acceso restringido a administradores"}


def test_create_is_503_when_dynamodb_throttles_and_nothing_is_half_written(
    invocar: Invocar, admin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    cuerpo = _nuevo()
    real = table.cliente()

    class Limitado:
        def __getattr__(self, nombre: str) -> Any:
            return getattr(real, nombre)

        def transact_write_items(self, **_: Any) -> Any:
            raise ClientError(
                {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "x"}}, "TransactWriteItems"
            )

    monkeypatch.setattr(table, "cliente", Limitado)
    respuesta = invocar("usuarios_create", "POST", "/api/usuarios", llamante=admin, cuerpo=cuerpo)
    monkeypatch.undo()

    assert respuesta["statusCode"] == 503
    assert table.get(keys.nombre_usuario(cuerpo["username"]), consistente=True) is None


# ---- list
def test_list_pages_through_users_with_cursors(invocar: Invocar, admin: Any) -> None:
    creados = {_crear(invocar, admin)["json"]["id"] for _ in range(3)}

    vistos: list[dict[str, Any]] = []
    cursor = None
    for _ in range(1000):
        query = {"limit": "2"} | ({"cursor": cursor} if cursor else {})
        respuesta = invocar("usuarios_list", "GET", "/api/usuarios", llamante=admin, query=query)
        assert respuesta["statusCode"] == 200
        assert len(respuesta["json"]["items"]) <= 2
        vistos += respuesta["json"]["items"]
        cursor = respuesta["json"]["next_cursor"]
        if cursor is None:
            break

    ids = [u["id"] for u in vistos]
    assert ids == sorted(ids)
    assert len(ids) == len(set(ids))
    assert creados <= set(ids)
    assert all(set(u) == CAMPOS_PUBLICOS for u in vistos)
    assert "hash" not in json.dumps(vistos)


def test_list_is_one_query_per_page(invocar: Invocar, admin: Any, dynamo_requests: Any) -> None:
    respuesta = invocar("usuarios_list", "GET", "/api/usuarios", llamante=admin, query={"limit": "5"})

    assert respuesta["statusCode"] == 200
    assert dynamo_requests.llamadas["Query"] == 1
    assert "Scan" not in dynamo_requests.llamadas


@pytest.mark.parametrize("query", [{"limit": "0"}, {"limit": "101"}, {"limit": "x"}, {"cursor": "basura.firma"}])
def test_bad_list_parameters_are_400(invocar: Invocar, admin: Any, query: dict[str, str]) -> None:
    respuesta = invocar("usuarios_list", "GET", "/api/usuarios", llamante=admin, query=query)

    assert respuesta["statusCode"] == 400
    assert respuesta["json"]["detalles"]


def test_a_cursor_from_another_listing_is_rejected(invocar: Invocar, admin: Any) -> None:
    from monitor.core import cursors

    ajeno = cursors.codificar({"PK": "EXP#X", "SK": "EXP"}, "GET /api/expedientes")

    respuesta = invocar("usuarios_list", "GET", "/api/usuarios", llamante=admin, query={"cursor": ajeno or ""})

    assert respuesta["statusCode"] == 400


# ---- update
def test_renaming_keeps_sessions(invocar: Invocar, admin: Any, operador: Any) -> None:
    respuesta = _actualizar(invocar, admin, operador.principal.id, {"nombre": "Nuevo Nombre"})

    assert respuesta["statusCode"] == 200
    assert respuesta["json"]["nombre"] == "Nuevo Nombre"
    assert _version(int(operador.principal.id)) == 1


@pytest.mark.parametrize(
    "cambio", [{"rol": "Tecnico"}, {"activo": False}, {"password": "reinicio-de-clave"}], ids=["rol", "activo", "pwd"]
)
def test_role_password_and_activo_changes_bump_the_token_version(
    invocar: Invocar, admin: Any, operador: Any, cambio: dict[str, Any]
) -> None:
    respuesta = _actualizar(invocar, admin, operador.principal.id, cambio)

    assert respuesta["statusCode"] == 200
    assert set(respuesta["json"]) == CAMPOS_PUBLICOS
    assert _version(int(operador.principal.id)) == 2


def test_same_role_again_does_not_bump(invocar: Invocar, admin: Any, operador: Any) -> None:
    assert _actualizar(invocar, admin, operador.principal.id, {"rol": "Operador"})["statusCode"] == 200
    assert _version(int(operador.principal.id)) == 1


def test_password_reset_lets_the_user_log_in_with_the_new_one(invocar: Invocar, admin: Any, tecnico: Any) -> None:
    _actualizar(invocar, admin, tecnico.principal.id, {"password": "reinicio-de-clave"})

    assert _login(invocar, tecnico.principal.username, "reinicio-de-clave") == 200
    assert _login(invocar, tecnico.principal.username, tecnico.password) == 401


def test_reactivation_restores_login(invocar: Invocar, admin: Any, tecnico: Any) -> None:
    _actualizar(invocar, admin, tecnico.principal.id, {"activo": False})
    assert _login(invocar, tecnico.principal.username, tecnico.password) == 401

    respuesta = _actualizar(invocar, admin, tecnico.principal.id, {"activo": True})

    assert respuesta["json"]["activo"] is True
    assert _login(invocar, tecnico.principal.username, tecnico.password) == 200


@pytest.mark.parametrize("cambio", [{"activo": False}, {"rol": "Operador"}])
def test_an_admin_cannot_lock_themselves_out(invocar: Invocar, admin: Any, cambio: dict[str, Any]) -> None:
    respuesta = _actualizar(invocar, admin, admin.principal.id, cambio)

    assert respuesta["statusCode"] == 409
    assert respuesta["json"]["error"] == (
        "Un administrador no puede desactivarse ni quitarse el rol de administrador a sí mismo"
    )
    assert _version(int(admin.principal.id)) == 1


def test_an_admin_can_rename_themselves(invocar: Invocar, admin: Any) -> None:
    assert _actualizar(invocar, admin, admin.principal.id, {"nombre": "Yo"})["statusCode"] == 200


def test_update_unknown_user_is_404(invocar: Invocar, admin: Any) -> None:
    respuesta = _actualizar(invocar, admin, 987654321, {"nombre": "X"})

    assert respuesta["statusCode"] == 404
    assert respuesta["json"] == {"error": "Usuario no encontrado"}


@pytest.mark.parametrize("id_usuario", ["abc", "0", "-1", "1.5"])
def test_non_integer_ids_are_400(invocar: Invocar, admin: Any, id_usuario: str) -> None:
    respuesta = _actualizar(invocar, admin, id_usuario, {"nombre": "X"})

    assert respuesta["statusCode"] == 400
    assert respuesta["json"]["detalles"][0]["campo"] == "id"


@pytest.mark.parametrize(
    "cuerpo",
    [{}, {"rol": None}, {"username": "otro"}, {"rol": "Integracion"}, {"password": "corta"}, {"activo": "quizá"}],
)
def test_invalid_updates_are_400(invocar: Invocar, admin: Any, operador: Any, cuerpo: dict[str, Any]) -> None:
    respuesta = _actualizar(invocar, admin, operador.principal.id, cuerpo)

    assert respuesta["statusCode"] == 400
    assert respuesta["json"]["detalles"]
    assert _version(int(operador.principal.id)) == 1


# ---- delete
def test_delete_deactivates_keeps_the_user_and_ends_its_sessions(invocar: Invocar, admin: Any, operador: Any) -> None:
    respuesta = invocar(
        "usuarios_delete", "DELETE", "/api/usuarios/{id}", llamante=admin, ruta_params={"id": operador.principal.id}
    )

    assert respuesta["statusCode"] == 200
    assert respuesta["json"]["activo"] is False
    assert set(respuesta["json"]) == CAMPOS_PUBLICOS
    assert _version(int(operador.principal.id)) == 2
    assert _login(invocar, operador.principal.username, operador.password) == 401


def test_delete_twice_is_idempotent(invocar: Invocar, admin: Any, operador: Any) -> None:
    for _ in range(2):
        respuesta = invocar(
            "usuarios_delete", "DELETE", "/api/usuarios/{id}", llamante=admin, ruta_params={"id": operador.principal.id}
        )
        assert respuesta["statusCode"] == 200
    assert _version(int(operador.principal.id)) == 2


def test_delete_self_is_409_and_unknown_is_404(invocar: Invocar, admin: Any) -> None:
    propio = invocar(
        "usuarios_delete", "DELETE", "/api/usuarios/{id}", llamante=admin, ruta_params={"id": admin.principal.id}
    )
    desconocido = invocar(
        "usuarios_delete", "DELETE", "/api/usuarios/{id}", llamante=admin, ruta_params={"id": "987654321"}
    )

    assert propio["statusCode"] == 409
    assert desconocido["statusCode"] == 404
    assert desconocido["json"] == {"error": "Usuario no encontrado"}


def test_concurrent_update_retries_on_the_fresh_item(
    invocar: Invocar, admin: Any, operador: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change that lands between our read and our write is kept, and ours applies on top."""
    from monitor.usuarios import servicio as usuarios

    original = usuarios.obtener
    carreras = iter([True])

    def con_carrera(id_usuario: int, *, consistente: bool = False) -> Any:
        item = original(id_usuario, consistente=consistente)
        if next(carreras, False):
            table.update(keys.usuario(id_usuario), "SET version_token = version_token + :uno", {":uno": 1})
        return item

    monkeypatch.setattr(usuarios, "obtener", con_carrera)

    respuesta = _actualizar(invocar, admin, operador.principal.id, {"rol": "Tecnico"})

    assert respuesta["statusCode"] == 200
    assert respuesta["json"]["rol"] == "Tecnico"
    assert _version(int(operador.principal.id)) == 3


def test_concurrent_creates_of_one_username_leave_exactly_one_user() -> None:
    from concurrent.futures import ThreadPoolExecutor

    from monitor.core.errors import Conflicto
    from monitor.usuarios import servicio as usuarios

    username = f"carrera.{uuid.uuid4().hex[:8]}"

    def crear(indice: int) -> str:
        try:
            usuarios.crear(nombre=f"N{indice}", username=username, password="clave-segura-1", rol=Rol.TECNICO)
        except Conflicto:
            return "409"
        return "201"

    with ThreadPoolExecutor(max_workers=6) as hilos:
        resultados = sorted(hilos.map(crear, range(6)))

    assert resultados == ["201"] + ["409"] * 5
    assert usuarios.por_username(username.upper()) is not None


def test_a_create_retried_after_a_timeout_is_not_a_false_409(
    invocar: Invocar, admin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The SDK resends a transaction whose first attempt landed (timeout); the user must not see 409."""
    real = table.cliente()

    class ReintentoTrasTimeout:
        def __getattr__(self, nombre: str) -> Any:
            return getattr(real, nombre)

        def transact_write_items(self, **parametros: Any) -> Any:
            real.transact_write_items(**parametros)  # lands, but the answer is "lost"
            return real.transact_write_items(**parametros)  # the retry

    monkeypatch.setattr(table, "cliente", ReintentoTrasTimeout)
    cuerpo = _nuevo()

    respuesta = invocar("usuarios_create", "POST", "/api/usuarios", llamante=admin, cuerpo=cuerpo)

    monkeypatch.undo()
    assert respuesta["statusCode"] == 201
    assert _login(invocar, cuerpo["username"], cuerpo["password"]) == 200
