"""The sender: signed deliveries to a receiver on loopback, the delivery log, retries with back-off through the
queue, no retry for a 4xx, the insurer boundary, and the SSRF guard as deployed (no loopback)."""

from __future__ import annotations

import json
import socket
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from monitor.core import keys, table
from monitor.core.dates import iso
from monitor.core.settings import settings
from monitor.seguimiento.red import DESTINO_PROHIBIDO
from tests.handlers.test_seguimiento_apoyo import (
    Receptor,
    aseguradora_nueva,
    cliente_aws,
    cola_nueva,
    envoltura,
    mensajes,
    receptor,
    registro_sqs,
)
from tools import funciones, plantilla

Invocar = Callable[..., dict[str, Any]]
RUTA = "/api/suscripciones"
HOST_FALSO = "hooks.aseguradora-falsa.test"
TIMEOUT = float(plantilla.recursos()["SeguimientoEnviarFunction"]["Properties"]["Timeout"])


@pytest.fixture
def colas(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """This test's delivery queue and dead-letter queue; retries without waiting (base 0 s)."""
    propias = {"cola": cola_nueva("entregas"), "dlq": cola_nueva("entregas-dlq")}
    monkeypatch.setenv("MONITOR_DELIVERY_QUEUE_URL", propias["cola"])
    monkeypatch.setenv("MONITOR_DELIVERY_DLQ_URL", propias["dlq"])
    monkeypatch.setenv("MONITOR_WEBHOOK_RETRY_BASE", "0")
    settings.cache_clear()
    yield propias
    monkeypatch.undo()
    settings.cache_clear()


@pytest.fixture
def destino() -> Iterator[Receptor]:
    yield from receptor()


@pytest.fixture(scope="module")
def remitente() -> Any:
    return funciones.cargar("seguimiento_enviar")


def enviar(modulo: Any, *cuerpos: str) -> dict[str, Any]:
    registros = [registro_sqs(c) for c in cuerpos]
    return dict(funciones.invocar(modulo, {"Records": registros}, "seguimiento_enviar", timeout_s=TIMEOUT))


def evento(id_aseguradora: int | None, topico: str = "expediente.hito") -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "topico": topico,
        "fecha": "2024-03-20T10:30:00.000Z",
        "id_aseguradora": id_aseguradora,
        "datos": {"no_siniestro": "SIN-1", "hito": "en_reparacion", "fecha": "2024-03-20T10:30:00.000Z", "estado": "Ñ"},
    }


def suscribir(
    invocar: Invocar, admin: Any, url: str, aseguradora: int, eventos: list[str] | None = None
) -> dict[str, Any]:
    r = invocar(
        "seguimiento_suscripciones_create",
        "POST",
        RUTA,
        llamante=admin,
        cuerpo={"url": url, "eventos": eventos or ["expediente.hito"], "id_aseguradora": aseguradora},
    )
    assert r["statusCode"] == 201, r["json"]
    return dict(r["json"])


def bitacora(invocar: Invocar, admin: Any, id_: str) -> list[dict[str, Any]]:
    r = invocar("seguimiento_entregas_list", "GET", RUTA + "/{id}/entregas", llamante=admin, ruta_params={"id": id_})
    assert r["statusCode"] == 200
    return list(r["json"]["items"])


def test_each_delivery_is_signed_and_logged(  # noqa: PLR0917 - fixtures
    invocar: Invocar, admin: Any, colas: dict[str, str], destino: Receptor, remitente: Any, dynamo_requests: Any
) -> None:
    aseguradora = aseguradora_nueva()
    suscripcion = suscribir(invocar, admin, destino.url, aseguradora)
    enviado = evento(aseguradora)
    dynamo_requests.reiniciar()

    assert enviar(remitente, envoltura(enviado)) == {"batchItemFailures": []}

    assert dynamo_requests.llamadas == {"Query": 1, "PutItem": 1}
    (entrega,) = destino.entregas
    assert entrega.ruta == "/webhooks/monitor?cliente=1"
    assert entrega.firma_valida(suscripcion["secreto"])
    assert entrega.evento == enviado
    assert entrega.cabeceras["X-Monitor-Topic"] == "expediente.hito"
    assert entrega.cabeceras["X-Monitor-Event-Id"] == enviado["id"]
    assert entrega.cabeceras["X-Monitor-Timestamp"].endswith("Z")
    assert entrega.cabeceras["Content-Type"] == "application/json"
    (registro,) = bitacora(invocar, admin, suscripcion["id"])
    assert registro["id_evento"] == enviado["id"]
    assert registro["topico"] == "expediente.hito"
    assert (registro["intento"], registro["codigo_http"], registro["error"]) == (1, 200, None)
    assert registro["latencia_ms"] >= 0
    assert registro["siguiente_intento"] is None
    assert mensajes(colas["cola"]) == []


def test_a_500_is_retried_through_the_queue_with_the_same_event_id_and_both_attempts_logged(
    invocar: Invocar, admin: Any, colas: dict[str, str], destino: Receptor, remitente: Any
) -> None:
    aseguradora = aseguradora_nueva()
    suscripcion = suscribir(invocar, admin, destino.url, aseguradora)
    destino.respuestas = [500]
    enviado = evento(aseguradora)

    assert enviar(remitente, envoltura(enviado)) == {"batchItemFailures": []}
    (reintento,) = mensajes(colas["cola"])
    assert json.loads(reintento["Body"])["reintento"]["intento"] == 2
    assert enviar(remitente, reintento["Body"]) == {"batchItemFailures": []}

    primera, segunda = destino.entregas
    assert primera.cuerpo == segunda.cuerpo
    assert primera.cabeceras["X-Monitor-Event-Id"] == segunda.cabeceras["X-Monitor-Event-Id"] == enviado["id"]
    assert primera.firma_valida(suscripcion["secreto"])
    assert segunda.firma_valida(suscripcion["secreto"])
    registros = sorted(bitacora(invocar, admin, suscripcion["id"]), key=lambda r: r["intento"])
    assert [(r["intento"], r["codigo_http"]) for r in registros] == [(1, 500), (2, 200)]
    assert registros[0]["error"] == "El suscriptor respondió 500"
    assert registros[0]["siguiente_intento"] is not None
    assert mensajes(colas["cola"]) == []


@pytest.mark.parametrize("status", [400, 404, 410])
def test_a_4xx_is_not_retried(  # noqa: PLR0917 - fixtures
    invocar: Invocar, admin: Any, colas: dict[str, str], destino: Receptor, remitente: Any, status: int
) -> None:
    aseguradora = aseguradora_nueva()
    suscripcion = suscribir(invocar, admin, destino.url, aseguradora)
    destino.respuestas = [status]

    assert enviar(remitente, envoltura(evento(aseguradora))) == {"batchItemFailures": []}

    assert len(destino.entregas) == 1
    assert mensajes(colas["cola"]) == []
    (registro,) = bitacora(invocar, admin, suscripcion["id"])
    assert (registro["codigo_http"], registro["siguiente_intento"]) == (status, None)


def test_a_429_is_retried(
    invocar: Invocar, admin: Any, colas: dict[str, str], destino: Receptor, remitente: Any
) -> None:
    aseguradora = aseguradora_nueva()
    suscribir(invocar, admin, destino.url, aseguradora)
    destino.respuestas = [429]
    enviar(remitente, envoltura(evento(aseguradora)))
    assert len(mensajes(colas["cola"])) == 1


def test_one_subscribers_failure_never_repeats_anothers_delivery(
    invocar: Invocar, admin: Any, colas: dict[str, str], remitente: Any
) -> None:
    aseguradora = aseguradora_nueva()
    falla, responde = receptor(), receptor()
    uno, otro = next(falla), next(responde)
    try:
        suscribir(invocar, admin, uno.url, aseguradora)
        suscribir(invocar, admin, otro.url, aseguradora)
        uno.respuestas = [503]
        enviar(remitente, envoltura(evento(aseguradora)))
        (reintento,) = mensajes(colas["cola"])
        enviar(remitente, reintento["Body"])
        assert (len(uno.entregas), len(otro.entregas)) == (2, 1)
    finally:
        for generador in (falla, responde):
            next(generador, None)


def test_only_the_events_insurer_and_topic_are_delivered(
    invocar: Invocar, admin: Any, colas: dict[str, str], destino: Receptor, remitente: Any
) -> None:
    propia, ajena = aseguradora_nueva(), aseguradora_nueva()
    suscribir(invocar, admin, destino.url, ajena, eventos=["expediente.hito", "expediente.creado"])
    suscribir(invocar, admin, destino.url, propia, eventos=["expediente.creado"])

    enviar(remitente, envoltura(evento(propia, "expediente.hito")), envoltura(evento(None, "expediente.hito")))

    assert destino.entregas == []


def test_a_retry_after_the_window_goes_to_the_dead_letter_queue(  # noqa: PLR0917 - fixtures
    invocar: Invocar,
    admin: Any,
    colas: dict[str, str],
    destino: Receptor,
    remitente: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MONITOR_WEBHOOK_RETRY_WINDOW", "0")
    settings.cache_clear()
    aseguradora = aseguradora_nueva()
    suscripcion = suscribir(invocar, admin, destino.url, aseguradora)
    destino.respuestas = [502]
    enviado = evento(aseguradora)

    enviar(remitente, envoltura(enviado))

    assert mensajes(colas["cola"]) == []
    (muerto,) = mensajes(colas["dlq"])
    assert json.loads(muerto["Body"])["evento"] == enviado
    (registro,) = bitacora(invocar, admin, suscripcion["id"])
    assert registro["error"] == "El suscriptor respondió 502; reintentos agotados"


def test_a_retry_not_due_yet_waits_in_the_queue_without_delivering(
    invocar: Invocar, admin: Any, colas: dict[str, str], destino: Receptor, remitente: Any
) -> None:
    aseguradora = aseguradora_nueva()
    suscripcion = suscribir(invocar, admin, destino.url, aseguradora)
    ahora = datetime.now(UTC)
    reintento = {
        "suscripcion": suscripcion["id"],
        "intento": 9,
        "primer_intento": iso(ahora - timedelta(hours=5)),
        "no_antes": iso(ahora + timedelta(hours=1)),
    }

    enviar(remitente, json.dumps({"evento": evento(aseguradora), "reintento": reintento}))

    assert destino.entregas == []
    atributos = cliente_aws("sqs").get_queue_attributes(QueueUrl=colas["cola"], AttributeNames=["All"])["Attributes"]
    assert atributos["ApproximateNumberOfMessagesDelayed"] == "1"


def test_a_retry_for_a_deleted_subscription_is_dropped(
    invocar: Invocar, admin: Any, colas: dict[str, str], destino: Receptor, remitente: Any
) -> None:
    aseguradora = aseguradora_nueva()
    suscripcion = suscribir(invocar, admin, destino.url, aseguradora)
    table.delete(keys.suscripcion(suscripcion["id"]))
    reintento = {
        "suscripcion": suscripcion["id"],
        "intento": 2,
        "primer_intento": iso(datetime.now(UTC)),
        "no_antes": iso(datetime.now(UTC)),
    }
    assert enviar(remitente, json.dumps({"evento": evento(aseguradora), "reintento": reintento})) == {
        "batchItemFailures": []
    }
    assert destino.entregas == []


def test_an_unreadable_message_fails_alone(
    invocar: Invocar, admin: Any, colas: dict[str, str], destino: Receptor, remitente: Any
) -> None:
    aseguradora = aseguradora_nueva()
    suscribir(invocar, admin, destino.url, aseguradora)
    malos = ["no es json", json.dumps({"detail": {"id": "x"}}), json.dumps({"evento": evento(1), "reintento": {}})]
    registros = [registro_sqs(c) for c in [malos[0], envoltura(evento(aseguradora)), *malos[1:]]]

    respuesta = funciones.invocar(remitente, {"Records": registros}, "seguimiento_enviar", timeout_s=TIMEOUT)

    fallidos = [f["itemIdentifier"] for f in respuesta["batchItemFailures"]]
    assert fallidos == [registros[0]["messageId"], registros[2]["messageId"], registros[3]["messageId"]]
    assert len(destino.entregas) == 1


# ---- SSRF: as deployed, a URL that resolves into the VPC, the host or the metadata service is refused
@pytest.fixture
def en_aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("MONITOR_WEBHOOK_ALLOW_LOOPBACK", "0")
    settings.cache_clear()
    yield
    monkeypatch.undo()
    settings.cache_clear()


@pytest.mark.parametrize("direccion", ["127.0.0.1", "169.254.169.254", "10.20.30.40", "192.168.1.10", "::1", "fd12::7"])
def test_a_subscription_resolving_to_a_private_address_is_refused_at_delivery(  # noqa: PLR0917 - fixtures
    invocar: Invocar,
    admin: Any,
    colas: dict[str, str],
    remitente: Any,
    monkeypatch: pytest.MonkeyPatch,
    direccion: str,
) -> None:
    aseguradora = aseguradora_nueva()
    suscripcion = suscribir(invocar, admin, f"https://{HOST_FALSO}/monitor", aseguradora)
    monkeypatch.setenv("MONITOR_WEBHOOK_ALLOW_LOOPBACK", "0")
    settings.cache_clear()
    familia = socket.AF_INET6 if ":" in direccion else socket.AF_INET
    sockaddr = (direccion, 443, 0, 0) if familia == socket.AF_INET6 else (direccion, 443)
    resueltos: list[str] = []
    real_resolver, real_conectar = socket.getaddrinfo, socket.create_connection

    # Only the subscriber's host resolves to the refused address; everything else (moto) resolves as usual.
    def resolver(host: str, *args: Any, **kwargs: Any) -> list[Any]:
        if host != HOST_FALSO:
            return real_resolver(host, *args, **kwargs)
        resueltos.append(host)
        return [(familia, socket.SOCK_STREAM, 6, "", sockaddr)]

    def conectar(direccion_: Any, *args: Any, **kwargs: Any) -> Any:
        if direccion_[0] == direccion:
            raise AssertionError("no connection may be attempted to a refused address")
        return real_conectar(direccion_, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    monkeypatch.setattr(socket, "create_connection", conectar)

    assert enviar(remitente, envoltura(evento(aseguradora))) == {"batchItemFailures": []}
    monkeypatch.undo()
    settings.cache_clear()

    assert resueltos == [HOST_FALSO]
    (registro,) = bitacora(invocar, admin, suscripcion["id"])
    assert (registro["codigo_http"], registro["error"], registro["siguiente_intento"]) == (
        None,
        DESTINO_PROHIBIDO,
        None,
    )
    assert mensajes(colas["cola"]) == []


def test_a_delivery_that_could_outlast_the_invocation_is_left_for_sqs_to_return(
    invocar: Invocar, admin: Any, colas: dict[str, str], remitente: Any
) -> None:
    aseguradora = aseguradora_nueva()
    uno, otro = receptor(), receptor()
    primero, segundo = next(uno), next(otro)
    try:
        suscribir(invocar, admin, primero.url, aseguradora)
        suscribir(invocar, admin, segundo.url, aseguradora)
        registro = registro_sqs(envoltura(evento(aseguradora)))
        # 12 s left: enough for one 10 s delivery, not for a second one
        respuesta = funciones.invocar(remitente, {"Records": [registro]}, "seguimiento_enviar", timeout_s=12)
        assert respuesta == {"batchItemFailures": [{"itemIdentifier": registro["messageId"]}]}
        assert len(primero.entregas) + len(segundo.entregas) == 1
    finally:
        for generador in (uno, otro):
            next(generador, None)
