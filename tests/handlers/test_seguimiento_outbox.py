"""Every event of docs/seguimiento.md is an outbox item written by the transaction of the change that causes it, with
its payload; a refused change leaves none; the write paths issue the same DynamoDB requests as before."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest

from monitor.seguimiento.eventos import EXPANDIR_ORDENES, TTL_DIAS
from tests.apoyo.checklists import aprobar_checklist
from tests.apoyo.expedientes import RUTA, nuevo
from tests.apoyo.ordenes import crear_cliente, recibir, texto
from tests.handlers.test_seguimiento_apoyo import aseguradora_nueva, outbox, por_topico

Invocar = Callable[..., dict[str, Any]]
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
# Nothing that names or reaches the customer ever goes out in an event.
PERSONALES = {"nombre_cliente", "telefono_cliente", "correo_cliente", "placas", "createdByEmailAddress"}


def _sin_datos_personales(item: dict[str, Any]) -> None:
    assert not PERSONALES & set(item["datos"]), item["datos"]


def _comun(item: dict[str, Any], topico: str, id_aseguradora: int | None) -> None:
    assert item["tipo"] == "evento"
    assert item["topico"] == topico
    assert UUID.match(item["id"])
    assert item["SK"] == f"OUT#{item['fecha']}#{item['id']}"
    assert item["id_aseguradora"] == id_aseguradora
    assert 0 < int(item["expira"]) - time.time() <= TTL_DIAS * 86_400
    _sin_datos_personales(item)


def _patch_estado(invocar: Invocar, llamante: Any, no: str, estado: str) -> dict[str, Any]:
    r = invocar(
        "expedientes_estado",
        "PATCH",
        RUTA + "/estado",
        llamante=llamante,
        ruta_params={"no_siniestro": no},
        cuerpo={"estado": estado},
    )
    assert r["statusCode"] == 200, r["json"]
    return r


def test_create_emits_creado_its_milestones_and_the_unit_received_for_linked_orders(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    no = siniestro()
    dynamo_requests.reiniciar()

    creado = nuevo(
        invocar,
        operador,
        no,
        id_aseguradora=2,
        correo_cliente="juan@example.com",
        notificar_cliente=True,
        fecha_autorizacion="2024-03-16",
    )

    assert dynamo_requests.llamadas == {"TransactWriteItems": 1}
    assert creado["notificar_cliente"] is True
    assert creado["notificaciones"] == {}
    items = outbox(no)
    assert sorted(i["topico"] for i in items) == [
        "expediente.creado",
        "expediente.hito",
        "orden_servicio.estatus_cambiado",
    ]
    (evento,) = por_topico(items, "expediente.creado")
    _comun(evento, "expediente.creado", 2)
    assert evento["fecha"] == creado["creado_en"]
    assert evento["datos"] == {
        "no_siniestro": no,
        "estado": "Ingreso",
        "fecha_ingreso": "2024-03-15T12:00:00.000Z",
        "fecha_entrega": "2024-04-15T12:00:00.000Z",
        "marca": "Toyota",
        "tipo": "Sedán",
        "modelo": "Corolla",
    }
    (hito,) = por_topico(items, "expediente.hito")
    _comun(hito, "expediente.hito", 2)
    assert hito["datos"] == {
        "no_siniestro": no,
        "hito": "valuacion_autorizada",
        "fecha": creado["creado_en"],
        "estado": "Ingreso",
    }
    (estatus,) = por_topico(items, "orden_servicio.estatus_cambiado")
    _comun(estatus, "orden_servicio.estatus_cambiado", 2)
    assert estatus["expandir"] == EXPANDIR_ORDENES
    assert estatus["datos"] == {"insuranceClaimNumber": no, "estatus": "unidad_recibida", "fecha": creado["creado_en"]}


def test_notificar_cliente_defaults_to_false_and_is_writable_by_put(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    assert nuevo(invocar, operador, no)["notificar_cliente"] is False
    r = invocar(
        "expedientes_update",
        "PUT",
        RUTA,
        llamante=operador,
        ruta_params={"no_siniestro": no},
        cuerpo={"notificar_cliente": True, "notificaciones": {"x": 1}},
    )
    assert r["statusCode"] == 200, r["json"]
    assert r["json"]["notificar_cliente"] is True
    assert r["json"]["notificaciones"] == {}  # server-owned: silently dropped from the body
    malo = invocar(
        "expedientes_update",
        "PUT",
        RUTA,
        llamante=operador,
        ruta_params={"no_siniestro": no},
        cuerpo={"notificar_cliente": "sí"},
    )
    assert malo["statusCode"] == 400


@pytest.mark.parametrize(
    ("campo", "hito"),
    [("fecha_autorizacion", "valuacion_autorizada"), ("fecha_pzas_completas", "refacciones_completas")],
)
def test_put_that_first_sets_a_milestone_field_emits_that_milestone_once(  # noqa: PLR0917 - fixtures
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], dynamo_requests: Any, campo: str, hito: str
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no, id_aseguradora=1)
    antes = len(outbox(no))
    dynamo_requests.reiniciar()

    r = invocar(
        "expedientes_update",
        "PUT",
        RUTA,
        llamante=operador,
        ruta_params={"no_siniestro": no},
        cuerpo={campo: "2024-03-20"},
    )

    assert r["statusCode"] == 200
    assert dynamo_requests.llamadas == {"GetItem": 1, "TransactWriteItems": 1}
    nuevos = outbox(no)[antes:]
    assert [i["topico"] for i in nuevos] == ["expediente.hito"]
    _comun(nuevos[0], "expediente.hito", 1)
    assert nuevos[0]["datos"]["hito"] == hito
    assert nuevos[0]["fecha"] == r["json"]["actualizado_en"]
    # changing the date again, or a field that reaches nothing, emits nothing more
    for cuerpo in ({campo: "2024-03-21"}, {"color": "Rojo"}):
        invocar("expedientes_update", "PUT", RUTA, llamante=operador, ruta_params={"no_siniestro": no}, cuerpo=cuerpo)
    assert len(outbox(no)) == antes + 1


def test_each_transition_emits_estado_cambiado_and_the_milestone_it_reaches(
    invocar: Invocar, admin: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    no = siniestro()
    nuevo(invocar, admin, no, id_aseguradora=3, unidad_terminada="2024-04-01", doc_finiquito=True)
    aprobar_checklist(invocar, admin, no)  # what Salida needs of the exit checklist
    pasos = [
        ("Restauracion", "Ingreso", "en_reparacion"),
        ("Pendiente_de_salida", "Restauracion", "lista_para_entrega"),
        ("Salida", "Pendiente_de_salida", "entregada"),
    ]
    for nuevo_estado, anterior, hito in pasos:
        antes = len(outbox(no))
        dynamo_requests.reiniciar()

        r = _patch_estado(invocar, admin, no, nuevo_estado)

        # Salida reads the expediente and its checklist together (docs/checklists.md, "The Salida gate")
        lectura = "BatchGetItem" if nuevo_estado == "Salida" else "GetItem"
        assert dynamo_requests.llamadas == {lectura: 1, "TransactWriteItems": 1}
        nuevos = outbox(no)[antes:]
        (cambio,) = por_topico(nuevos, "expediente.estado_cambiado")
        _comun(cambio, "expediente.estado_cambiado", 3)
        assert cambio["datos"] == {
            "no_siniestro": no,
            "estado_anterior": anterior,
            "estado_nuevo": nuevo_estado,
            "fecha_cambio": r["json"]["actualizado_en"],
        }
        (alcanzado,) = por_topico(nuevos, "expediente.hito")
        assert alcanzado["datos"] == {
            "no_siniestro": no,
            "hito": hito,
            "fecha": r["json"]["actualizado_en"],
            "estado": nuevo_estado,
        }
        entrega = por_topico(nuevos, "orden_servicio.estatus_cambiado")
        if nuevo_estado == "Salida":
            (estatus,) = entrega
            assert estatus["expandir"] == EXPANDIR_ORDENES
            assert estatus["datos"]["estatus"] == "unidad_entregada"
        else:
            assert entrega == []
    # back and forth again: the state changes go out, the milestones (first time only) do not
    antes = len(outbox(no))
    _patch_estado(invocar, admin, no, "Pendiente_de_salida")
    _patch_estado(invocar, admin, no, "Salida")
    nuevos = outbox(no)[antes:]
    assert sorted(i["topico"] for i in nuevos) == [
        "expediente.estado_cambiado",
        "expediente.estado_cambiado",
        "orden_servicio.estatus_cambiado",
    ]


def test_an_expediente_without_insurer_emits_events_routed_to_no_insurer(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    assert {i["id_aseguradora"] for i in outbox(no)} == {None}


def test_a_received_order_emits_recibida_and_the_units_status_when_its_expediente_exists(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    aseguradora = aseguradora_nueva()
    cliente = crear_cliente(aseguradora)
    sin_expediente = siniestro()
    dynamo_requests.reiniciar()

    orden = recibir(invocar, cliente, claim=sin_expediente)

    assert dynamo_requests.llamadas == {"BatchGetItem": 1, "UpdateItem": 1, "TransactWriteItems": 1}
    (recibida,) = outbox(sin_expediente)
    _comun(recibida, "orden_servicio.recibida", aseguradora)
    assert recibida["datos"] == {
        "serviceOrderId": orden["serviceOrderId"],
        "serviceOrderGuid": orden["serviceOrderGuid"],
        "serviceOrderNumber": orden["serviceOrderNumber"],
        "insuranceClaimNumber": sin_expediente,
        "estado": "Recibida",
        "recibida_en": recibida["fecha"],
    }
    # the unit already in the shop: the order learns it at once
    con_expediente = siniestro()
    nuevo(invocar, operador, con_expediente, id_aseguradora=aseguradora)
    antes = len(outbox(con_expediente))
    segunda = recibir(invocar, cliente, claim=con_expediente)
    nuevos = outbox(con_expediente)[antes:]
    assert sorted(i["topico"] for i in nuevos) == ["orden_servicio.estatus_cambiado", "orden_servicio.recibida"]
    (estatus,) = por_topico(nuevos, "orden_servicio.estatus_cambiado")
    _comun(estatus, "orden_servicio.estatus_cambiado", aseguradora)
    assert "expandir" not in estatus
    assert estatus["datos"]["serviceOrderId"] == segunda["serviceOrderId"]
    assert estatus["datos"]["estatus"] == "unidad_recibida"


def test_an_order_for_another_insurers_expediente_says_nothing_about_that_unit(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no, id_aseguradora=aseguradora_nueva())
    antes = len(outbox(no))
    recibir(invocar, crear_cliente(aseguradora_nueva()), claim=no)
    assert [i["topico"] for i in outbox(no)[antes:]] == ["orden_servicio.recibida"]


def test_a_duplicate_delivery_of_an_order_emits_nothing_more(invocar: Invocar, siniestro: Callable[[], str]) -> None:
    cliente = crear_cliente(1)
    no = siniestro()
    orden = recibir(invocar, cliente, claim=no)
    cuerpo = texto({k: v for k, v in orden.items() if k != "serviceOrderNumber"})
    otra = invocar(
        "ordenes_receive",
        "POST",
        "/serviceOrders",
        llamante=cliente.llamante,
        cuerpo=cuerpo,
        headers=cliente.cabeceras(cuerpo),
    )
    assert otra["statusCode"] == 200
    assert len(outbox(no)) == 1


def _cancelar(invocar: Invocar, cliente: Any, sid: int) -> dict[str, Any]:
    cuerpo = texto({"serviceOrderId": sid, "comments": "Ya no se repara", "cancelledByEmailAddress": "x@aseg.com"})
    return invocar(
        "ordenes_cancel",
        "POST",
        "/serviceOrders/{serviceOrderId}/cancel",
        llamante=cliente.llamante,
        ruta_params={"serviceOrderId": str(sid)},
        cuerpo=cuerpo,
        headers=cliente.cabeceras(cuerpo),
    )


def test_a_cancelled_order_emits_cancelada_and_a_refused_cancel_emits_nothing(
    invocar: Invocar, admin: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    cliente = crear_cliente(2)
    no = siniestro()
    orden = recibir(invocar, cliente, claim=no)
    antes = len(outbox(no))
    dynamo_requests.reiniciar()

    r = _cancelar(invocar, cliente, orden["serviceOrderId"])

    assert r["json"]["isCancelled"] is True
    assert dynamo_requests.llamadas == {"BatchGetItem": 1, "TransactWriteItems": 1}
    (cancelada,) = outbox(no)[antes:]
    _comun(cancelada, "orden_servicio.cancelada", 2)
    assert cancelada["datos"] == {
        "serviceOrderId": orden["serviceOrderId"],
        "serviceOrderGuid": orden["serviceOrderGuid"],
        "serviceOrderNumber": orden["serviceOrderNumber"],
        "insuranceClaimNumber": no,
        "estado": "Cancelada",
        "cancelada_en": cancelada["fecha"],
    }
    # repair under way: the cancel's transaction is refused, and with it its event
    otro = siniestro()
    nuevo(invocar, admin, otro, id_aseguradora=2)
    segunda = recibir(invocar, cliente, claim=otro)
    _patch_estado(invocar, admin, otro, "Restauracion")
    antes = len(outbox(otro))
    rechazo = _cancelar(invocar, cliente, segunda["serviceOrderId"])
    assert rechazo["json"]["isCancelled"] is False
    assert len(outbox(otro)) == antes


def test_a_refused_change_emits_nothing(invocar: Invocar, operador: Any, siniestro: Callable[[], str]) -> None:
    no = siniestro()
    nuevo(invocar, operador, no, id_aseguradora=1)
    antes = outbox(no)
    cuerpo = {
        "no_siniestro": no,
        "nombre_cliente": "Otro",
        "telefono_cliente": "1",
        "marca": "M",
        "placas": "P",
        "tipo": "T",
        "modelo": "Mo",
        "fecha_ingreso": "2024-01-01",
        "fecha_entrega": "2024-01-02",
        "fecha_autorizacion": "2024-01-01",
    }
    duplicado = invocar("expedientes_create", "POST", "/api/expedientes", llamante=operador, cuerpo=cuerpo)
    assert duplicado["statusCode"] == 409
    sin_aseguradora = invocar(
        "expedientes_update",
        "PUT",
        RUTA,
        llamante=operador,
        ruta_params={"no_siniestro": no},
        cuerpo={"id_aseguradora": 999_999, "fecha_autorizacion": "2024-03-20"},
    )
    assert sin_aseguradora["statusCode"] == 400
    salida = invocar(
        "expedientes_estado",
        "PATCH",
        RUTA + "/estado",
        llamante=operador,
        ruta_params={"no_siniestro": no},
        cuerpo={"estado": "Pendiente_de_salida"},
    )
    assert salida["statusCode"] == 409
    assert outbox(no) == antes


def test_the_outbox_stays_out_of_every_list_of_the_expediente(
    invocar: Invocar, admin: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, admin, no, id_aseguradora=1, fecha_autorizacion="2024-03-16")
    _patch_estado(invocar, admin, no, "Restauracion")
    assert len(outbox(no)) >= 4
    for nombre, sufijo in [
        ("evidencias_list", "/evidencias"),
        ("expedientes_historial", "/estado/historial"),
        ("expedientes_auditoria", "/auditoria"),
        ("expedientes_comentarios_list", "/comentarios"),
    ]:
        r = invocar(nombre, "GET", RUTA + sufijo, llamante=admin, ruta_params={"no_siniestro": no})
        assert r["statusCode"] == 200, (nombre, r["json"])
        assert all("topico" not in i for i in r["json"]["items"]), nombre
    detalle = invocar("expedientes_get", "GET", RUTA, llamante=admin, ruta_params={"no_siniestro": no})
    assert detalle["statusCode"] == 200
    assert len(detalle["json"]["historial_estado"]) == 2
