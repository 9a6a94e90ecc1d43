"""Seguimiento in the bench: the publisher's and the sender's warm cost per event (section 2, with their bare
floors, and their requests in section 3), and events per second through the whole local pipeline (section 6:
the gateway's event source mappings, tools/seguimiento_local.py, from the table's stream to a webhook).
"""

from __future__ import annotations

import hashlib
import http.client
import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bench.escenarios import CUERPO_EXPEDIENTE, Banco, Escenario, Evento, Grupo, Personal, existe
from tools import funciones, plantilla

LOTE_STREAM = 10  # outbox inserts per publisher batch in the warm scenario
EVENTOS_PIPELINE = 40
ESPERA_PIPELINE = 300.0  # seconds: a bound, not a target (moto's GSI queries scan the whole table)


class Receptor:
    """A subscriber on loopback answering 200 at once; counts what arrives."""

    def __init__(self) -> None:
        propio = self
        self.recibidos = 0
        self.llego = threading.Condition()

        class Manejador(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()
                with propio.llego:
                    propio.recibidos += 1
                    propio.llego.notify_all()

            def log_message(self, *_: Any) -> None:
                pass

        self.servidor = ThreadingHTTPServer(("127.0.0.1", 0), Manejador)
        self.servidor.daemon_threads = True
        threading.Thread(target=self.servidor.serve_forever, daemon=True).start()

    @property
    def puerto(self) -> int:
        return int(self.servidor.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.puerto}/hook"

    def esperar(self, cuantos: int, segundos: float) -> bool:
        with self.llego:
            return self.llego.wait_for(lambda: self.recibidos >= cuantos, timeout=segundos)

    def detener(self) -> None:
        self.servidor.shutdown()
        self.servidor.server_close()


def _suscribir(url: str) -> tuple[int, dict[str, Any]]:
    """A fresh insurer with one subscription to every topic."""
    from monitor.aseguradoras import servicio as aseguradoras
    from monitor.core import keys, table
    from monitor.seguimiento.eventos import Topico

    id_aseguradora = int(aseguradoras.crear(f"Aseguradora banco {uuid.uuid4().hex[:8]}")["id"])
    id_suscripcion = uuid.uuid4().hex
    item = {
        **keys.suscripcion(id_suscripcion),
        **keys.listas_suscripcion(id_suscripcion, id_aseguradora, "2024-01-01T00:00:00.000Z"),
        "tipo": "suscripcion",
        "id": id_suscripcion,
        "url": url,
        "eventos": [t.value for t in Topico],
        "id_aseguradora": id_aseguradora,
        "secreto": uuid.uuid4().hex,
        "activa": True,
    }
    table.put(item)
    return id_aseguradora, item


def _outbox(no: str, n: int, banco: Banco | None = None) -> list[dict[str, Any]]:
    """`n` outbox items written as a change writes them (one transaction), without an insurer: published to the
    bus, routed to no queue, so the publisher's cost is measured alone. With `banco`, through its bare client
    (the floor's side: the layer's client is the one whose requests section 3 counts)."""
    from monitor.core import table
    from monitor.core.dates import ahora
    from monitor.seguimiento import eventos

    momento = ahora()
    lista = [
        eventos.Evento(
            eventos.Topico.EXPEDIENTE_ESTADO_CAMBIADO,
            no,
            momento,
            None,
            {"no_siniestro": no, "estado_anterior": "Ingreso", "estado_nuevo": "Restauracion", "fecha_cambio": momento},
            paso=f"e{i}",
        )
        for i in range(n)
    ]
    items = [e.item() for e in lista]
    if banco is not None:
        banco.crudo.transact_write_items(
            TransactItems=[{"Put": {"TableName": banco.tabla, "Item": table.a_dynamo(i)}} for i in items]
        )
        return items
    transaccion = table.Transaccion()
    eventos.agregar(transaccion, lista)
    transaccion.ejecutar()
    return items


def _registro(item: dict[str, Any], secuencia: int) -> dict[str, Any]:
    from monitor.core import table

    return {
        "eventID": uuid.uuid4().hex,
        "eventName": "INSERT",
        "eventSource": "aws:dynamodb",
        "dynamodb": {
            "Keys": table.a_dynamo({"PK": item["PK"], "SK": item["SK"]}),
            "NewImage": table.a_dynamo(item),
            "SequenceNumber": str(secuencia),
            "StreamViewType": "NEW_IMAGE",
        },
    }


def _sqs(cuerpo: str) -> Evento:
    return {
        "Records": [
            {
                "messageId": str(uuid.uuid4()),
                "receiptHandle": uuid.uuid4().hex,
                "body": cuerpo,
                "attributes": {},
                "messageAttributes": {},
                "md5OfBody": hashlib.md5(cuerpo.encode()).hexdigest(),  # noqa: S324 - SQS's checksum
                "eventSource": "aws:sqs",
            }
        ]
    }


def grupos(banco: Banco) -> list[Grupo]:
    """The two warm scenarios; their floors issue the same bare requests (boto3, http.client)."""
    if not (existe("seguimiento_publicar") and existe("seguimiento_enviar")):
        return []
    import boto3

    from monitor.core.settings import settings

    eventbridge = boto3.client("events", endpoint_url=banco.local.endpoint)
    receptor = Receptor()
    banco.receptor = receptor  # type: ignore[attr-defined]  # stopped with the local AWS
    id_aseguradora, suscripcion = _suscribir(receptor.url)
    secuencias = iter(range(10**20, 10**21))
    no_h, no_p = banco.siniestro("PUBH"), banco.siniestro("PUBP")

    def evento_publicar(_i: int) -> Evento:
        return {"Records": [_registro(item, next(secuencias)) for item in _outbox(no_h, LOTE_STREAM)]}

    def piso_publicar(_i: int) -> None:
        items = _outbox(no_p, LOTE_STREAM, banco)
        claves = [{"PK": {"S": i["PK"]}, "SK": {"S": f"PUB#{i['id']}"}} for i in items]
        banco.crudo.batch_get_item(RequestItems={banco.tabla: {"Keys": claves}})
        eventbridge.put_events(
            Entries=[
                {
                    "Source": "monitor",
                    "DetailType": i["topico"],
                    "Detail": json.dumps({k: i[k] for k in ("id", "topico", "fecha", "id_aseguradora", "datos")}),
                    "EventBusName": settings().bus_eventos,
                }
                for i in items
            ]
        )
        banco.crudo.batch_write_item(RequestItems={banco.tabla: [{"PutRequest": {"Item": c}} for c in claves]})

    def evento_enviar(i: int) -> Evento:
        detalle = {
            "id": str(uuid.uuid4()),
            "topico": "expediente.hito",
            "fecha": "2024-03-20T10:30:00.000Z",
            "id_aseguradora": id_aseguradora,
            "datos": {"no_siniestro": "BENCH", "hito": "en_reparacion", "fecha": "2024-03-20T10:30:00.000Z"},
        }
        return _sqs(json.dumps({"detail-type": detalle["topico"], "source": "monitor", "detail": detalle}))

    clave_gsi = {
        ":pk": {"S": f"SUSCRIPCIONES#ASEG#{id_aseguradora}"},
        ":t": {"S": "expediente.hito"},
        ":si": {"BOOL": True},
    }

    def piso_enviar(i: int) -> None:
        banco.crudo.query(
            TableName=banco.tabla,
            IndexName="GSI2",
            KeyConditionExpression="GSI2PK = :pk",
            FilterExpression="contains(eventos, :t) AND activa = :si",
            ExpressionAttributeValues=clave_gsi,
        )
        conexion = http.client.HTTPConnection("127.0.0.1", receptor.puerto, timeout=10)
        conexion.request("POST", "/hook", body=b'{"id":"x"}', headers={"Content-Type": "application/json"})
        conexion.getresponse().read()
        conexion.close()
        banco.crudo.put_item(
            TableName=banco.tabla,
            Item={"PK": {"S": f"SUS#{suscripcion['id']}"}, "SK": {"S": f"ENT#piso#{i}"}, "codigo_http": {"N": "200"}},
        )

    def limpiar() -> None:
        from monitor.core import table

        for no in (no_h, no_p):
            claves = table.query_todo("PK = :pk", {":pk": f"EXP#{no}"})
            table.borrar_varios([{"PK": c["PK"], "SK": c["SK"]} for c in claves])
        bitacora = table.query_todo("PK = :pk", {":pk": f"SUS#{suscripcion['id']}"})
        table.borrar_varios([{"PK": c["PK"], "SK": c["SK"]} for c in bitacora if c["SK"] != "SUS"])

    publicar = Escenario(
        f"publicar (lote de {LOTE_STREAM})", "seguimiento_publicar", evento_publicar, {200}, piso_publicar
    )
    enviar = Escenario("enviar (1 webhook)", "seguimiento_enviar", evento_enviar, {200}, piso_enviar)
    return [Grupo([publicar], limpiar), Grupo([enviar], limpiar)]


@dataclass
class Rendimiento:
    eventos: int
    escritura_s: float
    total_s: float
    completo: bool


@contextmanager
def _tuberia(banco: Banco) -> Iterator[None]:
    """The gateway's event source mappings (tools/seguimiento_local.py) over the bench's local AWS."""
    from tools import seguimiento_local

    fuentes = {f.funcion: f for f in plantilla.fuentes_de_eventos()}
    modulos = {nombre: funciones.cargar(f.codigo) for nombre, f in fuentes.items()}
    cerrojos = {nombre: threading.Lock() for nombre in fuentes}

    def invocar(funcion: str, evento: dict[str, Any]) -> Any:
        with cerrojos[funcion]:  # one "container" per function, one invocation at a time
            return funciones.invocar(modulos[funcion], evento, funcion, timeout_s=fuentes[funcion].timeout_s)

    tuberia = seguimiento_local.Seguimiento(banco.local, invocar, lambda *_a, **_k: None)
    tuberia.iniciar()
    try:
        yield
    finally:
        tuberia.detener()


def rendimiento(banco: Banco, op: Personal) -> Rendimiento:
    """`EVENTOS_PIPELINE` expedientes created through the handler, each an `expediente.creado` for a subscribed
    insurer: from the first write until the last webhook arrived."""
    receptor = Receptor()
    try:
        id_aseguradora, _ = _suscribir(receptor.url)
        with _tuberia(banco):
            inicio = time.perf_counter()
            for _ in range(EVENTOS_PIPELINE):
                crear_con_aseguradora(banco, op, banco.siniestro("PIPE"), id_aseguradora)
            escritura = time.perf_counter() - inicio
            completo = receptor.esperar(EVENTOS_PIPELINE, ESPERA_PIPELINE)
            total = time.perf_counter() - inicio
        return Rendimiento(receptor.recibidos, escritura, total, completo)
    finally:
        receptor.detener()


def crear_con_aseguradora(banco: Banco, op: Personal, no: str, id_aseguradora: int) -> None:
    cuerpo = {**CUERPO_EXPEDIENTE, "no_siniestro": no, "id_aseguradora": id_aseguradora}
    evento = banco.evento("POST", "/api/expedientes", cuerpo=cuerpo, llamante=op.contexto)
    banco.llamar("expedientes_create", evento, {201})


def main() -> None:
    """`python -m bench.seguimiento`: the pipeline's throughput on a local AWS of its own, as one JSON line."""
    from bench.escenarios import crear_personal, sin_stdout

    banco = Banco()
    try:
        op = crear_personal(banco)
        with sin_stdout():
            medido = rendimiento(banco, op)
    finally:
        banco.detener()
    print(json.dumps(medido.__dict__))


if __name__ == "__main__":
    main()
