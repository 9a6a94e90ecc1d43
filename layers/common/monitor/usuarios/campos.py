"""Roles and the rules of a staff user's fields, free of Pydantic: the models validate with them and the logic uses
them, and a function that only reads users never loads Pydantic for them."""

from __future__ import annotations

import re
from enum import StrEnum


# What an account may do: the three staff roles, and an insurer platform's machine client. (A comment, not a
# docstring: Pydantic would put it in the OpenAPI document.)
class Rol(StrEnum):
    ADMINISTRADOR = "Administrador"
    OPERADOR = "Operador"
    TECNICO = "Tecnico"
    INTEGRACION = "Integracion"


PASSWORD_MIN = 8
PASSWORD_MAX = 256
_USERNAME = re.compile(r"^[A-Za-z0-9._-]{3,64}$")
PATRON_USERNAME = _USERNAME.pattern


def validar_username(valor: str) -> str:
    if not _USERNAME.match(valor):
        raise ValueError("De 3 a 64 caracteres: letras, dígitos, punto, guion y guion bajo")
    return valor
