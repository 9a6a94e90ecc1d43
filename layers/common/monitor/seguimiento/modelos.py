"""What comes in for subscriptions (what goes out is documented in `monitor.seguimiento.respuestas`)."""

from typing import Annotated

from pydantic import ConfigDict, Field, StrictInt, StringConstraints, field_validator

from monitor.core.models import Cuerpo
from monitor.seguimiento.eventos import Topico
from monitor.seguimiento.red import MAX_URL, UrlInvalida, validar_url


# POST /api/suscripciones: where an insurer's platform wants which events.
class SuscripcionNueva(Cuerpo):
    __doc__ = "Dónde quiere la plataforma de una aseguradora recibir qué eventos."

    model_config = ConfigDict(extra="forbid")

    url: Annotated[str, StringConstraints(strip_whitespace=True, strict=True, min_length=1, max_length=MAX_URL)]
    eventos: Annotated[list[Topico], Field(min_length=1, max_length=20)]
    id_aseguradora: Annotated[StrictInt, Field(ge=1)]

    @field_validator("url")
    @classmethod
    def _url(cls, valor: str) -> str:
        try:
            return validar_url(valor)
        except UrlInvalida as exc:
            raise ValueError(str(exc)) from None

    @field_validator("eventos")
    @classmethod
    def _sin_repetidos(cls, valor: list[Topico]) -> list[Topico]:
        return list(dict.fromkeys(valor))
