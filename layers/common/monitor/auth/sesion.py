"""Staff sessions: login with per-username throttling, the caller's own profile and password change.

Wrong user, wrong password and inactive user answer the same 401 after the same work (one scrypt
verification and the same DynamoDB requests), so the answer never tells which one it was.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from monitor.auth.roles import Principal
from monitor.auth.tokens import emitir_token
from monitor.core import keys, passwords, table
from monitor.core.errors import (
    CondicionFallida,
    DemasiadosIntentos,
    NoAutenticado,
    NoEncontrado,
    SolicitudInvalida,
)
from monitor.core.metrics import Metrica
from monitor.core.observability import contar, logger
from monitor.core.settings import settings
from monitor.usuarios import servicio as usuarios
from monitor.usuarios.campos import Rol

if TYPE_CHECKING:
    from monitor.auth.modelos import CambioPassword, Credenciales

CREDENCIALES_INCORRECTAS = "Usuario o contraseña incorrectos"
DEMASIADOS_INTENTOS = "Demasiados intentos fallidos, intente más tarde"
PASSWORD_ACTUAL_INCORRECTA = "Contraseña actual incorrecta"
MAX_FALLOS = 5
VENTANA_SEGUNDOS = 15 * 60


# ---- throttling: one counter item per username, fixed window from the first failure, TTL `expira`
def _vigente(intentos: dict[str, Any] | None, ahora: int) -> dict[str, Any] | None:
    if intentos is None or int(intentos.get("expira", 0)) <= ahora:
        return None  # TTL deletion is lazy: an expired window counts as no window
    return intentos


def _comprobar_bloqueo(intentos: dict[str, Any] | None, ahora: int) -> None:
    vigente = _vigente(intentos, ahora)
    if vigente is not None and int(vigente.get("fallos", 0)) >= MAX_FALLOS:
        raise DemasiadosIntentos(DEMASIADOS_INTENTOS, retry_after=int(vigente["expira"]) - ahora)


def registrar_fallo(username: str, ahora: int) -> None:
    """Atomic ADD inside the current window; a window that ended is replaced by a fresh one."""
    clave = keys.intentos_login(username)
    try:
        table.update(
            clave,
            "ADD fallos :uno",
            {":uno": 1, ":ahora": ahora},
            condicion="expira > :ahora",
        )
    except CondicionFallida:
        try:
            table.update(
                clave,
                "SET tipo = :tipo, fallos = :uno, expira = :expira",
                {":tipo": "intentos_login", ":uno": 1, ":expira": ahora + VENTANA_SEGUNDOS, ":ahora": ahora},
                condicion="attribute_not_exists(expira) OR expira <= :ahora",
            )
        except CondicionFallida:
            # Another failure opened the window in between: count into it.
            table.update(clave, "ADD fallos :uno", {":uno": 1})
    contar(Metrica.LOGIN_FALLIDO)


def _leer(username: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The username link and the failure counter in one BatchGetItem."""
    enlace_clave, intentos_clave = keys.nombre_usuario(username), keys.intentos_login(username)
    enlace = intentos = None
    for item in table.get_varios([enlace_clave, intentos_clave], consistente=True):
        if item["PK"] == enlace_clave["PK"]:
            enlace = item
        elif item["PK"] == intentos_clave["PK"]:
            intentos = item
    return enlace, intentos


def iniciar_sesion(datos: Credenciales) -> dict[str, Any]:
    ahora = int(time.time())
    enlace, intentos = _leer(datos.usuario)
    _comprobar_bloqueo(intentos, ahora)
    # Always a second read (id 0 never exists) so both failures issue the same requests.
    item = usuarios.obtener(int(enlace["id"]) if enlace else 0)
    almacenado = item["hash"] if item else passwords.hash_senuelo()
    correcta = passwords.verificar(datos.password, almacenado)
    if not (item and correcta and item.get("activo", False)):
        registrar_fallo(datos.usuario, ahora)
        motivo = "usuario inexistente" if item is None else ("inactivo" if correcta else "contraseña")
        logger.info("Login fallido", extra={"motivo": motivo, "caller": int(item["id"]) if item else None})
        raise NoAutenticado(CREDENCIALES_INCORRECTAS)
    if intentos is not None:
        table.delete(keys.intentos_login(datos.usuario))
    logger.info("Login correcto", extra={"caller": int(item["id"]), "rol": item["rol"]})
    return {
        **_token(item, int(item["version_token"])),
        "usuario": {k: v for k, v in usuarios.a_respuesta(item).items() if k != "activo"},
    }


def _token(item: dict[str, Any], version: int) -> dict[str, Any]:
    ttl = settings().ttl_token
    token = emitir_token(
        sub=str(int(item["id"])), username=item["username"], rol=Rol(item["rol"]), version=version, ttl=ttl
    )
    return {"token": token, "expires_in": ttl}


def cambiar_password(principal: Principal, datos: CambioPassword) -> dict[str, Any]:
    """Ends every other session (version bump) and hands the caller a fresh token.

    A wrong current password is a 400, not a 401: clients treat 401 as "your session ended".
    It also counts against the login throttle, so a stolen token cannot brute-force the password.
    """
    ahora = int(time.time())
    item = usuarios.obtener(principal.id_usuario, consistente=True)
    if item is None or not item.get("activo", False):
        raise NoAutenticado()
    intentos = table.get(keys.intentos_login(item["username"]), consistente=True)
    _comprobar_bloqueo(intentos, ahora)
    if not passwords.verificar(datos.password_actual, item["hash"]):
        registrar_fallo(item["username"], ahora)
        logger.info("Cambio de contraseña rechazado", extra={"caller": int(item["id"])})
        raise SolicitudInvalida(
            PASSWORD_ACTUAL_INCORRECTA,
            detalles=[{"campo": "password_actual", "mensaje": "No coincide con la contraseña actual"}],
        )
    if datos.password_nuevo == datos.password_actual:
        raise SolicitudInvalida(
            "La contraseña nueva debe ser distinta de la actual",
            detalles=[{"campo": "password_nuevo", "mensaje": "Debe ser distinta de la actual"}],
        )
    version = usuarios.cambiar_password(int(item["id"]), datos.password_nuevo, int(item["version_token"]))
    if intentos is not None:
        table.delete(keys.intentos_login(item["username"]))
    logger.info("Contraseña cambiada", extra={"caller": int(item["id"])})
    return _token(item, version)


def cerrar_sesiones(principal: Principal) -> None:
    """Logout: the user's token version goes up, so every token issued before (this one included) fails the
    authorizer's version check. One UpdateItem; a user that no longer exists is a 404, as for /api/auth/me."""
    try:
        usuarios.revocar_sesiones(principal.id_usuario)
    except CondicionFallida:
        raise NoEncontrado(usuarios.NO_ENCONTRADO) from None
    logger.info("Sesiones cerradas", extra={"caller": principal.id_usuario})


def yo(principal: Principal) -> dict[str, Any]:
    """The caller's own account (GET /api/auth/me)."""
    item = usuarios.obtener(principal.id_usuario)
    if item is None:
        raise NoEncontrado(usuarios.NO_ENCONTRADO)
    return usuarios.a_respuesta(item)
