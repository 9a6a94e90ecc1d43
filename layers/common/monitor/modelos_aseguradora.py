"""What comes in and what goes out for the insurer catalog."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from monitor.tipos import Respuesta


class AseguradoraNueva(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nombre: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class Aseguradora(Respuesta):
    id: int
    nombre: str


class ListaAseguradoras(Respuesta):
    items: list[Aseguradora]
    next_cursor: str | None
