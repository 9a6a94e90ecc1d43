"""Decides whether a bearer token may call the API, and who the caller is."""

from __future__ import annotations

from typing import Any

from monitor import keys, tabla
from monitor.auth import Principal, Rol, TokenInvalido, verificar_token


def autenticar(token: str) -> Principal:
    """Valid signature and claims, and the user or client still active with a current token version."""
    claims = verificar_token(token)
    rol = Rol(claims["rol"])
    sub = str(claims["sub"])
    if rol == Rol.INTEGRACION:
        item = tabla.get(keys.cliente(sub))
    else:
        if not sub.isdigit():
            raise TokenInvalido("sub no numérico")
        item = tabla.get(keys.usuario(int(sub)))
    if item is None:
        raise TokenInvalido("titular inexistente")
    if not item.get("activo", False):
        raise TokenInvalido("titular inactivo")
    if int(item.get("version_token", 0)) != int(claims.get("ver", -1)):
        raise TokenInvalido("versión de token revocada")
    if str(item.get("rol", rol.value)) != rol.value:
        raise TokenInvalido("rol cambiado")
    id_aseguradora = item.get("id_aseguradora") if rol == Rol.INTEGRACION else None
    return Principal(
        id=sub,
        username=str(item.get("username") or item.get("nombre") or sub),
        rol=rol,
        id_aseguradora=int(id_aseguradora) if id_aseguradora is not None else None,
    )


def contexto(principal: Principal) -> dict[str, Any]:
    """Authorizer context: strings and numbers only, as API Gateway requires."""
    datos: dict[str, Any] = {"username": principal.username, "rol": principal.rol.value}
    if principal.id_aseguradora is not None:
        datos["id_aseguradora"] = principal.id_aseguradora
    return datos
