"""What comes in for evidence; the rules (types, sizes) live in `monitor.evidencias.reglas`."""

from typing import Literal

from pydantic import ConfigDict, Field, JsonValue, StrictInt, ValidationInfo, field_validator

from monitor.core.models import Cuerpo
from monitor.evidencias.reglas import IMAGENES, PDF, TAMANO_MAXIMO, TIPOS_PERMITIDOS


class EvidenciaNueva(Cuerpo):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    tipo: Literal["fotografia", "documento"]
    nombre_archivo: str = Field(min_length=1, max_length=255)
    content_type: str = Field(
        min_length=1, max_length=100, json_schema_extra={"enum": list[JsonValue](sorted(IMAGENES | {PDF}))}
    )
    tamano: StrictInt = Field(
        description="Bytes declarados; 1 a 26214400 (25 MB)",
        json_schema_extra={"minimum": 1, "maximum": TAMANO_MAXIMO},
    )

    @field_validator("content_type")
    @classmethod
    def _tipo_contenido(cls, valor: str, info: ValidationInfo) -> str:
        valor = valor.lower()
        tipo = info.data.get("tipo")
        permitidos = TIPOS_PERMITIDOS.get(tipo, IMAGENES | {PDF}) if isinstance(tipo, str) else IMAGENES | {PDF}
        if valor not in permitidos:
            nombre = "una fotografía" if tipo == "fotografia" else "un documento"
            raise ValueError(f"Tipo de archivo no permitido para {nombre}; use: {', '.join(sorted(permitidos))}")
        return valor

    @field_validator("tamano")
    @classmethod
    def _tamano(cls, valor: int) -> int:
        if valor < 1:
            raise ValueError("Debe ser mayor que 0")
        if valor > TAMANO_MAXIMO:
            raise ValueError("El archivo excede el máximo de 25 MB")
        return valor
