"""Every response body of the API, for the OpenAPI document only.

Handlers answer plain dicts (`monitor.http.respuesta`); these models exist so `monitor.documentacion` can
describe them when the document is generated, and routes name them (`http.documentar("Expediente", ...)`).
Nothing that serves a request imports this module, so no cold start pays for defining some forty classes
it never uses (bench/results.md, issue 9); `defer_build` leaves even their schemas for the generator.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from monitor.auth import Rol
from monitor.campos import Estado


class Respuesta(BaseModel):
    model_config = ConfigDict(defer_build=True)


# ---- errores y salud
class Error(Respuesta):
    """Every error body of the API: `{"error": "<mensaje en español>"}`."""

    error: str


class DetalleError(Respuesta):
    campo: str
    mensaje: str


class ErrorValidacion(Respuesta):
    """400 bodies: the error plus, for validation, which field and why."""

    error: str
    detalles: list[DetalleError] | None = None


class Salud(Respuesta):
    status: str
    tabla: str
    fecha: str


# ---- expedientes, historial, auditoría, comentarios
class Expediente(Respuesta):
    """Output: the flat expediente as persisted (the seed's example plus fecha_entrega, version, timestamps)."""

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
    version: int
    creado_en: str
    actualizado_en: str


class Persona(Respuesta):
    id: int
    username: str


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


class DetalleExpediente(Expediente):
    aseguradora: AseguradoraResumen | None
    historial_estado: list[EntradaHistorial]
    ordenes_servicio: list[ResumenOrden]


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


class Eliminado(Respuesta):
    eliminado: str


# ---- órdenes de servicio (the seed's camelCase)
# ---- responses (OpenAPI and tests)
# Responses carry exact JSON numbers; pydantic would document a Decimal as a string.
NumeroJson = Annotated[Decimal, WithJsonSchema({"type": "number"})]


class CreatedServiceOrderResponse(Respuesta):
    serviceOrderId: int
    serviceOrderNumber: str


class CancelledServiceOrderResponse(Respuesta):
    isCancelled: bool
    showResponseText: bool
    responseText: str


EstadoOrden = Literal["Recibida", "Cancelada"]


class ResumenOrdenServicio(Respuesta):
    serviceOrderId: int
    serviceOrderGuid: str | None = None
    serviceOrderNumber: str
    insuranceClaimNumber: str
    estado: EstadoOrden
    recibida_en: str
    id_aseguradora: int | None = None
    createdOnUtcDate: str | None = None
    workshopPersonName: str | None = None
    subTotalAmount: NumeroJson | None = None
    differenceAmount: NumeroJson | None = None
    deductibleAmount: NumeroJson | None = None
    taxTotalAmount: NumeroJson | None = None


class PaginaOrdenes(Respuesta):
    items: list[ResumenOrdenServicio]
    next_cursor: str | None


class Cancelacion(Respuesta):
    fecha: str
    cancelado_por_email: str | None = None
    cancelado_por_nombre: str | None = None
    comentarios: str | None = None


class ItemOrden(Respuesta):
    itemId: int | None = None
    itemCode: str | None = None
    itemName: str | None = None
    itemQuantity: NumeroJson | None = None
    itemActionId: int | None = None
    itemActionName: str | None = None
    workshopServiceId: int | None = None
    workshopServiceCode: str | None = None
    workshopServiceName: str | None = None
    workshopServicePrice: NumeroJson | None = None
    otherCosts: NumeroJson | None = None


class OrdenServicio(Respuesta):
    """Staff view: the seed's fields as received plus our number, state and cancellation."""

    serviceOrderId: int
    serviceOrderGuid: str
    requestId: int | None = None
    claimId: int | None = None
    insuranceClaimNumber: str
    deliveryDays: int | None = None
    createdOnUtcDate: str | None = None
    createdByEmailAddress: str | None = None
    createdByDisplayName: str | None = None
    workshopPersonTaxId: str | None = None
    workshopPersonName: str | None = None
    subTotalAmount: NumeroJson | None = None
    differenceAmount: NumeroJson | None = None
    deductibleAmount: NumeroJson | None = None
    taxTotalAmount: NumeroJson | None = None
    comments: str | None = None
    items: list[ItemOrden]
    serviceOrderNumber: str
    estado: EstadoOrden
    recibida_en: str
    id_aseguradora: int | None = None
    cancelacion: Cancelacion | None = None


# ---- evidencias
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
    solicitado_en: str
    expira_en: str | None = None
    tamano_real: int | None = None
    subido_por: int | None = None
    fecha_carga: str | None = None
    url: str | None = Field(None, description="Descarga firmada (15 min), solo en estado Subida")
    url_expira_en: str | None = None


class PaginaEvidencias(Respuesta):
    items: list[Evidencia]
    next_cursor: str | None


class EvidenciaEliminada(Respuesta):
    eliminado: str


class CargaSolicitada(Evidencia):
    upload: FormularioCarga


# ---- aseguradoras
class Aseguradora(Respuesta):
    id: int
    nombre: str


class ListaAseguradoras(Respuesta):
    items: list[Aseguradora]
    next_cursor: str | None


# ---- usuarios
class Usuario(Respuesta):
    """What a response shows of a user (never the hash or the token version)."""

    id: int
    nombre: str
    username: str
    rol: Rol
    activo: bool


class ListaUsuarios(Respuesta):
    items: list[Usuario]
    next_cursor: str | None


# ---- sesión
class UsuarioSesion(Respuesta):
    id: int
    username: str
    nombre: str
    rol: Rol


class Sesion(Respuesta):
    token: str
    expires_in: int
    usuario: UsuarioSesion


class TokenRenovado(Respuesta):
    token: str
    expires_in: int


# ---- clientes de integración
class ClienteCreado(Respuesta):
    """The only response that ever shows `client_secret` and `hmac_key`."""

    client_id: str
    client_secret: str
    hmac_key: str
    nombre: str
    id_aseguradora: int
    exigir_firma: bool


class TokenCliente(Respuesta):
    token: str
    expires_in: int


class TokenOAuth(Respuesta):
    access_token: str
    token_type: str
    expires_in: int
