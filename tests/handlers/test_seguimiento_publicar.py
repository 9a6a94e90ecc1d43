"""The publisher: stream records of outbox items → the EventBridge bus, once each, with partial batch failures."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from monitor.core import keys, table
from monitor.core.settings import settings
from monitor.seguimiento import aws
from tests.apoyo.checklists import aprobar_checklist
from tests.apoyo.expedientes import RUTA, nuevo
from tests.apoyo.ordenes import crear_cliente, recibir
from tests.handlers.test_seguimiento_apoyo import (
    aseguradora_nueva,
    cliente_aws,
    cola_nueva,
    mensajes,
    outbox,
    por_topico,
    publicable,
    registro_stream,
)
from tools import funciones

Invocar = Callable[..., dict[str, Any]]


class Bus:
    """A bus of this test whose every event lands in a queue, so what was published can be read back."""

    def __init__(self) -> None:
        self.nombre = f"bus-prueba-{uuid.uuid4().hex[:8]}"
        self.cola = cola_nueva("publicados")
        eventbridge, sqs = cliente_aws("events"), cliente_aws("sqs")
        eventbridge.create_event_bus(Name=self.nombre)
        arn = sqs.get_queue_attributes(QueueUrl=self.cola, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        eventbridge.put_rule(Name="todo", EventBusName=self.nombre, EventPattern=json.dumps({"source": ["monitor"]}))
        eventbridge.put_targets(Rule="todo", EventBusName=self.nombre, Targets=[{"Id": "cola", "Arn": arn}])

    def publicados(self) -> list[dict[str, Any]]:
        return [json.loads(m["Body"]) for m in mensajes(self.cola)]


@pytest.fixture
def bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[Bus]:
    propio = Bus()
    monkeypatch.setenv("MONITOR_EVENT_BUS", propio.nombre)
    settings.cache_clear()
    yield propio
    monkeypatch.undo()
    settings.cache_clear()


@pytest.fixture(scope="module")
def publicador() -> Any:
    return funciones.cargar("seguimiento_publicar")


def publicar(modulo: Any, registros: list[dict[str, Any]]) -> dict[str, Any]:
    return dict(funciones.invocar(modulo, {"Records": registros}, "seguimiento_publicar"))


def test_each_outbox_item_is_published_once_with_the_event_as_detail(  # noqa: PLR0917 - fixtures
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], bus: Bus, publicador: Any, dynamo_requests: Any
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no, id_aseguradora=1, fecha_autorizacion="2024-03-16")
    items = [i for i in outbox(no) if "expandir" not in i]
    registros = [registro_stream(i) for i in items]
    dynamo_requests.reiniciar()

    respuesta = publicar(publicador, registros)

    assert respuesta == {"batchItemFailures": []}
    assert dynamo_requests.llamadas == {"BatchGetItem": 1, "BatchWriteItem": 1}
    publicados = bus.publicados()
    assert sorted(p["detail-type"] for p in publicados) == ["expediente.creado", "expediente.hito"]
    assert {p["source"] for p in publicados} == {"monitor"}
    por_tema = sorted((p["detail"] for p in publicados), key=lambda d: str(d["topico"]))
    assert por_tema == sorted((publicable(i) for i in items), key=lambda d: str(d["topico"]))
    # the same records again (a retried batch): nothing is published twice
    assert publicar(publicador, registros) == {"batchItemFailures": []}
    assert bus.publicados() == []


def test_a_poison_record_is_reported_alone_and_the_others_go_out(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], bus: Bus, publicador: Any
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no, id_aseguradora=1, fecha_autorizacion="2024-03-16", fecha_pzas_completas="2024-03-17")
    buenos = [registro_stream(i) for i in outbox(no) if "expandir" not in i]
    malo = registro_stream({**keys.evento(no, "2024-01-01T00:00:00.000Z", "x"), "tipo": "evento", "topico": "otro"})
    sin_imagen = registro_stream(outbox(no)[0])
    del sin_imagen["dynamodb"]["NewImage"]
    lote = [buenos[0], malo, buenos[1], sin_imagen, buenos[2]]

    respuesta = publicar(publicador, lote)

    fallidos = [f["itemIdentifier"] for f in respuesta["batchItemFailures"]]
    assert fallidos == [malo["dynamodb"]["SequenceNumber"], sin_imagen["dynamodb"]["SequenceNumber"]]
    assert len(bus.publicados()) == 3


def test_a_record_eventbridge_refuses_is_retried_alone(  # noqa: PLR0917 - fixtures
    invocar: Invocar,
    operador: Any,
    siniestro: Callable[[], str],
    bus: Bus,
    publicador: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no, id_aseguradora=1, fecha_autorizacion="2024-03-16")
    registros = [registro_stream(i) for i in outbox(no) if "expandir" not in i]
    eventbridge = aws.cliente("events")
    original = eventbridge.put_events

    def rechaza_el_segundo(**kwargs: Any) -> dict[str, Any]:
        respuesta = original(Entries=kwargs["Entries"][:1])
        return {"FailedEntryCount": 1, "Entries": [*respuesta["Entries"], {"ErrorCode": "InternalFailure"}]}

    monkeypatch.setattr(eventbridge, "put_events", rechaza_el_segundo)
    respuesta = publicar(publicador, registros)
    monkeypatch.undo()

    assert respuesta == {"batchItemFailures": [{"itemIdentifier": registros[1]["dynamodb"]["SequenceNumber"]}]}
    assert len(bus.publicados()) == 1
    # Lambda retries from the failed record: only it goes out now
    assert publicar(publicador, registros[1:]) == {"batchItemFailures": []}
    (reintentado,) = bus.publicados()
    assert reintentado["detail"]["id"] == registros[1]["dynamodb"]["NewImage"]["id"]["S"]


def test_the_units_status_goes_to_each_linked_order_of_the_claims_insurer(
    invocar: Invocar, admin: Any, siniestro: Callable[[], str], bus: Bus, publicador: Any
) -> None:
    aseguradora = aseguradora_nueva()
    no = siniestro()
    cliente = crear_cliente(aseguradora)
    vigente = recibir(invocar, cliente, claim=no)
    cancelada = recibir(invocar, cliente, claim=no)
    table.update(keys.orden_en_expediente(no, cancelada["serviceOrderId"]), "SET estado = :c", {":c": "Cancelada"})
    recibir(invocar, crear_cliente(aseguradora_nueva()), claim=no)  # another insurer's order, same claim number
    nuevo(invocar, admin, no, id_aseguradora=aseguradora)
    (estatus,) = por_topico(outbox(no), "orden_servicio.estatus_cambiado")
    registro = registro_stream(estatus)

    assert publicar(publicador, [registro]) == {"batchItemFailures": []}

    (publicado,) = bus.publicados()
    assert publicado["detail-type"] == "orden_servicio.estatus_cambiado"
    detalle = publicado["detail"]
    assert detalle["id_aseguradora"] == aseguradora
    assert detalle["datos"] == {
        "serviceOrderId": vigente["serviceOrderId"],
        "serviceOrderGuid": vigente["serviceOrderGuid"],
        "serviceOrderNumber": vigente["serviceOrderNumber"],
        "insuranceClaimNumber": no,
        "estatus": "unidad_recibida",
        "fecha": estatus["fecha"],
    }
    # a record delivered again after its marker was lost repeats the same event id
    table.delete(keys.evento_publicado(estatus["PK"], estatus["id"]))
    publicar(publicador, [registro])
    assert [p["detail"]["id"] for p in bus.publicados()] == [detalle["id"]]


def test_delivery_to_salida_reports_the_unit_delivered(
    invocar: Invocar, admin: Any, siniestro: Callable[[], str], bus: Bus, publicador: Any
) -> None:
    no = siniestro()
    nuevo(invocar, admin, no, id_aseguradora=1, unidad_terminada="2024-04-01", doc_finiquito=True)
    orden = recibir(invocar, crear_cliente(1), claim=no)
    aprobar_checklist(invocar, admin, no)  # what Salida needs of the exit checklist
    for estado in ("Restauracion", "Pendiente_de_salida", "Salida"):
        r = invocar(
            "expedientes_estado",
            "PATCH",
            RUTA + "/estado",
            llamante=admin,
            ruta_params={"no_siniestro": no},
            cuerpo={"estado": estado},
        )
        assert r["statusCode"] == 200
    entregas = [
        i
        for i in por_topico(outbox(no), "orden_servicio.estatus_cambiado")
        if i["datos"]["estatus"] == "unidad_entregada"
    ]

    publicar(publicador, [registro_stream(i) for i in entregas])

    (publicado,) = bus.publicados()
    assert publicado["detail"]["datos"]["serviceOrderId"] == orden["serviceOrderId"]
    assert publicado["detail"]["datos"]["estatus"] == "unidad_entregada"
