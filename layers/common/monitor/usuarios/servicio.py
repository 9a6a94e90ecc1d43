"""Staff users: integer ids from a counter, usernames unique (case-insensitive) by conditional write.

Every change that must end existing sessions (role, password, deactivation) bumps `version_token`,
which the authorizer compares against the token's `ver` claim on each request. Every change that makes or
unmakes an active administrator moves their counter in the same transaction (`monitor.usuarios.administradores`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from monitor.core import cursors, keys, passwords, table
from monitor.core.dates import ahora
from monitor.core.errors import (
    CondicionFallida,
    Conflicto,
    NoEncontrado,
    ServicioNoDisponible,
    SolicitudInvalida,
    TransaccionCancelada,
)
from monitor.core.observability import logger
from monitor.usuarios import administradores
from monitor.usuarios.campos import Rol

if TYPE_CHECKING:
    from monitor.usuarios.modelos import CambiosUsuario, UsuarioNuevo

USERNAME_DUPLICADO = "Ya existe un usuario con ese nombre de usuario"
NO_ENCONTRADO = "Usuario no encontrado"
AUTO_BLOQUEO = "Un administrador no puede desactivarse ni quitarse el rol de administrador a sí mismo"
ALCANCE_LISTA = cursors.alcance("GET /api/usuarios")
_REINTENTOS = 3


def a_respuesta(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": int(item["id"]),
        "nombre": item["nombre"],
        "username": item["username"],
        "rol": item["rol"],
        "activo": bool(item.get("activo", True)),
    }


def crear(*, nombre: str, username: str, password: str, rol: Rol) -> dict[str, Any]:
    """The username item and the user item are written together, so a duplicate leaves nothing behind; an
    administrator also counts in the same transaction."""
    if rol == Rol.ADMINISTRADOR:
        administradores.asegurar()
    id_usuario = table.siguiente("usuarios")
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
        "hash": passwords.hashear(password),
        "version_token": 1,
        "creado_en": momento,
        "actualizado_en": momento,
    }
    unico = {**keys.nombre_usuario(username), "tipo": "username", "id": id_usuario}
    transaccion = (
        table.Transaccion()
        .put("username", unico, "attribute_not_exists(PK)")
        .put("usuario", item, "attribute_not_exists(PK)")
    )
    if rol == Rol.ADMINISTRADOR:
        administradores.mover(transaccion, +1)
    try:
        transaccion.ejecutar(token=str(uuid.uuid4()))
    except TransaccionCancelada as exc:
        if exc.fallo("username"):
            if _es_propio(exc.item("username"), id_usuario):
                return item  # the SDK retried our own write after a timeout: it had landed
            raise Conflicto(USERNAME_DUPLICADO) from None
        if exc.fallo(administradores.PASO):
            raise ServicioNoDisponible() from None  # the counter vanished after `asegurar`: retry
        raise
    return item


def _es_propio(existente: dict[str, Any] | None, id_usuario: int) -> bool:
    return existente is not None and int(existente.get("id", -1)) == id_usuario


def crear_desde(datos: UsuarioNuevo) -> dict[str, Any]:
    item = crear(nombre=datos.nombre, username=datos.username, password=datos.password, rol=Rol(datos.rol))
    return a_respuesta(item)


def obtener(id_usuario: int, *, consistente: bool = False) -> dict[str, Any] | None:
    return table.get(keys.usuario(id_usuario), consistente=consistente)


def por_username(username: str) -> dict[str, Any] | None:
    enlace = table.get(keys.nombre_usuario(username))
    if enlace is None:
        return None
    return obtener(int(enlace["id"]))


def listar(limite: int | None, cursor: str | None) -> dict[str, Any]:
    """Ordered by id on GSI1 (one Query per page)."""
    items, ultima = table.query(
        "GSI1PK = :pk",
        {":pk": keys.USUARIOS},
        indice="GSI1",
        limite=cursors.limite(limite),
        inicio=cursors.decodificar(cursor, ALCANCE_LISTA),
    )
    return cursors.pagina([a_respuesta(i) for i in items], ultima, ALCANCE_LISTA)


def _escribir(id_usuario: int, item: dict[str, Any], sets: dict[str, Any], revocar: bool) -> dict[str, Any]:
    """Conditional on the version read, so a concurrent change is never overwritten silently. A change that
    makes or unmakes an active administrator is one transaction with their counter (raises `Conflicto` when
    it would leave none)."""
    expresion, nombres, valores = table.expresion_update(sets, sumar={"version_token": 1} if revocar else None)
    valores[":leida"] = int(item.get("version_token", 0))
    condicion = "attribute_exists(PK) AND version_token = :leida"
    nuevo = {**item, **sets}
    cambio = int(administradores.es_admin_activo(nuevo)) - int(administradores.es_admin_activo(item))
    if not cambio:
        return table.update(keys.usuario(id_usuario), expresion, valores, condicion=condicion, nombres=nombres)
    transaccion = table.Transaccion().update(
        "usuario", keys.usuario(id_usuario), expresion, valores, condicion=condicion, nombres=nombres
    )
    administradores.mover(transaccion, cambio)
    try:
        transaccion.ejecutar()
    except TransaccionCancelada as exc:
        if exc.fallo("usuario"):
            raise CondicionFallida(exc.item("usuario")) from None
        if exc.fallo(administradores.PASO):
            if administradores.sin_contador(exc.item(administradores.PASO)):
                administradores.asegurar()
                raise CondicionFallida() from None  # retried by the caller, now with the counter
            logger.info("Se rechazó quitar al último administrador activo", extra={"id_usuario": id_usuario})
            raise administradores.ultimo() from None
        raise
    if revocar:
        nuevo["version_token"] = int(item.get("version_token", 0)) + 1
    return nuevo


def actualizar(id_usuario: int, cambios: CambiosUsuario, id_actor: int) -> dict[str, Any]:
    """Partial update by an administrator; role, password or activo changes end the user's sessions."""
    return _aplicar(id_usuario, cambios.model_dump(exclude_unset=True), id_actor)


def _aplicar(id_usuario: int, enviados: Mapping[str, Any], id_actor: int) -> dict[str, Any]:
    nulos = [campo for campo, valor in enviados.items() if valor is None]
    if nulos:
        raise SolicitudInvalida("Datos inválidos", detalles=[{"campo": c, "mensaje": "No admite null"} for c in nulos])
    if not enviados:
        raise SolicitudInvalida(
            "No hay cambios que aplicar",
            detalles=[{"campo": "body", "mensaje": "Envíe al menos uno de: nombre, rol, password, activo"}],
        )
    if id_usuario == id_actor and (
        enviados.get("activo") is False or enviados.get("rol", Rol.ADMINISTRADOR.value) != Rol.ADMINISTRADOR.value
    ):
        raise Conflicto(AUTO_BLOQUEO)
    for _ in range(_REINTENTOS):
        item = obtener(id_usuario, consistente=True)
        if item is None:
            raise NoEncontrado(NO_ENCONTRADO)
        sets: dict[str, Any] = {}
        revocar = False
        if "nombre" in enviados and enviados["nombre"] != item["nombre"]:
            sets["nombre"] = enviados["nombre"]
        if "rol" in enviados and enviados["rol"] != item["rol"]:
            sets["rol"] = enviados["rol"]
            revocar = True
        if "activo" in enviados and enviados["activo"] != bool(item.get("activo", True)):
            sets["activo"] = enviados["activo"]
            revocar = True
        if "password" in enviados:
            sets["hash"] = passwords.hashear(enviados["password"])
            revocar = True
        if not sets:
            return a_respuesta(item)
        sets["actualizado_en"] = ahora()
        try:
            return a_respuesta(_escribir(id_usuario, item, sets, revocar))
        except CondicionFallida:
            continue
    raise ServicioNoDisponible("El usuario está siendo modificado, intente de nuevo")


def desactivar(id_usuario: int, id_actor: int) -> dict[str, Any]:
    """DELETE keeps the user (history names it) but ends its sessions."""
    return _aplicar(id_usuario, {"activo": False}, id_actor)


def revocar_sesiones(id_usuario: int) -> int:
    """Every token of the user stops working (the authorizer compares `ver` with `version_token`); returns the
    new version. Raises `CondicionFallida` when the user does not exist."""
    item = table.update(
        keys.usuario(id_usuario),
        "ADD version_token :uno SET actualizado_en = :ahora",
        {":uno": 1, ":ahora": ahora()},
        condicion="attribute_exists(PK)",
        devolver="UPDATED_NEW",  # only the new version: the user item (hash included) stays where it is
    )
    return int(item["version_token"])


def cambiar_password(id_usuario: int, nuevo: str, version_leida: int) -> int:
    """Own password change: conditional on the version read; returns the new token version."""
    try:
        item = table.update(
            keys.usuario(id_usuario),
            "SET #hash = :hash, actualizado_en = :ahora, version_token = version_token + :uno",
            {
                ":hash": passwords.hashear(nuevo),
                ":ahora": ahora(),
                ":uno": 1,
                ":leida": version_leida,
                ":si": True,
            },
            condicion="version_token = :leida AND activo = :si",
            nombres={"#hash": "hash"},
        )
    except CondicionFallida as exc:
        actual = exc.item
        if (
            actual is not None
            and int(actual.get("version_token", 0)) == version_leida + 1
            and passwords.verificar(nuevo, str(actual.get("hash", "")))
        ):
            return version_leida + 1  # the SDK retried our own write after a timeout: it had landed
        raise Conflicto("El usuario cambió durante la operación, intente de nuevo") from None
    return int(item["version_token"])
