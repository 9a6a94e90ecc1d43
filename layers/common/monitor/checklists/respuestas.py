"""What the checklist routes answer, for the OpenAPI document only (`monitor.core.openapi`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, WithJsonSchema

from monitor.core.responses import Respuesta
from monitor.expedientes.respuestas import Persona, ResumenPuntos

NumeroJson = Annotated[Decimal, WithJsonSchema({"type": "number"})]  # exact decimals, written as JSON numbers


class SistemaCatalogo(Respuesta):
    sistema: str
    items: list[str]


# The shop's exit-inspection form, as shipped with the layer.
class Catalogo(Respuesta):
    __doc__ = "El formato de inspección de salida del taller: sistemas del vehículo, sus puntos y los valores posibles."

    descripcion: str
    valores: list[str] = Field(description="Valores posibles de cada punto: OK, RE, MA, NA")
    sistemas: list[SistemaCatalogo]


class PuntoConValor(Respuesta):
    sistema: str
    nombre_item: str
    valor: Literal["OK", "RE", "MA", "NA"] | None


# The whole checklist: header, every point of the form in its order, the summary, version and who wrote it.
class Checklist(Respuesta):
    __doc__ = (
        "El checklist completo: cabecera (null si vacía), cada punto del catálogo en su orden con su valor, el "
        "resumen, la versión y quién lo creó y lo actualizó por última vez (id, usuario y nombre)."
    )

    no_siniestro: str
    fecha_inspeccion: str | None = None
    hora: str | None = Field(default=None, description="HH:MM")
    inspeccionado_por: str | None = None
    ubicacion: str | None = None
    aprobada: bool | None = None
    detallado: bool | None = None
    carroceo_asignado: str | None = None
    mecanico_asignado: str | None = None
    pintor: str | None = None
    area_detallado: str | None = None
    marca_tipo: str | None = None
    anio: str | None = None
    serie: str | None = None
    areas_danadas: str | None = None
    seguro: Literal["Asegurado", "Tercero"] | None = None
    fecha_vencimiento_seguro: str | None = None
    deducible: NumeroJson | None = None
    demerito: NumeroJson | None = None
    lugar_entrega: str | None = None
    fecha_entrega: str | None = Field(default=None, description="Entrega real de la unidad")
    nombre_quien_recibe: str | None = None
    firma_quien_recibe: str | None = None
    observaciones_adicionales: str | None = None
    items: list[PuntoConValor] = Field(description="Los 122 puntos del catálogo, en su orden")
    resumen: ResumenPuntos
    version: int
    creado_por: Persona | None = Field(description="Quién lo creó (nombre null en registros antiguos)")
    creado_en: str
    actualizado_por: Persona | None = Field(description="Quién lo cambió por última vez")
    actualizado_en: str
