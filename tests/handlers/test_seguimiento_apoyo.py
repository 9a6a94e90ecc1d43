"""Helpers shared by the seguimiento tests (handler and e2e): the outbox of a claim, stream records and SQS
messages as Lambda hands them over, a webhook receiver on loopback, fresh queues and buses per test.

No tests here; the module name only keeps it beside the seguimiento test files.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3

from monitor.aseguradoras import servicio as aseguradoras
from monitor.core import jsoncodec, keys, table
from tools import aws_local

_secuencia = itertools.count(10**20)


def outbox(no_siniestro: str) -> list[dict[str, Any]]:
    """The claim's outbox items, oldest first."""
    return table.query_todo(
        "PK = :pk AND begins_with(SK, :p)",
        {":pk": keys.expediente_pk(no_siniestro), ":p": keys.PREFIJO_EVENTO},
        consistente=True,
    )


def por_topico(items: list[dict[str, Any]], topico: str) -> list[dict[str, Any]]:
    return [i for i in items if i["topico"] == topico]


def registro_stream(item: dict[str, Any], secuencia: str | None = None) -> dict[str, Any]:
    """The DynamoDB stream record Lambda gives the publisher for the insert of `item`."""
    return {
        "eventID": uuid.uuid4().hex,
        "eventName": "INSERT",
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": aws_local.REGION,
        "dynamodb": {
            "ApproximateCreationDateTime": 1700000000,
            "Keys": table.a_dynamo({"PK": item["PK"], "SK": item["SK"]}),
            "NewImage": table.a_dynamo(item),
            "SequenceNumber": secuencia or str(next(_secuencia)),
            "SizeBytes": 100,
            "StreamViewType": "NEW_IMAGE",
        },
        "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2024",
    }


def registro_sqs(cuerpo: str, message_id: str | None = None) -> dict[str, Any]:
    return {
        "messageId": message_id or str(uuid.uuid4()),
        "receiptHandle": uuid.uuid4().hex,
        "body": cuerpo,
        "attributes": {"ApproximateReceiveCount": "1"},
        "messageAttributes": {},
        "md5OfBody": hashlib.md5(cuerpo.encode()).hexdigest(),
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:entregas",
        "awsRegion": aws_local.REGION,
    }


def envoltura(evento: dict[str, Any]) -> str:
    """The SQS body EventBridge writes for an event delivered by a rule."""
    return json.dumps(
        {
            "version": "0",
            "id": str(uuid.uuid4()),
            "detail-type": evento["topico"],
            "source": "monitor",
            "account": aws_local.CUENTA,
            "time": "2024-03-20T10:30:00Z",
            "region": aws_local.REGION,
            "resources": [],
            "detail": evento,
        }
    )


def publicable(item: dict[str, Any]) -> dict[str, Any]:
    """An outbox item as subscribers receive it."""
    datos = json.loads(jsoncodec.dumps(item))
    return {k: datos[k] for k in ("id", "topico", "fecha", "id_aseguradora", "datos")}


def aseguradora_nueva() -> int:
    """A fresh insurer: its subscriptions partition holds only this test's."""
    return int(aseguradoras.crear(f"Aseguradora {uuid.uuid4().hex[:10]}")["id"])


def cliente_aws(servicio: str) -> Any:
    return boto3.client(servicio, region_name=aws_local.REGION)


def cola_nueva(nombre: str) -> str:
    return str(cliente_aws("sqs").create_queue(QueueName=f"{nombre}-{uuid.uuid4().hex[:8]}")["QueueUrl"])


def mensajes(url: str, maximo: int = 10) -> list[dict[str, Any]]:
    """Everything visible in a queue now (deleted as read)."""
    sqs = cliente_aws("sqs")
    leidos: list[dict[str, Any]] = []
    while True:
        lote = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=maximo, WaitTimeSeconds=0).get("Messages", [])
        if not lote:
            return leidos
        for m in lote:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        leidos += lote


@dataclass
class Entrega:
    ruta: str
    cabeceras: dict[str, str]
    cuerpo: bytes

    def firma_valida(self, secreto: str) -> bool:
        esperada = hmac.new(secreto.encode(), self.cuerpo, hashlib.sha256).hexdigest()
        return hmac.compare_digest(self.cabeceras.get("X-Monitor-Hmac-Sha256", ""), esperada)

    @property
    def evento(self) -> dict[str, Any]:
        return dict(json.loads(self.cuerpo))


@dataclass
class Receptor:
    """A subscriber's endpoint on 127.0.0.1: records every POST and answers the statuses queued in
    `respuestas` (then 200)."""

    servidor: ThreadingHTTPServer
    entregas: list[Entrega] = field(default_factory=list)
    respuestas: list[int] = field(default_factory=list)
    llego: threading.Condition = field(default_factory=threading.Condition)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.servidor.server_address[1]}/webhooks/monitor?cliente=1"

    def esperar(self, cuantas: int, segundos: float = 30.0) -> list[Entrega]:
        """Waits (bounded) until `cuantas` deliveries arrived; returns what arrived."""
        with self.llego:
            self.llego.wait_for(lambda: len(self.entregas) >= cuantas, timeout=segundos)
            return list(self.entregas)


def receptor() -> Iterator[Receptor]:
    """Generator for a fixture: a receiver in a thread, stopped at the end."""
    estado: dict[str, Receptor] = {}

    class Manejador(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            recibido = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            propio = estado["r"]
            with propio.llego:  # recorded before answering: the sender returns only after the answer
                status = propio.respuestas.pop(0) if propio.respuestas else 200
                propio.entregas.append(Entrega(self.path, dict(self.headers.items()), recibido))
                propio.llego.notify_all()
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            pass

    servidor = ThreadingHTTPServer(("127.0.0.1", 0), Manejador)
    estado["r"] = Receptor(servidor)
    hilo = threading.Thread(target=servidor.serve_forever, daemon=True)
    hilo.start()
    yield estado["r"]
    servidor.shutdown()
    servidor.server_close()
