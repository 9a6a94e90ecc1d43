"""What the evidence routes answer, for the OpenAPI document only (`monitor.core.openapi`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from monitor.core.responses import Respuesta


class FormularioCarga(Respuesta):
    url: str
    fields: dict[str, str]


class Evidencia(Respuesta):
    id: str
    tipo: str
    nombre_archivo: str
    content_type: str
    tamano: int
    estado: Literal["Pendiente", "Subida", "Expirada"]
    solicitado_por: int
    solicitado_por_nombre: str | None = Field(
        None, description="Nombre de quien la solicitó (null en registros antiguos)"
    )
    solicitado_en: str
    expira_en: str | None = None
    tamano_real: int | None = None
    subido_por: int | None = None
    subido_por_nombre: str | None = None
    fecha_carga: str | None = None
    url: str | None = Field(None, description="Descarga firmada (15 min), solo en estado Subida")
    url_expira_en: str | None = None


class PaginaEvidencias(Respuesta):
    items: list[Evidencia]
    next_cursor: str | None


class CargaSolicitada(Evidencia):
    upload: FormularioCarga
