"""`Cuerpo`, the base of every request model, and the Pydantic types shared by them; the date rules
themselves live in `monitor.core.dates`."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict

from monitor.core.dates import normalizar_fecha, normalizar_marca_tiempo

Fecha = Annotated[str, BeforeValidator(normalizar_fecha)]
MarcaTiempo = Annotated[str, BeforeValidator(normalizar_marca_tiempo)]


class Cuerpo(BaseModel):
    """Base of every request model, named `<Recurso>Nuevo` for a creation and `Cambios<Recurso>` for an
    update. Its schema is built by the route that takes it, at init (`monitor.startup.route_models`).
    Model modules leave out `from __future__ import annotations`: Pydantic would compile and evaluate each
    field's annotation string at import (tests/arranque checks both rules)."""

    model_config = ConfigDict(defer_build=True)
