"""The last active administrator: demoting, deactivating or deleting them is a 409 decided inside the write
(the counter `ADMINISTRADORES/ACTIVOS` moves in the same transaction as the user), never by a prior read."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from monitor.core import keys, table
from monitor.usuarios import administradores
from monitor.usuarios.campos import Rol
from tests.apoyo.llamantes import Llamante

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")

Invocar = Callable[..., dict[str, Any]]


def activos() -> int | None:
    item = table.get(keys.administradores_activos(), consistente=True)
    return None if item is None else int(item["activos"])


@pytest.fixture
def fijar_contador() -> Iterator[Callable[[int], None]]:
    """Lets a test pretend the table holds exactly N active administrators; puts the true count back after."""

    def fijar(valor: int) -> None:
        table.put({**keys.administradores_activos(), "tipo": "administradores", "activos": valor})

    yield fijar
    table.delete(keys.administradores_activos())
    administradores.asegurar()


def _cambiar(invocar: Invocar, actor: Llamante, objetivo: Llamante, cuerpo: dict[str, Any]) -> dict[str, Any]:
    return invocar(
        "usuarios_update",
        "PUT",
        "/api/usuarios/{id}",
        llamante=actor,
        ruta_params={"id": objetivo.principal.id},
        cuerpo=cuerpo,
    )


def _borrar(invocar: Invocar, actor: Llamante, objetivo: Llamante) -> dict[str, Any]:
    return invocar(
        "usuarios_delete", "DELETE", "/api/usuarios/{id}", llamante=actor, ruta_params={"id": objetivo.principal.id}
    )


def test_the_counter_matches_the_active_administrators(crear_usuario: Callable[..., Llamante]) -> None:
    antes = activos()
    crear_usuario(Rol.ADMINISTRADOR)
    crear_usuario(Rol.OPERADOR)

    assert antes is not None
    assert activos() == antes + 1 == administradores.contar()


@pytest.mark.parametrize(
    "quitar",
    [
        pytest.param(lambda inv, a, b: _cambiar(inv, a, b, {"rol": "Operador"}), id="demote"),
        pytest.param(lambda inv, a, b: _cambiar(inv, a, b, {"activo": False}), id="deactivate"),
        pytest.param(_borrar, id="delete"),
    ],
)
def test_the_last_active_administrator_cannot_be_removed(
    invocar: Invocar,
    crear_usuario: Callable[..., Llamante],
    fijar_contador: Callable[[int], None],
    quitar: Callable[..., dict[str, Any]],
) -> None:
    actor, ultimo = crear_usuario(Rol.ADMINISTRADOR), crear_usuario(Rol.ADMINISTRADOR)
    fijar_contador(1)  # as if `ultimo` were the only active administrator left

    respuesta = quitar(invocar, actor, ultimo)

    assert respuesta["statusCode"] == 409
    assert respuesta["json"] == {"error": administradores.ULTIMO}
    item = table.get(keys.usuario(int(ultimo.principal.id)), consistente=True)
    assert item is not None
    assert (item["rol"], item["activo"], int(item["version_token"])) == ("Administrador", True, 1)
    assert activos() == 1


def test_removing_one_of_two_moves_the_counter_and_a_new_one_counts_again(
    invocar: Invocar, crear_usuario: Callable[..., Llamante], fijar_contador: Callable[[int], None]
) -> None:
    a, b = crear_usuario(Rol.ADMINISTRADOR), crear_usuario(Rol.ADMINISTRADOR)
    fijar_contador(2)

    assert _cambiar(invocar, a, b, {"rol": "Tecnico"})["statusCode"] == 200
    assert activos() == 1
    assert _cambiar(invocar, a, b, {"rol": "Administrador"})["statusCode"] == 200
    assert activos() == 2
    assert _borrar(invocar, a, b)["statusCode"] == 200
    assert activos() == 1
    assert _cambiar(invocar, a, b, {"activo": True})["statusCode"] == 200
    assert activos() == 2


def test_changes_that_keep_an_administrator_do_not_touch_the_counter(
    invocar: Invocar,
    crear_usuario: Callable[..., Llamante],
    fijar_contador: Callable[[int], None],
    dynamo_requests: Any,
) -> None:
    a, b = crear_usuario(Rol.ADMINISTRADOR), crear_usuario(Rol.ADMINISTRADOR)
    fijar_contador(1)

    assert _cambiar(invocar, a, b, {"nombre": "Otra"})["statusCode"] == 200
    assert _cambiar(invocar, a, b, {"password": "otra-clave-segura"})["statusCode"] == 200
    assert activos() == 1


def test_an_inactive_administrator_can_change_role_without_the_counter(
    invocar: Invocar, crear_usuario: Callable[..., Llamante], fijar_contador: Callable[[int], None]
) -> None:
    a, b = crear_usuario(Rol.ADMINISTRADOR), crear_usuario(Rol.ADMINISTRADOR)
    fijar_contador(2)
    assert _borrar(invocar, a, b)["statusCode"] == 200
    fijar_contador(1)

    assert _cambiar(invocar, a, b, {"rol": "Operador"})["statusCode"] == 200
    assert activos() == 1


def test_a_stack_without_the_counter_gets_it_from_its_users_on_first_need(
    invocar: Invocar, crear_usuario: Callable[..., Llamante], fijar_contador: Callable[[int], None]
) -> None:
    a, b = crear_usuario(Rol.ADMINISTRADOR), crear_usuario(Rol.ADMINISTRADOR)
    table.delete(keys.administradores_activos())  # a stack deployed before the guard
    reales = administradores.contar()

    respuesta = _cambiar(invocar, a, b, {"rol": "Operador"})

    assert respuesta["statusCode"] == 200
    assert activos() == reales - 1 == administradores.contar()


def test_the_seed_creates_the_counter_of_an_existing_stack(fijar_contador: Callable[[int], None]) -> None:
    from monitor.usuarios import semilla

    table.delete(keys.administradores_activos())

    semilla.sembrar("admin", "no-importa-ya-existe")

    assert activos() == administradores.contar() >= 1


def test_a_demotion_is_still_one_read_and_one_write(
    invocar: Invocar,
    crear_usuario: Callable[..., Llamante],
    fijar_contador: Callable[[int], None],
    dynamo_requests: Any,
) -> None:
    a, b = crear_usuario(Rol.ADMINISTRADOR), crear_usuario(Rol.ADMINISTRADOR)
    fijar_contador(5)
    dynamo_requests.reiniciar()

    assert _cambiar(invocar, a, b, {"rol": "Operador"})["statusCode"] == 200
    assert dict(dynamo_requests.llamadas) == {"GetItem": 1, "TransactWriteItems": 1}
