"""What the session and integration-client routes answer, for the OpenAPI document only."""

from __future__ import annotations

from monitor.core.responses import Respuesta
from monitor.usuarios.campos import Rol


class UsuarioSesion(Respuesta):
    id: int
    username: str
    nombre: str
    rol: Rol


class Sesion(Respuesta):
    token: str
    expires_in: int
    usuario: UsuarioSesion


class Token(Respuesta):
    token: str
    expires_in: int


# The only response that ever shows `client_secret` and `hmac_key`.
class ClienteCreado(Respuesta):
    __doc__ = "La única respuesta que muestra `client_secret` y `hmac_key`: guárdelos, no se vuelven a mostrar."

    client_id: str
    client_secret: str
    hmac_key: str
    nombre: str
    id_aseguradora: int
    exigir_firma: bool


class TokenOAuth(Respuesta):
    access_token: str
    token_type: str
    expires_in: int
