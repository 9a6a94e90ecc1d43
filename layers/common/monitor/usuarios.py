"""Staff users: integer ids from a counter, usernames unique by conditional write."""

from __future__ import annotations

from typing import Any

from monitor import contrasenas, keys, tabla
from monitor.auth import Rol
from monitor.errors import Conflicto, TransaccionCancelada
from monitor.fechas import ahora

USERNAME_DUPLICADO = "Ya existe un usuario con ese nombre de usuario"


def publico(item: dict[str, Any]) -> dict[str, Any]:
    """What any response may show of a user: never the hash or the token version."""
    return {
        "id": int(item["id"]),
        "nombre": item["nombre"],
        "username": item["username"],
        "rol": item["rol"],
        "activo": bool(item.get("activo", True)),
    }


def crear(*, nombre: str, username: str, password: str, rol: Rol) -> dict[str, Any]:
    id_usuario = tabla.siguiente("usuarios")
    momento = ahora()
    item = {
        **keys.usuario(id_usuario),
        **keys.lista_usuarios(id_usuario),
        "tipo": "usuario",
        "id": id_usuario,
        "nombre": nombre,
        "username": username,
        "rol": rol.value,
        "activo": True,
        "hash": contrasenas.hashear(password),
        "version_token": 1,
        "creado_en": momento,
        "actualizado_en": momento,
    }
    unico = {**keys.nombre_usuario(username), "tipo": "username", "id": id_usuario}
    try:
        tabla.transaccion(
            [
                tabla.op_put(unico, "attribute_not_exists(PK)"),
                tabla.op_put(item, "attribute_not_exists(PK)"),
            ]
        )
    except TransaccionCancelada as exc:
        if exc.fallo(0):
            raise Conflicto(USERNAME_DUPLICADO) from None
        raise
    return item


def obtener(id_usuario: int, *, consistente: bool = False) -> dict[str, Any] | None:
    return tabla.get(keys.usuario(id_usuario), consistente=consistente)


def por_username(username: str) -> dict[str, Any] | None:
    enlace = tabla.get(keys.nombre_usuario(username))
    if enlace is None:
        return None
    return obtener(int(enlace["id"]))
