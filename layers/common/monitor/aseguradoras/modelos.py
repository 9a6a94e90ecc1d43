"""What comes in for the insurer catalog."""

from typing import Annotated

from pydantic import ConfigDict, StringConstraints

from monitor.core.models import Cuerpo


class AseguradoraNueva(Cuerpo):
    model_config = ConfigDict(extra="forbid")

    nombre: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
