"""What comes in for staff users; the rules themselves live in `monitor.usuarios.campos`."""

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StrictBool, StringConstraints, field_validator

from monitor.core.models import Cuerpo
from monitor.usuarios.campos import PASSWORD_MAX, PASSWORD_MIN, PATRON_USERNAME, validar_username

Nombre = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Password = Annotated[str, Field(min_length=PASSWORD_MIN, max_length=PASSWORD_MAX)]
RolPersonal = Literal["Administrador", "Operador", "Tecnico"]


# POST /api/usuarios. Integration clients are not users: `Integracion` is refused here.
class UsuarioNuevo(Cuerpo):
    __doc__ = "Alta de un usuario del taller; los clientes de integración no son usuarios (`Integracion` se rechaza)."

    model_config = ConfigDict(extra="forbid")
    TEXTO_SIN_REGLA = ("password",)

    nombre: Nombre
    username: Annotated[str, Field(json_schema_extra={"pattern": PATRON_USERNAME})]
    password: Password
    rol: RolPersonal

    _username = field_validator("username")(validar_username)


# PUT /api/usuarios/{id}: partial; `password` is an administrator's reset. Nothing here can be cleared.
class CambiosUsuario(Cuerpo):
    __doc__ = (
        "Cambio parcial de un usuario; `password` es el restablecimiento por un administrador. Nada se puede vaciar."
    )

    model_config = ConfigDict(extra="forbid")
    TEXTO_SIN_REGLA = ("password",)
    NO_NULOS = ("nombre", "rol", "password", "activo")
    AL_MENOS_UNO = True

    nombre: Nombre | None = None
    rol: RolPersonal | None = None
    password: Password | None = None
    activo: StrictBool | None = None
