"""What the damage-survey routes answer, for the OpenAPI document only (`monitor.core.openapi`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field, WithJsonSchema

from monitor.core.responses import Respuesta
from monitor.expedientes.respuestas import Persona
from monitor.levantamientos.campos import AseguradoTercero

# Amounts go out as JSON numbers with their exact value (never strings, never through float).
Importe = Annotated[Decimal, WithJsonSchema({"type": "number"})]


class ConceptoLevantamiento(Respuesta):
    id: int = Field(description="Asignado por el servidor; nunca se reutiliza dentro del levantamiento")
    claves: str | None
    concepto: str
    costo: Importe = Field(description="Decimal exacto con dos decimales")


class TotalesLevantamiento(Respuesta):
    subtotal: Importe = Field(description="Suma de los costos")
    tasa_iva: Importe = Field(description="Tasa de IVA con la que se creó el levantamiento (parámetro IvaTasa)")
    iva: Importe = Field(description="subtotal × tasa_iva, redondeado a centavos (mitad hacia arriba)")
    total: Importe = Field(description="subtotal + iva")


# The whole survey as persisted: every field (null when empty), its line items in the order they were added, totals,
# version and who created it.
class Levantamiento(Respuesta):
    __doc__ = (
        "El levantamiento completo tal como quedó guardado: sus campos (null si vacíos), sus conceptos en el "
        "orden en que se agregaron, totales, versión y quién lo creó."
    )

    no_siniestro: str
    fecha: str | None = None
    orden: str | None = None
    marca: str | None = None
    tipo: str | None = None
    modelo: str | None = None
    placas: str | None = None
    kilometraje: int | None = None
    no_puertas: int | None = None
    color: str | None = None
    serie: str | None = None
    eco: str | None = Field(default=None, description="Número económico (de flotilla)")
    asegurado_tercero: AseguradoTercero | None = None
    nombre_propietario: str | None = None
    telefono: str | None = None
    direccion: str | None = None
    pega: str | None = None
    cristales: bool | None = None
    aire: bool | None = None
    vestiduras: bool | None = None
    rin: bool | None = None
    direccion_veh: bool | None = None
    tipo_pintura: bool | None = None
    trasmision: bool | None = None
    conceptos: list[ConceptoLevantamiento]
    totales: TotalesLevantamiento
    version: int
    creado_por: Persona
    creado_en: str
    actualizado_en: str
