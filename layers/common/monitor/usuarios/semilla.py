"""First data of a fresh stack: the insurer catalog and one administrator."""

from __future__ import annotations

from monitor.aseguradoras import servicio as aseguradoras
from monitor.core.errors import Conflicto
from monitor.usuarios import administradores
from monitor.usuarios import servicio as usuarios
from monitor.usuarios.campos import Rol


def sembrar(admin_username: str, admin_password: str, nombre: str = "Administrador") -> bool:
    """Returns True when the administrator was created now, False if it already existed."""
    aseguradoras.sembrar_catalogo()
    administradores.asegurar()  # stacks that predate the guard get their counter here
    try:
        usuarios.crear(nombre=nombre, username=admin_username, password=admin_password, rol=Rol.ADMINISTRADOR)
    except Conflicto:
        return False
    return True
