"""What the expediente routes answer, for the OpenAPI document only (`monitor.core.openapi`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field, WithJsonSchema

from monitor.core.responses import Respuesta
from monitor.expedientes.campos import ESQUEMA_ID_HIJO, ESQUEMA_NO_SINIESTRO, Estado

# The claim number in every path, as `campos.de_ruta` checks it, and the ids of comments and evidence
# (`monitor.core.openapi` applies them to path segments Powertools knows nothing of).
PARAMETROS_DE_RUTA = {"no_siniestro": ESQUEMA_NO_SINIESTRO, "id": ESQUEMA_ID_HIJO}


class Notificacion(Respuesta):
    __doc__ = "Un correo de seguimiento al cliente: cuándo se envió y cómo resultó."

    fecha: str
    estado: str = Field(description="pendiente, enviado, rechazado o fallido")


class Expediente(Respuesta):
    __doc__ = (
        "El expediente plano tal como quedó guardado (los campos del contrato más fecha_entrega, versión y "
        "marcas de tiempo)."
    )

    no_siniestro: str
    factura: str | None = None
    orden: str | None = None
    asesor: str | None = None
    fecha_ingreso: str | None = None
    fecha_valuacion: str | None = None
    fecha_autorizacion: str | None = None
    fecha_pzas_completas: str | None = None
    unidad_terminada: str | None = None
    fecha_entrega: str | None = None
    tecnico: str | None = None
    mecanico: str | None = None
    vehiculo: str | None = None
    observaciones: str | None = None
    marca: str | None = None
    modelo: str | None = None
    tipo: str | None = None
    color: str | None = None
    placas: str | None = None
    nombre_cliente: str | None = None
    telefono_cliente: str | None = None
    correo_cliente: str | None = None
    dato1: str | None = None
    dato1_fecha_hora: str | None = None
    dato2: str | None = None
    dato2_fecha_hora: str | None = None
    dato3: str | None = None
    dato3_fecha_hora: str | None = None
    dato4: str | None = None
    dato4_fecha_hora: str | None = None
    comentarios_aseguradora: str | None = None
    comentarios_aseguradora_fh: str | None = None
    doc_orden_admision: bool | None = None
    doc_identificacion: bool | None = None
    doc_tarjeta_circulacion: bool | None = None
    doc_caratula_poliza: bool | None = None
    doc_carta_reparacion: bool | None = None
    doc_comprobante_deducible: bool | None = None
    doc_finiquito: bool | None = None
    doc_encuesta_servicio: bool | None = None
    estado: Estado
    ubicacion_almacenamiento: str
    id_aseguradora: int | None = None
    creado_por: int
    creado_por_nombre: str | None = Field(description="Nombre de quien lo creó (null en expedientes antiguos)")
    version: int
    creado_en: str
    actualizado_en: str
    hitos: dict[str, str] | None = Field(
        None,
        description="Primera vez que entró a cada estado y alcanzó cada hito (valuacion_autorizada, "
        "refacciones_completas, en_reparacion, lista_para_entrega, entregada): nombre → fecha-hora UTC",
    )
    notificar_cliente: bool = Field(False, description="Enviar al cliente un correo en cada paso de seguimiento")
    notificaciones: dict[str, Notificacion] = Field(
        default_factory=dict, description="Correos de seguimiento enviados, por paso (valuacion_autorizada, ...)"
    )


class Persona(Respuesta):
    id: int
    username: str
    nombre: str | None = Field(description="Nombre del usuario al escribir (null en registros antiguos)")


class EntradaHistorial(Respuesta):
    estado_anterior: Estado | None
    estado_nuevo: Estado
    fecha_cambio: str
    cambiado_por: Persona


class Cambio(Respuesta):
    campo: str
    anterior: Any
    nuevo: Any


class EntradaAuditoria(Respuesta):
    fecha: str
    recurso: str = Field(description="Qué cambió: el expediente o uno de sus subrecursos")
    usuario: Persona
    cambios: list[Cambio]


class ResumenOrden(Respuesta):
    serviceOrderId: int  # the insurer's camelCase contract
    serviceOrderNumber: str | None
    estado: str | None
    recibida_en: str | None


class AseguradoraResumen(Respuesta):
    id: int
    nombre: str | None


# The damage survey at a glance; the whole survey is GET …/levantamiento.
class ResumenLevantamiento(Respuesta):
    __doc__ = "El levantamiento de daños en una línea; el completo es GET …/levantamiento."

    total: Annotated[Decimal, WithJsonSchema({"type": "number"})] = Field(description="Total con IVA")
    conceptos: int = Field(description="Número de conceptos")
    version: int
    actualizado_en: str | None


# How many points of the exit checklist carry each value, and how many none yet.
class ResumenPuntos(Respuesta):
    __doc__ = "Cuántos puntos del checklist de salida tienen cada valor, y cuántos aún ninguno."

    OK: int
    RE: int
    MA: int
    NA: int
    sin_revisar: int


class ChecklistResumen(Respuesta):
    aprobada: bool | None
    resumen: ResumenPuntos


class DetalleExpediente(Expediente):
    aseguradora: AseguradoraResumen | None
    historial_estado: list[EntradaHistorial]
    ordenes_servicio: list[ResumenOrden]
    levantamiento: ResumenLevantamiento | None = Field(
        description="Resumen del levantamiento de daños; null cuando el expediente no tiene"
    )
    checklist: ChecklistResumen | None = Field(description="El checklist de salida, si existe: aprobado y resumen")


class PaginaExpedientes(Respuesta):
    items: list[Expediente]
    next_cursor: str | None


class PaginaHistorial(Respuesta):
    items: list[EntradaHistorial]
    next_cursor: str | None


class PaginaAuditoria(Respuesta):
    items: list[EntradaAuditoria]
    next_cursor: str | None


class Comentario(Respuesta):
    id: str
    texto: str
    autor: Persona
    fecha: str


class PaginaComentarios(Respuesta):
    items: list[Comentario]
    next_cursor: str | None


# 409 of a refused Salida: what is missing in words, and by name.
class ErrorSalida(Respuesta):
    __doc__ = "409 de un paso a Salida rechazado: lo que falta, en palabras y por nombre."

    error: str
    faltantes: list[str] = Field(
        description="Requisitos faltantes: unidad_terminada, fecha_entrega, doc_finiquito, checklist.aprobada, "
        "checklist.fecha_entrega, checklist.nombre_quien_recibe"
    )
