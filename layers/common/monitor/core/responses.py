"""Response bodies every route may give (errors, deletions), and `Respuesta`, the base of every response
model. Only `monitor.core.openapi` imports response models: a request never defines one."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Respuesta(BaseModel):
    model_config = ConfigDict(defer_build=True)


# Every error body of the API: `{"error": "<mensaje en español>"}`.
class Error(Respuesta):
    __doc__ = 'Cuerpo de todo error de la API: `{"error": "<mensaje en español>"}`.'

    error: str


class DetalleError(Respuesta):
    campo: str
    mensaje: str


# 400 bodies: the error plus, for validation, which field and why.
class ErrorValidacion(Respuesta):
    __doc__ = "Respuesta 400: el error y, si es de validación, qué campo y por qué."

    error: str
    detalles: list[DetalleError] | None = None


class Eliminado(Respuesta):
    eliminado: str
