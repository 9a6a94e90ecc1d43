"""What the insurer catalog answers, for the OpenAPI document only (`monitor.core.openapi`)."""

from __future__ import annotations

from monitor.core.responses import Respuesta


class Aseguradora(Respuesta):
    id: int
    nombre: str


class ListaAseguradoras(Respuesta):
    items: list[Aseguradora]
    next_cursor: str | None
