"""Response bodies every route may give (errors, deletions), and `Respuesta`, the base of every response
model. Only `monitor.core.openapi` imports response models: a request never defines one."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Respuesta(BaseModel):
    model_config = ConfigDict(defer_build=True)


class Error(Respuesta):
    """Every error body of the API: `{"error": "<mensaje en español>"}`."""

    error: str


class DetalleError(Respuesta):
    campo: str
    mensaje: str


class ErrorValidacion(Respuesta):
    """400 bodies: the error plus, for validation, which field and why."""

    error: str
    detalles: list[DetalleError] | None = None


class Eliminado(Respuesta):
    eliminado: str
