"""What the report routes answer, for the OpenAPI document only (`monitor.core.openapi`)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from monitor.core.responses import Respuesta


class UnidadesPorEstado(Respuesta):
    Ingreso: int
    Restauracion: int
    Pendiente_de_salida: int
    Salida: int = Field(description="Entregadas (acumulado)")


class ProduccionAseguradora(Respuesta):
    id_aseguradora: int | None = Field(description="null: unidades sin aseguradora")
    por_estado: UnidadesPorEstado
    en_taller: int = Field(description="Unidades que no están en Salida")


class UnidadAtrasada(Respuesta):
    no_siniestro: str
    nombre_cliente: str | None
    placas: str | None
    id_aseguradora: int | None
    estado: str
    fecha_entrega: str = Field(description="Fecha promesa de entrega")
    dias_atraso: int = Field(description="Días naturales desde la fecha promesa hasta hoy, en la zona del taller")


class OrdenSinExpediente(Respuesta):
    no_siniestro: str
    serviceOrderId: int  # the insurer's camelCase contract
    serviceOrderNumber: str
    id_aseguradora: int | None
    recibida_en: str


class Produccion(Respuesta):
    fecha: str = Field(description="Hoy en la zona horaria del taller (AAAA-MM-DD)")
    zona_horaria: str
    por_estado: UnidadesPorEstado
    en_taller: int
    por_aseguradora: list[ProduccionAseguradora]
    atrasadas: list[UnidadAtrasada] = Field(
        description="Fecha promesa vencida y fuera de Salida; la más atrasada primero"
    )
    ordenes_sin_expediente: list[OrdenSinExpediente] = Field(
        description="Órdenes recibidas (no canceladas) cuyo siniestro aún no tiene expediente"
    )


class Dias(Respuesta):
    promedio: Decimal | None = Field(description="Media, redondeada a dos decimales")
    mediana: Decimal | None
    p90: int | None = Field(description="Percentil 90 por rango más cercano")


class DiasEtapa(Respuesta):
    promedio: Decimal | None
    unidades: int = Field(description="Unidades con las dos fechas de la etapa")


class DiasPorEtapa(Respuesta):
    Ingreso: DiasEtapa
    Restauracion: DiasEtapa
    Pendiente_de_salida: DiasEtapa


class ResumenCiclo(Respuesta):
    unidades: int
    dias_llave_a_llave: Dias
    dias_por_etapa: DiasPorEtapa


class CicloAseguradora(ResumenCiclo):
    id_aseguradora: int | None = Field(description="null: unidades sin aseguradora")


class Ciclo(Respuesta):
    desde: str
    hasta: str
    zona_horaria: str
    id_aseguradora: int | None
    general: ResumenCiclo
    por_aseguradora: list[CicloAseguradora]


class Descarga(Respuesta):
    url: str = Field(description="Descarga firmada del archivo .xlsx")
    nombre_archivo: str
    expira_en: str
