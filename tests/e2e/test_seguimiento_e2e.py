"""The whole seguimiento pipeline of `make run`: HTTP change → outbox → stream → publisher → bus → rule →
queue → sender → a webhook on loopback (signature verified), and the customer's e-mail in moto's SES store."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.e2e.conftest import ApiLocal
from tests.handlers.test_seguimiento_apoyo import Receptor, aseguradora_nueva, receptor
from tools import aws_local

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def api_con_seguimiento(iniciar_api: Callable[..., ApiLocal]) -> Iterator[ApiLocal]:
    """A gateway running the pipeline, on bus and queues of its own (the table is the session's)."""
    api = iniciar_api(MONITOR_SEGUIMIENTO_LOCAL="1", MONITOR_LOCAL_PREFIX=f"e2e-{uuid.uuid4().hex[:8]}")
    yield api
    api.detener()


@pytest.fixture
def destino() -> Iterator[Receptor]:
    yield from receptor()


def test_a_change_reaches_the_subscriber_signed_and_the_customer_by_email(
    api_con_seguimiento: ApiLocal, admin: Any, destino: Receptor
) -> None:
    api = api_con_seguimiento
    aseguradora = aseguradora_nueva()
    suscripcion = api.request(
        "POST",
        "/api/suscripciones",
        admin.token,
        json={"url": destino.url, "eventos": ["expediente.creado", "expediente.hito"], "id_aseguradora": aseguradora},
    )
    assert suscripcion.status_code == 201, suscripcion.text
    secreto = suscripcion.json()["secreto"]
    no, correo = f"E2E-{uuid.uuid4().hex[:8]}", f"cliente-{uuid.uuid4().hex[:8]}@example.com"

    creado = api.request(
        "POST",
        "/api/expedientes",
        admin.token,
        json={
            "no_siniestro": no,
            "nombre_cliente": "Ana Pérez",
            "telefono_cliente": "555",
            "marca": "Volvo",
            "placas": "X-1",
            "tipo": "Autobús",
            "modelo": "9700",
            "fecha_ingreso": "2024-03-15",
            "fecha_entrega": "2024-04-01",
            "id_aseguradora": aseguradora,
            "correo_cliente": correo,
            "notificar_cliente": True,
            "fecha_autorizacion": "2024-03-16",
        },
    )
    assert creado.status_code == 201, creado.text

    entregas = destino.esperar(2)
    assert sorted(e.cabeceras["X-Monitor-Topic"] for e in entregas) == ["expediente.creado", "expediente.hito"]
    for entrega in entregas:
        assert entrega.firma_valida(secreto)
        assert entrega.evento["datos"]["no_siniestro"] == no
        assert entrega.cabeceras["X-Monitor-Event-Id"] == entrega.evento["id"]
    assert _correo_enviado(correo)
    bitacora = api.request("GET", f"/api/suscripciones/{suscripcion.json()['id']}/entregas", admin.token).json()
    assert sorted(r["codigo_http"] for r in bitacora["items"]) == [200, 200]


def _correo_enviado(correo: str, segundos: float = 30.0) -> bool:
    """Waits (bounded) for the e-mail in the session's moto, which runs in this process."""
    from moto.ses.models import ses_backends

    limite = time.monotonic() + segundos
    while time.monotonic() < limite:
        mensajes = ses_backends[aws_local.CUENTA][aws_local.REGION].sent_messages
        if any(correo in str(m.destinations) for m in mensajes):
            return True
        time.sleep(0.2)
    return False
