"""Pydantic types shared by the models, and `Cuerpo`, the base of every request model; the date rules
themselves live in `monitor.fechas`."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict

from monitor.fechas import normalizar_fecha, normalizar_marca_tiempo

Fecha = Annotated[str, BeforeValidator(normalizar_fecha)]
MarcaTiempo = Annotated[str, BeforeValidator(normalizar_marca_tiempo)]


class Cuerpo(BaseModel):
    """Base of every request model. Its schema is built by the route that takes it, at init
    (`MonitorResolver.route`): a function builds the models of its own routes and none of the other
    models that share their module (bench/results.md, issue 9). The model modules leave out
    `from __future__ import annotations`: Pydantic would compile and evaluate each field's annotation
    string at import, a fifth of what defining a model costs."""

    model_config = ConfigDict(defer_build=True)
