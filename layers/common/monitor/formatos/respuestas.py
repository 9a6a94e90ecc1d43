"""What the form routes answer, for the OpenAPI document only (`monitor.core.openapi`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from monitor.core.responses import Respuesta
from monitor.evidencias.respuestas import FormularioCarga
from monitor.expedientes.respuestas import Persona
from monitor.formatos.campos import Formato

# The path's `formato` as the server takes it (the document's enum; `monitor.core.openapi` reads it).
PARAMETROS_DE_RUTA = {"formato": {"type": "string", "enum": [f.value for f in Formato]}}


class FormatoGenerado(Respuesta):
    url: str = Field(description="Descarga firmada del .xlsx (15 min), como adjunto")
    nombre_archivo: str
    expira_en: str


class Plantilla(Respuesta):
    formato: Literal["expediente", "checklist", "levantamiento"]
    origen: Literal["propia", "taller"] = Field(description="propia: la del proyecto; taller: la que subió el taller")
    subida_por: Persona | None = None
    subida_en: str | None = None
    tamano: int | None = Field(None, description="Bytes de la plantilla del taller")


class PlantillaDescarga(Plantilla):
    url: str = Field(description="Descarga firmada de la plantilla en uso (15 min)")
    nombre_archivo: str
    expira_en: str


class CargaPlantilla(Respuesta):
    formato: Literal["expediente", "checklist", "levantamiento"]
    content_type: str
    tamano_maximo: int
    expira_en: str
    upload: FormularioCarga
