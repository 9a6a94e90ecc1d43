"""Pydantic types shared by the models; the date rules themselves live in `monitor.fechas`."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator

from monitor.fechas import normalizar_fecha, normalizar_marca_tiempo

Fecha = Annotated[str, BeforeValidator(normalizar_fecha)]
MarcaTiempo = Annotated[str, BeforeValidator(normalizar_marca_tiempo)]
