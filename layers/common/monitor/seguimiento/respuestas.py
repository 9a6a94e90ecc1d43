"""What the subscription routes answer, for the OpenAPI document only (`monitor.core.openapi`)."""

from __future__ import annotations

from pydantic import Field

from monitor.core.responses import Respuesta
from monitor.seguimiento.eventos import Topico


# A webhook subscription of an insurer's platform (its secret is never shown again).
class Suscripcion(Respuesta):
    __doc__ = "Suscripción de la plataforma de una aseguradora a eventos (webhook); su secreto no se vuelve a mostrar."

    id: str
    url: str
    eventos: list[Topico]
    id_aseguradora: int
    activa: bool
    creada_en: str
    creada_por: int | None = Field(default=None, description="Id del usuario que la creó")
    creada_por_nombre: str | None = Field(
        default=None, description="Nombre de quien la creó, guardado al crearla (null en registros antiguos)"
    )


class SuscripcionCreada(Suscripcion):
    secreto: str = Field(description="Clave HMAC-SHA256 de las entregas (X-Monitor-Hmac-Sha256); se muestra una vez")


class ListaSuscripciones(Respuesta):
    items: list[Suscripcion]
    next_cursor: str | None


# One delivery attempt of one event to the subscription.
class Entrega(Respuesta):
    __doc__ = "Un intento de entrega de un evento a la suscripción."

    id_evento: str
    topico: Topico
    intento: int
    codigo_http: int | None = Field(description="Estado HTTP que respondió el suscriptor (null: sin respuesta)")
    latencia_ms: int
    error: str | None
    fecha: str
    siguiente_intento: str | None = Field(description="Cuándo se reintentará (null: no se reintenta)")


class ListaEntregas(Respuesta):
    items: list[Entrega]
    next_cursor: str | None
