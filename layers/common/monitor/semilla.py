"""First data of a fresh stack: the insurer catalog and one administrator."""

from __future__ import annotations

from monitor import aseguradoras, usuarios
from monitor.auth import Rol
from monitor.errors import Conflicto


def sembrar(admin_username: str, admin_password: str, nombre: str = "Administrador") -> bool:
    """Returns True when the administrator was created now, False if it already existed."""
    aseguradoras.sembrar_catalogo()
    try:
        usuarios.crear(nombre=nombre, username=admin_username, password=admin_password, rol=Rol.ADMINISTRADOR)
    except Conflicto:
        return False
    return True
