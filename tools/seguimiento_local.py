"""Lambda's event source mappings for a local run: what AWS does between the table, the bus, the queues and
seguimiento's functions, done by threads of the local gateway against moto (docs/seguimiento.md#local).

- The table's stream: DescribeStream / GetShardIterator (LATEST, from the moment the gateway starts) /
  GetRecords, each record turned into the record Lambda hands over, kept only if the mapping's
  FilterCriteria matches (evaluated with moto's EventBridge pattern matcher: Lambda's filters use the same
  syntax), and given to the publisher in batches of the mapping's BatchSize. The records a batch reports as
  failed are retried, as Lambda does, from the first one, up to MaximumRetryAttempts; then they go to the
  OnFailure queue.
- Each SQS source: ReceiveMessage (long polling), the SQS event Lambda builds, the function, and
  DeleteMessage for every record not listed in batchItemFailures; the others come back after the queue's
  visibility timeout and, past maxReceiveCount, moto moves them to the dead-letter queue.

EventBridge's rules (bus → queue) run inside moto itself, from the template's own patterns and targets.
"""

from __future__ import annotations

import json
import threading
import time
import traceback
from collections.abc import Callable
from datetime import datetime
from typing import Any

from tools import plantilla
from tools.aws_local import REGION, AwsLocal, _cliente

Invocar = Callable[[str, dict[str, Any]], Any]
Log = Callable[..., None]
PAUSA = 0.2


def _logico(getatt: dict[str, Any]) -> str:
    """The logical id of `!GetAtt X.Arn` (a string in the short form, a list in the long one)."""
    atributo = getatt["Fn::GetAtt"]
    return str(atributo[0] if isinstance(atributo, list) else atributo.split(".", 1)[0])


def _epoca(valor: Any) -> Any:
    """moto gives ApproximateCreationDateTime as text; Lambda's records carry epoch seconds."""
    if isinstance(valor, str):
        try:
            return datetime.fromisoformat(valor).timestamp()
        except ValueError:
            return valor
    if isinstance(valor, datetime):
        return valor.timestamp()
    return valor


class Flujo:
    """The table's stream → the function of the DynamoDB event source."""

    def __init__(self, local: AwsLocal, fuente: plantilla.FuenteEventos, invocar: Invocar, log: Log) -> None:
        from moto.events.models import EventPattern

        self.local, self.fuente, self.invocar, self.log = local, fuente, invocar, log
        props = fuente.propiedades
        self.lote = int(props.get("BatchSize", 100))
        self.reintentos = int(props.get("MaximumRetryAttempts", 2))
        filtros = (props.get("FilterCriteria") or {}).get("Filters") or []
        self.patrones = [EventPattern(f["Pattern"], json.loads(f["Pattern"])) for f in filtros]
        destino = ((props.get("DestinationConfig") or {}).get("OnFailure") or {}).get("Destination")
        self.cola_fallos = local.url_cola(_logico(destino)) if isinstance(destino, dict) else None
        self.pendientes: list[dict[str, Any]] = []
        self.intentos = 0
        self.listo = threading.Event()  # set once the LATEST iterator is taken: later writes will be read

    def _pasa(self, registro: dict[str, Any]) -> bool:
        return not self.patrones or any(p.matches_event(registro) for p in self.patrones)

    def correr(self, parar: threading.Event) -> None:
        dynamodb = _cliente("dynamodb", self.local)
        flujos = _cliente("dynamodbstreams", self.local)
        arn = dynamodb.describe_table(TableName=self.local.tabla)["Table"]["LatestStreamArn"]
        fragmento = flujos.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        iterador = flujos.get_shard_iterator(StreamArn=arn, ShardId=fragmento, ShardIteratorType="LATEST")[
            "ShardIterator"
        ]
        self.listo.set()
        while not parar.is_set():
            respuesta = flujos.get_records(ShardIterator=iterador, Limit=1000)
            iterador = respuesta["NextShardIterator"]
            for registro in respuesta.get("Records", []):
                registro["dynamodb"]["ApproximateCreationDateTime"] = _epoca(
                    registro["dynamodb"].get("ApproximateCreationDateTime")
                )
                registro["eventSourceARN"] = arn
                if self._pasa(registro):
                    self.pendientes.append(registro)
            if self.pendientes:
                self._entregar()
            else:
                parar.wait(PAUSA)

    def _entregar(self) -> None:
        lote = self.pendientes[: self.lote]
        try:
            resultado = self.invocar(self.fuente.funcion, {"Records": lote})
            fallidos = {f["itemIdentifier"] for f in (resultado or {}).get("batchItemFailures", [])}
        except Exception:
            self.log(f"[seguimiento] {self.fuente.funcion} falló:\n{traceback.format_exc()}", error=True)
            fallidos = {r["dynamodb"]["SequenceNumber"] for r in lote}
        if not fallidos:
            del self.pendientes[: len(lote)]
            self.intentos = 0
            return
        # Lambda checkpoints before the first failed record and retries from it.
        primero = min(i for i, r in enumerate(lote) if r["dynamodb"]["SequenceNumber"] in fallidos)
        del self.pendientes[:primero]
        self.intentos += 1
        if self.intentos > self.reintentos:
            abandonado = self.pendientes.pop(0)
            self.intentos = 0
            self.log(f"[seguimiento] registro del stream abandonado: {abandonado['dynamodb']['SequenceNumber']}")
            if self.cola_fallos:
                _cliente("sqs", self.local).send_message(
                    QueueUrl=self.cola_fallos, MessageBody=json.dumps({"DDBStreamBatchInfo": abandonado["dynamodb"]})
                )
        else:
            time.sleep(PAUSA)


class Cola:
    """One SQS queue → the function of its SQS event source."""

    def __init__(self, local: AwsLocal, fuente: plantilla.FuenteEventos, invocar: Invocar, log: Log) -> None:
        self.local, self.fuente, self.invocar, self.log = local, fuente, invocar, log
        logico = _logico(fuente.propiedades["Queue"])
        self.url = local.url_cola(logico)
        self.arn = local.arn(logico)
        self.lote = min(int(fuente.propiedades.get("BatchSize", 10)), 10)

    def correr(self, parar: threading.Event) -> None:
        sqs = _cliente("sqs", self.local)
        while not parar.is_set():
            mensajes = sqs.receive_message(
                QueueUrl=self.url,
                MaxNumberOfMessages=self.lote,
                WaitTimeSeconds=1,
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
            ).get("Messages", [])
            if not mensajes:
                continue
            registros = [
                {
                    "messageId": m["MessageId"],
                    "receiptHandle": m["ReceiptHandle"],
                    "body": m["Body"],
                    "attributes": m.get("Attributes", {}),
                    "messageAttributes": m.get("MessageAttributes", {}),
                    "md5OfBody": m.get("MD5OfBody", ""),
                    "eventSource": "aws:sqs",
                    "eventSourceARN": self.arn,
                    "awsRegion": REGION,
                }
                for m in mensajes
            ]
            try:
                resultado = self.invocar(self.fuente.funcion, {"Records": registros})
                fallidos = {f["itemIdentifier"] for f in (resultado or {}).get("batchItemFailures", [])}
            except Exception:
                self.log(f"[seguimiento] {self.fuente.funcion} falló:\n{traceback.format_exc()}", error=True)
                continue  # every message comes back after the visibility timeout
            entregados = [r for r in registros if r["messageId"] not in fallidos]
            if entregados:
                sqs.delete_message_batch(
                    QueueUrl=self.url,
                    Entries=[{"Id": str(i), "ReceiptHandle": r["receiptHandle"]} for i, r in enumerate(entregados)],
                )


class Seguimiento:
    """Every DynamoDB and SQS event source of the template, each in a daemon thread."""

    def __init__(self, local: AwsLocal, invocar: Invocar, log: Log) -> None:
        self.parar = threading.Event()
        self.trabajos: list[Flujo | Cola] = []
        for fuente in plantilla.fuentes_de_eventos():
            if fuente.tipo == "DynamoDB":
                self.trabajos.append(Flujo(local, fuente, invocar, log))
            else:
                self.trabajos.append(Cola(local, fuente, invocar, log))
        self.log = log
        self.hilos: list[threading.Thread] = []

    def iniciar(self, espera_s: float = 30.0) -> None:
        """Starts the threads and returns once the stream readers hold their iterators (or `espera_s` passed):
        a change made after this returns is published."""
        for trabajo in self.trabajos:
            hilo = threading.Thread(target=self._correr, args=(trabajo,), daemon=True, name=trabajo.fuente.funcion)
            hilo.start()
            self.hilos.append(hilo)
        limite = time.monotonic() + espera_s
        for trabajo in self.trabajos:
            if isinstance(trabajo, Flujo) and not trabajo.listo.wait(max(0.0, limite - time.monotonic())):
                self.log("[seguimiento] el lector del stream no arrancó a tiempo", error=True)

    def _correr(self, trabajo: Flujo | Cola) -> None:
        while not self.parar.is_set():
            try:
                trabajo.correr(self.parar)
            except Exception:
                self.log(
                    f"[seguimiento] {trabajo.fuente.funcion}: se reinicia tras un error:\n{traceback.format_exc()}",
                    error=True,
                )
                self.parar.wait(2)

    def detener(self) -> None:
        self.parar.set()
        for hilo in self.hilos:
            hilo.join(timeout=5)
