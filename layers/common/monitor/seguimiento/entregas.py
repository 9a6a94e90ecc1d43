"""The sender: each event from the delivery queue, POSTed and signed to every subscription of its insurer
and topic, each attempt logged; failures retried with exponential back-off for up to 24 hours.

A message is either EventBridge's (`{"detail": <event>, ...}`: the first attempt, to every matching
subscription) or our own retry (`{"evento": <event>, "reintento": {...}}`: one subscription). A retry is a
new message on the same queue with `DelaySeconds` (SQS allows 15 minutes at most; a longer wait carries
`no_antes` and is re-queued until then), so one subscriber's failures never repeat another's deliveries.
Past the window the message goes to the dead-letter queue, whose alarm calls a person.

The body is the event exactly as the subscriber receives it, the same bytes on every attempt; the
signature is the hex HMAC-SHA256 of those bytes under the subscription's secret.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from monitor.core import dates, jsoncodec, keys, table
from monitor.core.dates import ahora, iso
from monitor.core.errors import ServicioNoDisponible
from monitor.core.metrics import Metrica
from monitor.core.observability import contar, logger
from monitor.core.settings import settings
from monitor.core.table import entero
from monitor.seguimiento import red, suscripciones
from monitor.seguimiento.aws import cliente
from monitor.seguimiento.eventos import Topico

RETRASO_MAXIMO_SQS = 900
AGENTE = "Monitor-Webhooks/1.0"
CABECERA_FIRMA = "X-Monitor-Hmac-Sha256"
CABECERA_TOPICO = "X-Monitor-Topic"
CABECERA_EVENTO = "X-Monitor-Event-Id"
CABECERA_FECHA = "X-Monitor-Timestamp"


class MensajeInvalido(Exception):
    """Not an event this sender understands: it fails alone and ends in the dead-letter queue."""


class SinTiempo(Exception):
    """Too little of the invocation left for another delivery: SQS gives the message back later."""


def firmar(cuerpo: bytes, secreto: str) -> str:
    return hmac.new(secreto.encode("utf-8"), cuerpo, hashlib.sha256).hexdigest()


def cuerpo_de(evento: Mapping[str, Any]) -> bytes:
    """The bytes POSTed: compact JSON, exact numbers, keys in the event's order (stable across attempts)."""
    return jsoncodec.dumps(evento).encode("utf-8")


def espera(intento: int) -> int:
    """Seconds before attempt `intento + 1`: base · 2^(intento-1), at most `reintento_maximo`."""
    ajustes = settings()
    return int(min(ajustes.reintento_base * 2 ** max(intento - 1, 0), ajustes.reintento_maximo))


def _evento(datos: Any) -> dict[str, Any]:
    if not isinstance(datos, dict):
        raise MensajeInvalido("el evento no es un objeto")
    try:
        Topico(datos["topico"])
        if not isinstance(datos["id"], str) or not isinstance(datos["datos"], dict) or not datos.get("fecha"):
            raise MensajeInvalido("evento incompleto")
        aseguradora = datos.get("id_aseguradora")
        if aseguradora is not None and (type(aseguradora) is not int or aseguradora < 1):
            raise MensajeInvalido("id_aseguradora inválido")
    except (KeyError, ValueError) as exc:
        raise MensajeInvalido(f"evento ilegible: {type(exc).__name__}") from None
    return datos


def _fecha(texto: str) -> datetime:
    return datetime.fromisoformat(texto.replace("Z", "+00:00"))


class Remitente:
    """Delivers the messages of one invocation; `contexto` (Lambda's) says how much time is left."""

    def __init__(self, contexto: Any = None) -> None:
        self.contexto = contexto
        self.intentos = 0
        # One Query per insurer and topic per invocation: a batch's events of one insurer share it.
        self._suscripciones: dict[tuple[int, str], list[dict[str, Any]]] = {}

    def mensaje(self, cuerpo: str) -> None:
        try:
            mensaje = jsoncodec.loads(cuerpo)
        except ValueError:
            raise MensajeInvalido("el mensaje no es JSON") from None
        if not isinstance(mensaje, dict):
            raise MensajeInvalido("el mensaje no es un objeto")
        if "reintento" in mensaje:
            self._reintento(_evento(mensaje.get("evento")), mensaje["reintento"])
            return
        evento = _evento(mensaje.get("detail"))
        if evento.get("id_aseguradora") is None:
            return  # an expediente without insurer: no insurer's subscription hears of it
        clave = (evento["id_aseguradora"], evento["topico"])
        if clave not in self._suscripciones:
            self._suscripciones[clave] = suscripciones.de_aseguradora(*clave)
        for suscripcion in self._suscripciones[clave]:
            self._intentar(suscripcion, evento, 1, ahora())

    def _reintento(self, evento: dict[str, Any], reintento: Any) -> None:
        try:
            id_suscripcion = str(reintento["suscripcion"])
            intento = int(reintento["intento"])
            primer_intento = str(reintento["primer_intento"])
            no_antes = _fecha(str(reintento["no_antes"]))
        except (KeyError, TypeError, ValueError):
            raise MensajeInvalido("reintento ilegible") from None
        faltan = (no_antes - dates.reloj()).total_seconds()
        if faltan > 1:
            self._encolar(evento, reintento, int(faltan))  # waits longer than SQS's 15 minutes, in hops
            return
        suscripcion = table.get(keys.suscripcion(id_suscripcion))
        vigente = (
            suscripcion is not None
            and suscripcion.get("activa") is True
            and entero(suscripcion.get("id_aseguradora")) == evento.get("id_aseguradora")
            and evento["topico"] in (suscripcion.get("eventos") or [])
        )
        if not vigente:
            logger.info(
                "Reintento descartado: la suscripción ya no existe o cambió", extra={"id_suscripcion": id_suscripcion}
            )
            return
        assert suscripcion is not None
        self._intentar(suscripcion, evento, intento, primer_intento)

    def _intentar(
        self, suscripcion: Mapping[str, Any], evento: dict[str, Any], intento: int, primer_intento: str
    ) -> None:
        self._asegurar_tiempo()
        cuerpo = cuerpo_de(evento)
        fecha = ahora()
        cabeceras = {
            "Content-Type": "application/json",
            "User-Agent": AGENTE,
            CABECERA_FIRMA: firmar(cuerpo, str(suscripcion["secreto"])),
            CABECERA_TOPICO: evento["topico"],
            CABECERA_EVENTO: evento["id"],
            CABECERA_FECHA: fecha,
        }
        resultado = red.enviar(str(suscripcion["url"]), cuerpo, cabeceras)
        self.intentos += 1
        siguiente: str | None = None
        abandonado = False
        if resultado.reintentable:
            retraso = espera(intento)
            momento = dates.reloj() + timedelta(seconds=retraso)
            if momento - _fecha(primer_intento) > timedelta(seconds=settings().plazo_reintentos):
                abandonado = True
            else:
                siguiente = iso(momento)
        self._registrar(
            suscripcion,
            evento,
            intento=intento,
            fecha=fecha,
            resultado=resultado,
            siguiente=siguiente,
            abandonado=abandonado,
        )
        contexto = {"id_suscripcion": suscripcion["id"], "id_evento": evento["id"], "intento": intento}
        if resultado.exitoso:
            contar(Metrica.WEBHOOK_ENTREGADO)
            logger.info("Webhook entregado", extra={**contexto, "status": resultado.status})
            return
        contar(Metrica.WEBHOOK_FALLIDO)
        logger.warning("Webhook no entregado", extra={**contexto, "status": resultado.status, "error": resultado.error})
        reintento = {
            "suscripcion": suscripcion["id"],
            "intento": intento + 1,
            "primer_intento": primer_intento,
            "no_antes": siguiente,
        }
        if siguiente is not None:
            self._encolar(evento, reintento, espera(intento))
        elif abandonado:
            contar(Metrica.WEBHOOK_ABANDONADO)
            logger.error("Webhook abandonado tras agotar los reintentos", extra=contexto)
            cliente("sqs").send_message(
                QueueUrl=settings().cola_entregas_dlq,
                MessageBody=jsoncodec.dumps({"evento": evento, "reintento": reintento, "motivo": resultado.error}),
            )

    def _encolar(self, evento: Mapping[str, Any], reintento: Mapping[str, Any], retraso: int) -> None:
        cliente("sqs").send_message(
            QueueUrl=settings().cola_entregas,
            MessageBody=jsoncodec.dumps({"evento": evento, "reintento": reintento}),
            DelaySeconds=max(0, min(retraso, RETRASO_MAXIMO_SQS)),
        )

    def _registrar(
        self,
        suscripcion: Mapping[str, Any],
        evento: Mapping[str, Any],
        *,
        intento: int,
        fecha: str,
        resultado: red.Resultado,
        siguiente: str | None,
        abandonado: bool,
    ) -> None:
        """The attempt in the subscription's log. A log write that fails is only logged: failing the message
        would deliver the event again to every subscriber."""
        error = resultado.error
        if abandonado:
            error = f"{error}; reintentos agotados"
        item = {
            **keys.entrega(str(suscripcion["id"]), fecha, str(evento["id"]), intento),
            "tipo": suscripciones.TIPO_ENTREGA,
            "id_evento": evento["id"],
            "topico": evento["topico"],
            "intento": intento,
            "codigo_http": resultado.status,
            "latencia_ms": resultado.latencia_ms,
            "error": error,
            "fecha": fecha,
            "siguiente_intento": siguiente,
            "expira": int(dates.reloj().timestamp()) + suscripciones.DIAS_BITACORA * 86_400,
        }
        try:
            table.put({k: v for k, v in item.items() if v is not None})
        except ServicioNoDisponible:
            logger.warning("No se registró el intento de entrega", extra={"id_evento": evento["id"]})

    def _asegurar_tiempo(self) -> None:
        """Another delivery only if it can end before the invocation does (the first one always starts)."""
        if self.contexto is None or not self.intentos:
            return
        restante = self.contexto.get_remaining_time_in_millis()
        if restante < (settings().timeout_webhook + 5) * 1000:
            logger.info("Sin tiempo para otra entrega; el mensaje vuelve a la cola", extra={"restante_ms": restante})
            raise SinTiempo()


def procesar(evento: Mapping[str, Any], contexto: Any) -> dict[str, Any]:
    """The sender's handler body: one record at a time, Powertools' partial response for the failed ones."""
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

    remitente = Remitente(contexto)

    # Powertools passes the record by keyword (`record=`).
    def por_registro(record: SQSRecord) -> None:
        try:
            remitente.mensaje(record.body)
        except MensajeInvalido as exc:
            logger.error("Mensaje de entrega inválido", extra={"message_id": record.message_id, "motivo": str(exc)})
            raise

    procesador = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    respuesta = process_partial_response(
        event=dict(evento), record_handler=por_registro, processor=procesador, context=contexto
    )
    return dict(respuesta)
