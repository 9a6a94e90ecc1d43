"""What comes in for sessions and integration clients (the password rule is `monitor.usuarios.modelos`'s)."""

from typing import Annotated

from pydantic import ConfigDict, Field, StrictBool, StrictInt, StringConstraints

from monitor.core.models import ID_MAXIMO, Cuerpo
from monitor.usuarios.modelos import Password


class Credenciales(Cuerpo):
    TEXTO_SIN_REGLA = ("password",)  # compared with the stored hash, never shown: any text it held before
    usuario: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    password: Annotated[str, Field(min_length=1, max_length=256)]


class CambioPassword(Cuerpo):
    model_config = ConfigDict(extra="forbid")
    TEXTO_SIN_REGLA = ("password_actual", "password_nuevo")

    password_actual: Annotated[str, Field(min_length=1, max_length=256)]
    password_nuevo: Password


class ClienteNuevo(Cuerpo):
    """POST /api/integraciones."""

    model_config = ConfigDict(extra="forbid")

    nombre: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    id_aseguradora: Annotated[StrictInt, Field(ge=1, le=ID_MAXIMO)]
    # Strict: turning signatures off must be an explicit `false`, never a 0 or "no" coerced by lax parsing.
    exigir_firma: StrictBool = True
