"""Business metric names, in one place so code and template checks cannot drift apart."""

from enum import StrEnum


class Metrica(StrEnum):
    EXPEDIENTE_CREADO = "ExpedienteCreado"
    EXPEDIENTE_ACTUALIZADO = "ExpedienteActualizado"
    ESTADO_CAMBIADO = "EstadoCambiado"
    SERVICE_ORDER_RECIBIDA = "ServiceOrderRecibida"
    SERVICE_ORDER_DUPLICADA = "ServiceOrderDuplicada"
    CANCELACION_ACEPTADA = "CancelacionAceptada"
    CANCELACION_RECHAZADA = "CancelacionRechazada"
    FIRMA_INVALIDA = "FirmaInvalida"
    LOGIN_FALLIDO = "LoginFallido"
    TOKEN_RECHAZADO = "TokenRechazado"
    EVENTO_PUBLICADO = "EventoPublicado"
    WEBHOOK_ENTREGADO = "WebhookEntregado"
    WEBHOOK_FALLIDO = "WebhookFallido"
    WEBHOOK_ABANDONADO = "WebhookAbandonado"
    CORREO_SEGUIMIENTO = "CorreoSeguimiento"
