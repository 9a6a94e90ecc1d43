"""Pydantic types shared by the models; the date rules themselves live in `monitor.fechas`."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict

from monitor.fechas import normalizar_fecha, normalizar_marca_tiempo

Fecha = Annotated[str, BeforeValidator(normalizar_fecha)]
MarcaTiempo = Annotated[str, BeforeValidator(normalizar_marca_tiempo)]


class Respuesta(BaseModel):
    """Base of response bodies: only the OpenAPI generator reads them (`monitor.documentacion`), so their
    schemas are built on demand instead of at every cold start."""

    model_config = ConfigDict(defer_build=True)
