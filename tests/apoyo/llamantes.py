"""Who calls in a test: a real user (or integration client) with a valid token. Pure: no AWS here."""

from __future__ import annotations

from typing import Any

from monitor.auth.roles import Principal


class Llamante:
    """A real user (or client) in the table with a valid token."""

    def __init__(self, principal: Principal, token: str, password: str | None = None) -> None:
        self.principal = principal
        self.token = token
        self.password = password

    @property
    def autorizador(self) -> dict[str, Any]:
        contexto: dict[str, Any] = {
            "principalId": self.principal.id,
            "username": self.principal.username,
            "rol": self.principal.rol.value,
        }
        if self.principal.id_aseguradora is not None:
            contexto["id_aseguradora"] = self.principal.id_aseguradora
        if self.principal.nombre:
            contexto["nombre"] = self.principal.nombre
        return contexto

    @property
    def cabecera(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}
