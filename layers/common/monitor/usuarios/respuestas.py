"""What the user routes answer (never a hash or a token version), for the OpenAPI document only."""

from __future__ import annotations

from monitor.core.responses import Respuesta
from monitor.usuarios.campos import Rol


# What a response shows of a user (never the hash or the token version).
class Usuario(Respuesta):
    __doc__ = "Un usuario del taller tal como se muestra (nunca el hash ni la versión de token)."

    id: int
    nombre: str
    username: str
    rol: Rol
    activo: bool


class ListaUsuarios(Respuesta):
    items: list[Usuario]
    next_cursor: str | None
