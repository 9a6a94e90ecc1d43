"""The caller the authorizer names and who may call which route (`Permiso`, the
`Acceso` every function hands its resolver). A dataclass and plain enums: the authorizer imports this and
must not pay for Pydantic."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from monitor.usuarios.campos import Rol

TOKEN_REQUERIDO = "Token requerido"
TOKEN_INVALIDO = "Token inválido o expirado"
SOLO_PERSONAL = "Acceso restringido a usuarios del taller"


@dataclass(frozen=True)
class Principal:
    """Who is calling, as the authorizer put it in the request context."""

    id: str
    username: str
    rol: Rol
    id_aseguradora: int | None = None
    # The user's (or client's) name when the token was checked, stored beside the id by every write.
    nombre: str | None = None

    @property
    def id_usuario(self) -> int:
        return int(self.id)


def principal_del_evento(event: Mapping[str, Any]) -> Principal | None:
    contexto = (event.get("requestContext") or {}).get("authorizer") or {}
    rol = contexto.get("rol")
    if not rol:
        return None
    id_aseguradora = contexto.get("id_aseguradora")
    return Principal(
        id=str(contexto.get("principalId", "")),
        username=str(contexto.get("username", "")),
        rol=Rol(rol),
        id_aseguradora=int(id_aseguradora) if id_aseguradora not in (None, "") else None,
        nombre=str(contexto["nombre"]) if contexto.get("nombre") else None,
    )


@dataclass(frozen=True)
class Permiso:
    """The roles a route admits and the 403 it gives the others. An integration token on a staff route is
    told the route is for the shop's users, whatever staff role it needs."""

    roles: frozenset[Rol]
    mensaje: str

    def __contains__(self, rol: object) -> bool:
        return rol in self.roles

    def mensaje_para(self, rol: Rol) -> str:
        if rol == Rol.INTEGRACION and Rol.INTEGRACION not in self.roles:
            return SOLO_PERSONAL
        return self.mensaje

    def rechazo(self, event: Mapping[str, Any]) -> tuple[int, str] | None:
        principal = principal_del_evento(event)
        if principal is None:
            return 401, TOKEN_REQUERIDO
        if principal.rol not in self.roles:
            return 403, self.mensaje_para(principal.rol)
        return None

    def principal(self, event: Mapping[str, Any]) -> Principal:
        principal = principal_del_evento(event)
        if principal is None:  # pragma: no cover - rechazo() refused it before routing
            raise LookupError("Solicitud sin llamante")
        return principal

    def documentacion(self) -> dict[int, str]:
        denegado = self.mensaje
        if Rol.INTEGRACION not in self.roles and self.mensaje != SOLO_PERSONAL:
            denegado = f"{self.mensaje}; con un token de integración: {SOLO_PERSONAL}"
        return {401: "Token requerido, o inválido o expirado (respuesta de API Gateway)", 403: denegado}


PERSONAL = Permiso(frozenset({Rol.ADMINISTRADOR, Rol.OPERADOR, Rol.TECNICO}), SOLO_PERSONAL)
ADMIN = Permiso(frozenset({Rol.ADMINISTRADOR}), "Acceso restringido a administradores")
ADMIN_OPERADOR = Permiso(
    frozenset({Rol.ADMINISTRADOR, Rol.OPERADOR}), "Acceso restringido a administradores y operadores"
)
INTEGRACION = Permiso(frozenset({Rol.INTEGRACION}), "Acceso restringido a integraciones de aseguradoras")
