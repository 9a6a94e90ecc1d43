"""What the health check answers, for the OpenAPI document only (`monitor.core.openapi`)."""

from __future__ import annotations

from monitor.core.responses import Respuesta


class Salud(Respuesta):
    status: str
    tabla: str
    fecha: str
