"""The customer's follow-up e-mails: one per step through SES (moto's store), recorded on the expediente,
never twice for the same step, none without the flag or the address."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from botocore.exceptions import ClientError

from monitor.expedientes.hitos import SEGUIMIENTO_CLIENTE
from monitor.seguimiento import aws, correos
from tests.apoyo.checklists import aprobar_checklist
from tests.apoyo.expedientes import RUTA, meta, nuevo
from tests.handlers.test_seguimiento_apoyo import envoltura, outbox, por_topico, publicable, registro_sqs
from tools import aws_local, funciones

Invocar = Callable[..., dict[str, Any]]


def enviados(correo: str) -> list[Any]:
    from moto.ses.models import ses_backends

    return [m for m in ses_backends[aws_local.CUENTA][aws_local.REGION].sent_messages if correo in str(m.destinations)]


@pytest.fixture(scope="module")
def notificador() -> Any:
    return funciones.cargar("seguimiento_notificar")


def notificar(modulo: Any, items: list[dict[str, Any]]) -> dict[str, Any]:
    registros = [registro_sqs(envoltura(publicable(i))) for i in items]
    return dict(funciones.invocar(modulo, {"Records": registros}, "seguimiento_notificar"))


def _recorrer_los_pasos(invocar: Invocar, admin: Any, no: str) -> list[dict[str, Any]]:
    """Reaches every milestone of the expediente; returns its `expediente.hito` outbox items."""
    for cuerpo in ({"fecha_autorizacion": "2024-03-16"}, {"fecha_pzas_completas": "2024-03-18"}):
        r = invocar("expedientes_update", "PUT", RUTA, llamante=admin, ruta_params={"no_siniestro": no}, cuerpo=cuerpo)
        assert r["statusCode"] == 200
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
        assert r["statusCode"] == 200, r["json"]
    return por_topico(outbox(no), "expediente.hito")


def _correo() -> str:
    return f"cliente-{uuid.uuid4().hex[:10]}@example.com"


def test_one_email_per_follow_up_step_recorded_on_the_expediente(
    invocar: Invocar, admin: Any, siniestro: Callable[[], str], notificador: Any, dynamo_requests: Any
) -> None:
    no, correo = siniestro(), _correo()
    nuevo(
        invocar,
        admin,
        no,
        id_aseguradora=1,
        correo_cliente=correo,
        notificar_cliente=True,
        marca="Kenworth",
        modelo="T680",
        tipo="Tractocamión",
        unidad_terminada="2024-04-01",
        doc_finiquito=True,
    )
    hitos = _recorrer_los_pasos(invocar, admin, no)
    assert [i["datos"]["hito"] for i in hitos] == [*SEGUIMIENTO_CLIENTE, "entregada"]
    dynamo_requests.reiniciar()

    assert notificar(notificador, hitos[:1]) == {"batchItemFailures": []}

    assert dynamo_requests.llamadas == {"GetItem": 1, "UpdateItem": 2}  # read, reserve, mark sent
    assert notificar(notificador, hitos[1:]) == {"batchItemFailures": []}
    mensajes = enviados(correo)
    assert len(mensajes) == 4
    asuntos = [m.subject for m in mensajes]
    assert asuntos == [
        f"Valuación autorizada: siniestro {no}",
        f"Refacciones recibidas: siniestro {no}",
        f"En reparación: siniestro {no}",
        f"Listo para entrega: siniestro {no}",
    ]
    cuerpo = mensajes[2].body
    assert "Kenworth T680 Tractocamión" in cuerpo
    assert no in cuerpo
    assert "Taller de colisión" in cuerpo  # the shop's contact (template parameter)
    for personal in ("Juan", "555-100-2000", "ABC-123", correo):
        assert personal not in cuerpo
    assert {m.source for m in mensajes} == {"notificaciones@monitor.example.com"}
    registradas = meta(no)["notificaciones"]  # type: ignore[index]
    assert set(registradas) == set(SEGUIMIENTO_CLIENTE)
    assert {r["estado"] for r in registradas.values()} == {"enviado"}
    detalle = invocar("expedientes_get", "GET", RUTA, llamante=admin, ruta_params={"no_siniestro": no})
    assert set(detalle["json"]["notificaciones"]) == set(SEGUIMIENTO_CLIENTE)
    # every event delivered again (SQS and EventBridge deliver at least once): no e-mail is repeated
    assert notificar(notificador, hitos) == {"batchItemFailures": []}
    assert len(enviados(correo)) == 4


@pytest.mark.parametrize("datos", [{"notificar_cliente": False}, {"notificar_cliente": True, "correo_cliente": None}])
def test_no_email_without_the_flag_or_the_address(
    invocar: Invocar, admin: Any, siniestro: Callable[[], str], notificador: Any, datos: dict[str, Any]
) -> None:
    no, correo = siniestro(), _correo()
    nuevo(invocar, admin, no, **{"correo_cliente": correo, "unidad_terminada": "2024-04-01", **datos})
    hitos = _recorrer_los_pasos(invocar, admin, no)

    assert notificar(notificador, hitos) == {"batchItemFailures": []}

    assert enviados(correo) == []
    assert "notificaciones" not in meta(no)  # type: ignore[operator]


def test_the_same_event_delivered_twice_at_once_sends_one_email(
    invocar: Invocar, admin: Any, siniestro: Callable[[], str]
) -> None:
    no, correo = siniestro(), _correo()
    nuevo(invocar, admin, no, correo_cliente=correo, notificar_cliente=True, fecha_autorizacion="2024-03-16")
    (hito,) = por_topico(outbox(no), "expediente.hito")
    evento = publicable(hito)

    with ThreadPoolExecutor(max_workers=4) as hilos:
        estados = list(hilos.map(lambda _: correos.notificar(evento), range(4)))

    assert sorted(estados, key=str) == [None, None, None, "enviado"]
    assert len(enviados(correo)) == 1


def _falla_ses(monkeypatch: pytest.MonkeyPatch, codigo: str) -> None:
    def rechazar(**_: Any) -> Any:
        raise ClientError({"Error": {"Code": codigo, "Message": "x"}}, "SendEmail")

    monkeypatch.setattr(aws.cliente("sesv2"), "send_email", rechazar)


def test_an_address_ses_refuses_is_recorded_and_not_retried(
    invocar: Invocar, admin: Any, siniestro: Callable[[], str], notificador: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    no = siniestro()
    nuevo(invocar, admin, no, correo_cliente=_correo(), notificar_cliente=True, fecha_autorizacion="2024-03-16")
    hitos = por_topico(outbox(no), "expediente.hito")
    _falla_ses(monkeypatch, "MessageRejected")

    assert notificar(notificador, hitos) == {"batchItemFailures": []}

    registro = meta(no)["notificaciones"]["valuacion_autorizada"]  # type: ignore[index]
    assert (registro["estado"], registro["error"]) == ("rechazado", "MessageRejected")


def test_a_passing_ses_failure_frees_the_step_for_the_retry(
    invocar: Invocar, admin: Any, siniestro: Callable[[], str], notificador: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    no, correo = siniestro(), _correo()
    nuevo(invocar, admin, no, correo_cliente=correo, notificar_cliente=True, fecha_autorizacion="2024-03-16")
    hitos = por_topico(outbox(no), "expediente.hito")
    _falla_ses(monkeypatch, "TooManyRequestsException")

    fallo = notificar(notificador, hitos)
    monkeypatch.undo()

    assert len(fallo["batchItemFailures"]) == 1
    assert "valuacion_autorizada" not in meta(no)["notificaciones"]  # type: ignore[index]
    assert notificar(notificador, hitos) == {"batchItemFailures": []}
    assert len(enviados(correo)) == 1


def test_the_steps_are_the_shops_four_follow_up_milestones() -> None:
    assert tuple(correos.PASOS) == tuple(h.value for h in SEGUIMIENTO_CLIENTE)
