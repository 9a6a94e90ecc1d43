"""Request models built by the route that takes them, at init, and by no other function.

Request models are deferred (`monitor.core.models.Cuerpo`, `defer_build=True`): defining one costs little,
building its validator a lot. `MonitorResolver.route` calls `preparar` as each route registers, so a
function builds exactly the models of its own routes, and Powertools' `dependant` (its parameters and
TypeAdapters) is computed then too, reusing those schemas: the first request builds nothing.
"""

from __future__ import annotations

import typing
from typing import TYPE_CHECKING

from monitor.startup.switches import apagado

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler.api_gateway import Route


def preparar(ruta: Route) -> None:
    if apagado("route_models"):
        return  # Powertools' own way: the first request computes the route's dependant
    from pydantic import BaseModel

    pendientes = list(typing.get_type_hints(ruta.func, include_extras=True).values())
    while pendientes:
        tipo = pendientes.pop()
        pendientes.extend(typing.get_args(tipo))
        if isinstance(tipo, type) and issubclass(tipo, BaseModel) and not tipo.__pydantic_complete__:
            tipo.model_rebuild()
    _ = ruta.dependant
