"""The outbox's way out: the table's stream (filtered to `OUT#` inserts) → the custom EventBridge bus.

One batch costs one BatchGetItem (have these events been published already?), one PutEvents per ten
entries and one BatchWriteItem per 25 markers; an item that asks for the claim's orders (`expandir`) adds
one Query. A record that cannot be published (malformed, refused by EventBridge) is reported alone through
Powertools' partial batch response: Lambda retries from it, the markers skip what already went out, and
after the event source's retries the record goes to the dead-letter queue.

Delivery is at least once: the marker is written after PutEvents, so a crash between the two publishes
again with the SAME event id, which subscribers deduplicate on (docs/seguimiento.md).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from monitor.core import jsoncodec, keys, table
from monitor.core.metrics import Metrica
from monitor.core.observability import contar, logger
from monitor.core.settings import settings
from monitor.core.table import entero
from monitor.seguimiento import eventos
from monitor.seguimiento.aws import cliente

ENTRADAS_POR_PUTEVENTS = 10
ESPACIO_IDS = uuid.UUID("5d1c3a52-8f0e-4c55-9a3b-0b1c2d3e4f50")  # fan-out ids: uuid5(outbox id, order id)
CANCELADA = "Cancelada"  # monitor.ordenes.campos.EstadoOrden (ordenes imports this package, not the reverse)


class RegistroInvalido(Exception):
    """A stream record that is not an outbox item the publisher understands (a poison record)."""


class PublicacionFallida(Exception):
    """EventBridge refused (or did not take) one of the record's entries; the record is retried."""


@dataclass
class _Pendiente:
    secuencia: str
    item: dict[str, Any]
    publicables: list[dict[str, Any]] = field(default_factory=list)
    error: Exception | None = None


def _item_de(registro: Mapping[str, Any]) -> dict[str, Any]:
    try:
        item = table.de_dynamo(registro["dynamodb"]["NewImage"])
        if item.get("tipo") != eventos.TIPO or not str(item.get("SK", "")).startswith(keys.PREFIJO_EVENTO):
            raise RegistroInvalido("no es un elemento del outbox")
        eventos.Topico(item["topico"])
        if not isinstance(item["id"], str) or not isinstance(item["datos"], dict) or not item.get("fecha"):
            raise RegistroInvalido("evento incompleto")
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise RegistroInvalido(f"registro ilegible: {type(exc).__name__}") from None
    return item


def _publicable(item: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": item["id"],
        "topico": item["topico"],
        "fecha": item["fecha"],
        "id_aseguradora": entero(item.get("id_aseguradora")),
        "datos": item["datos"],
    }


def _expandir_ordenes(item: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One `orden_servicio.estatus_cambiado` per order linked to the claim now (cancelled ones and another
    insurer's excluded), each with an id derived from the outbox item's, so a retry repeats the same ids."""
    enlaces = table.query_todo(
        "PK = :pk AND begins_with(SK, :prefijo)",
        {":pk": item["PK"], ":prefijo": keys.PREFIJO_ORDEN},
        consistente=True,
    )
    expediente = {"id_aseguradora": item.get("id_aseguradora")}
    publicables = []
    for enlace in enlaces:
        if enlace.get("estado") == CANCELADA or not eventos.mismo_asegurador(enlace, expediente):
            continue
        sid = entero(enlace.get("serviceOrderId"))
        publicables.append(
            {
                "id": str(uuid.uuid5(ESPACIO_IDS, f"{item['id']}:{sid}")),
                "topico": item["topico"],
                "fecha": item["fecha"],
                "id_aseguradora": entero(enlace.get("id_aseguradora")),
                "datos": {**eventos.referencia_orden(enlace), **item["datos"]},
            }
        )
    return publicables


def _marca(item: Mapping[str, Any]) -> dict[str, str]:
    return keys.evento_publicado(str(item["PK"]), str(item["id"]))


class Lote:
    """What one invocation publishes: prepared for the whole batch, then read record by record by the
    Powertools record handler (`resultado`)."""

    def __init__(self, registros: list[Mapping[str, Any]]) -> None:
        self.pendientes: dict[str, _Pendiente] = {}
        self.errores: dict[str, Exception] = {}
        self.publicados = 0
        for registro in registros:
            secuencia = str(registro.get("dynamodb", {}).get("SequenceNumber", ""))
            try:
                self.pendientes[secuencia] = _Pendiente(secuencia, _item_de(registro))
            except RegistroInvalido as exc:
                logger.error("Registro del stream inválido", extra={"secuencia": secuencia, "motivo": str(exc)})
                self.errores[secuencia] = exc

    def publicar(self) -> None:
        ya = self._ya_publicados()
        por_publicar = [p for p in self.pendientes.values() if (p.item["PK"], p.item["id"]) not in ya]
        for pendiente in por_publicar:
            try:
                if pendiente.item.get("expandir") == eventos.EXPANDIR_ORDENES:
                    pendiente.publicables = _expandir_ordenes(pendiente.item)
                else:
                    pendiente.publicables = [_publicable(pendiente.item)]
            except Exception as exc:  # a Query that failed: this record retries, the others go on
                logger.warning("No se pudieron leer las órdenes del expediente", extra={"error": type(exc).__name__})
                pendiente.error = exc
        self._enviar([p for p in por_publicar if p.error is None])
        self._marcar([p for p in por_publicar if p.error is None])
        for pendiente in por_publicar:
            if pendiente.error is not None:
                self.errores[pendiente.secuencia] = pendiente.error

    def resultado(self, secuencia: str) -> None:
        """Raises the record's failure, for the batch processor to report it alone."""
        if secuencia in self.errores:
            raise self.errores[secuencia]

    def _ya_publicados(self) -> set[tuple[str, str]]:
        claves = {(p.item["PK"], p.item["id"]): _marca(p.item) for p in self.pendientes.values()}
        marcas = table.get_varios(list(claves.values()), consistente=True) if claves else []
        encontradas = {(m["PK"], m["SK"]) for m in marcas}
        return {origen for origen, clave in claves.items() if (clave["PK"], clave["SK"]) in encontradas}

    def _enviar(self, pendientes: list[_Pendiente]) -> None:
        entradas = [(p, publicable) for p in pendientes for publicable in p.publicables]
        bus = settings().bus_eventos
        for inicio in range(0, len(entradas), ENTRADAS_POR_PUTEVENTS):
            tramo = entradas[inicio : inicio + ENTRADAS_POR_PUTEVENTS]
            try:
                respuesta = cliente("events").put_events(
                    Entries=[
                        {
                            "Source": eventos.FUENTE,
                            "DetailType": publicable["topico"],
                            "Detail": jsoncodec.dumps(publicable),
                            "EventBusName": bus,
                        }
                        for _, publicable in tramo
                    ]
                )
                resultados = respuesta.get("Entries", [])
            except Exception as exc:  # throttled or unreachable: every record of this call retries
                logger.warning("PutEvents falló", extra={"error": type(exc).__name__})
                resultados = [{"ErrorCode": type(exc).__name__}] * len(tramo)
            for (pendiente, publicable), resultado in zip(tramo, resultados, strict=False):
                if resultado.get("ErrorCode") or not resultado.get("EventId"):
                    pendiente.error = pendiente.error or PublicacionFallida(str(resultado.get("ErrorCode")))
                    logger.warning(
                        "EventBridge rechazó un evento",
                        extra={"id_evento": publicable["id"], "codigo": resultado.get("ErrorCode")},
                    )
                else:
                    self.publicados += 1
            for pendiente, _ in tramo[len(resultados) :]:
                pendiente.error = pendiente.error or PublicacionFallida("sin respuesta")

    def _marcar(self, pendientes: list[_Pendiente]) -> None:
        """Best effort: a lost marker only means a retry publishes the same event id again."""
        marcas = [
            {**_marca(p.item), "tipo": "evento_publicado", "expira": entero(p.item.get("expira"))}
            for p in pendientes
            if p.error is None
        ]
        try:
            table.escribir_varios(marcas)
        except Exception as exc:
            logger.warning("No se guardaron las marcas de publicado", extra={"error": type(exc).__name__})


def procesar(evento: Mapping[str, Any], contexto: Any) -> dict[str, Any]:
    """The publisher's handler body: the batch, then Powertools' partial response (failed records only)."""
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
    from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

    registros = list(evento.get("Records") or [])
    lote = Lote(registros)
    lote.publicar()
    if lote.publicados:
        contar(Metrica.EVENTO_PUBLICADO, lote.publicados)
    logger.info(
        "Lote del stream publicado",
        extra={"registros": len(registros), "eventos": lote.publicados, "fallidos": len(lote.errores)},
    )

    # Powertools passes the record by keyword (`record=`).
    def por_registro(record: DynamoDBRecord) -> None:
        lote.resultado(str(record.dynamodb.sequence_number if record.dynamodb else ""))

    procesador = BatchProcessor(event_type=EventType.DynamoDBStreams, raise_on_entire_batch_failure=False)
    respuesta = process_partial_response(
        event=dict(evento), record_handler=por_registro, processor=procesador, context=contexto
    )
    return dict(respuesta)
