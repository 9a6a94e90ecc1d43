"""Staff users: integer ids from a counter, usernames unique (case-insensitive) by conditional write.

Every change that must end existing sessions (role, password, deactivation) bumps `version_token`,
which the authorizer compares against the token's `ver` claim on each request.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from monitor import contrasenas, cursores, keys, tabla
from monitor.auth import Principal, Rol
from monitor.errors import (
    CondicionFallida,
    Conflicto,
    NoEncontrado,
    ServicioNoDisponible,
    SolicitudInvalida,
    TransaccionCancelada,
)
from monitor.fechas import ahora

if TYPE_CHECKING:
    from monitor.modelos_usuario import CambiosUsuario, UsuarioNuevo

USERNAME_DUPLICADO = "Ya existe un usuario con ese nombre de usuario"
NO_ENCONTRADO = "Usuario no encontrado"
AUTO_BLOQUEO = "Un administrador no puede desactivarse ni quitarse el rol de administrador a sí mismo"
ALCANCE_LISTA = "GET /api/usuarios"
PASSWORD_MIN = 8
PASSWORD_MAX = 256
_USERNAME = re.compile(r"^[A-Za-z0-9._-]{3,64}$")
_REINTENTOS = 3


def validar_username(valor: str) -> str:
    if not _USERNAME.match(valor):
        raise ValueError("De 3 a 64 caracteres: letras, dígitos, punto, guion y guion bajo")
    return valor


def publico(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": int(item["id"]),
        "nombre": item["nombre"],
        "username": item["username"],
        "rol": item["rol"],
        "activo": bool(item.get("activo", True)),
    }


def crear(*, nombre: str, username: str, password: str, rol: Rol) -> dict[str, Any]:
    """The username item and the user item are written together, so a duplicate leaves nothing behind."""
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
            ],
            token=str(uuid.uuid4()),  # makes the SDK's own retries idempotent in DynamoDB
        )
    except TransaccionCancelada as exc:
        if exc.fallo(0):
            if _es_propio(exc.items[0] if exc.items else None, id_usuario):
                return item  # the SDK retried our own write after a timeout: it had landed
            raise Conflicto(USERNAME_DUPLICADO) from None
        raise
    return item


def _es_propio(existente: dict[str, Any] | None, id_usuario: int) -> bool:
    return existente is not None and int(existente.get("id", -1)) == id_usuario


def crear_desde(datos: UsuarioNuevo) -> dict[str, Any]:
    item = crear(nombre=datos.nombre, username=datos.username, password=datos.password, rol=Rol(datos.rol))
    return publico(item)


def obtener(id_usuario: int, *, consistente: bool = False) -> dict[str, Any] | None:
    return tabla.get(keys.usuario(id_usuario), consistente=consistente)


def obtener_publico(id_usuario: int) -> dict[str, Any]:
    item = obtener(id_usuario)
    if item is None:
        raise NoEncontrado(NO_ENCONTRADO)
    return publico(item)


def por_username(username: str) -> dict[str, Any] | None:
    enlace = tabla.get(keys.nombre_usuario(username))
    if enlace is None:
        return None
    return obtener(int(enlace["id"]))


def listar(limite: int | None, cursor: str | None) -> dict[str, Any]:
    """Ordered by id on GSI1 (one Query per page)."""
    items, ultima = tabla.query(
        "GSI1PK = :pk",
        {":pk": keys.lista_usuarios(0)["GSI1PK"]},
        indice="GSI1",
        limite=cursores.limite(limite),
        inicio=cursores.decodificar(cursor, ALCANCE_LISTA),
    )
    return cursores.pagina([publico(i) for i in items], ultima, ALCANCE_LISTA)


def _escribir(id_usuario: int, item: dict[str, Any], sets: dict[str, Any], revocar: bool) -> dict[str, Any]:
    """Conditional on the version read, so a concurrent change is never overwritten silently."""
    partes = [f"#{campo} = :{campo}" for campo in sets]
    valores: dict[str, Any] = {f":{campo}": valor for campo, valor in sets.items()}
    nombres = {f"#{campo}": campo for campo in sets}
    if revocar:
        partes.append("version_token = version_token + :uno")
        valores[":uno"] = 1
    valores[":leida"] = int(item.get("version_token", 0))
    return tabla.update(
        keys.usuario(id_usuario),
        "SET " + ", ".join(partes),
        valores,
        condicion="attribute_exists(PK) AND version_token = :leida",
        nombres=nombres,
    )


def actualizar(id_usuario: int, cambios: CambiosUsuario, actor: Principal) -> dict[str, Any]:
    """Partial update by an administrator; role, password or activo changes end the user's sessions."""
    return _aplicar(id_usuario, cambios.model_dump(exclude_unset=True), actor)


def _aplicar(id_usuario: int, enviados: Mapping[str, Any], actor: Principal) -> dict[str, Any]:
    nulos = [campo for campo, valor in enviados.items() if valor is None]
    if nulos:
        raise SolicitudInvalida("Datos inválidos", detalles=[{"campo": c, "mensaje": "No admite null"} for c in nulos])
    if not enviados:
        raise SolicitudInvalida(
            "No hay cambios que aplicar",
            detalles=[{"campo": "body", "mensaje": "Envíe al menos uno de: nombre, rol, password, activo"}],
        )
    if id_usuario == actor.id_usuario and (
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
            sets["hash"] = contrasenas.hashear(enviados["password"])
            revocar = True
        if not sets:
            return publico(item)
        sets["actualizado_en"] = ahora()
        try:
            return publico(_escribir(id_usuario, item, sets, revocar))
        except CondicionFallida:
            continue
    raise ServicioNoDisponible("El usuario está siendo modificado, intente de nuevo")


def desactivar(id_usuario: int, actor: Principal) -> dict[str, Any]:
    """DELETE keeps the user (history names it) but ends its sessions."""
    return _aplicar(id_usuario, {"activo": False}, actor)


def yo(principal: Principal) -> dict[str, Any]:
    item = obtener(principal.id_usuario)
    if item is None:
        raise NoEncontrado(NO_ENCONTRADO)
    return publico(item)


def cambiar_password(id_usuario: int, nuevo: str, version_leida: int) -> int:
    """Own password change: conditional on the version read; returns the new token version."""
    try:
        item = tabla.update(
            keys.usuario(id_usuario),
            "SET #hash = :hash, actualizado_en = :ahora, version_token = version_token + :uno",
            {
                ":hash": contrasenas.hashear(nuevo),
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
            and contrasenas.verificar(nuevo, str(actual.get("hash", "")))
        ):
            return version_leida + 1  # the SDK retried our own write after a timeout: it had landed
        raise Conflicto("El usuario cambió durante la operación, intente de nuevo") from None
    return int(item["version_token"])
