"""What on-call sees: the JSON logs and EMF metrics of real requests through the local gateway."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from monitor.usuarios.campos import Rol
from tests.apoyo.ordenes import crear_cliente, orden, texto

pytestmark = pytest.mark.e2e

TELEFONO = "555-867-5309"
CORREO = "lucia.fernandez@correo-cliente.mx"


def _json(lineas: list[str]) -> list[dict[str, Any]]:
    registros = []
    for cruda in lineas:
        linea = cruda.strip()
        if linea.startswith("{"):
            try:
                registros.append(json.loads(linea))
            except json.JSONDecodeError:
                continue
    return registros


def _metricas(registros: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """EMF blobs by metric name: {"EstadoCambiado": [blob, ...]}."""
    encontradas: dict[str, list[dict[str, Any]]] = {}
    for registro in registros:
        for grupo in registro.get("_aws", {}).get("CloudWatchMetrics", []):
            assert grupo["Namespace"] == "Monitor"
            for metrica in grupo["Metrics"]:
                encontradas.setdefault(metrica["Name"], []).append(registro)
    return encontradas


def test_a_claims_day_leaves_json_logs_and_business_metrics_without_personal_data(
    api: Any, crear_usuario: Callable[..., Any], siniestro: Callable[[], str]
) -> None:
    # Given an operator logged in over HTTP and an insurer's signing client
    operador = crear_usuario(Rol.OPERADOR)
    login = api.request(
        "POST", "/api/auth/login", json={"usuario": operador.principal.username, "password": operador.password}
    )
    assert login.status_code == 200
    token = login.json()["token"]
    cliente = crear_cliente(id_aseguradora=1)
    no = siniestro()
    marca = api.log_mark()

    # When the claim is created, moved to repair, an order arrives and its cancellation is refused
    creado = api.request(
        "POST",
        "/api/expedientes",
        token=token,
        json={
            "no_siniestro": no,
            "nombre_cliente": "Lucía Fernández",
            "telefono_cliente": TELEFONO,
            "correo_cliente": CORREO,
            "marca": "Nissan",
            "placas": "XYZ-987",
            "tipo": "Sedán",
            "modelo": "Versa",
            "fecha_ingreso": "2024-05-02",
            "fecha_entrega": "2024-05-20",
            "id_aseguradora": 1,
        },
    )
    assert creado.status_code == 201
    movido = api.request("PATCH", f"/api/expedientes/{no}/estado", token=token, json={"estado": "Restauracion"})
    assert movido.status_code == 200
    cuerpo = texto(orden(claim=no))
    recibida = api.request(
        "POST",
        "/serviceOrders",
        token=cliente.token,
        data=cuerpo.encode(),
        headers={"Content-Type": "application/json", **cliente.cabeceras(cuerpo)},
    )
    assert recibida.status_code == 201
    order_id = recibida.json()["serviceOrderId"]
    cancelar = texto({"serviceOrderId": order_id, "comments": "Ya no se requiere"})
    rechazada = api.request(
        "POST",
        f"/serviceOrders/{order_id}/cancel",
        token=cliente.token,
        data=cancelar.encode(),
        headers={"Content-Type": "application/json", **cliente.cabeceras(cancelar)},
    )
    assert rechazada.status_code == 200
    assert rechazada.json()["isCancelled"] is False

    lineas = api.logs_since(marca)
    registros = _json(lineas)

    # Then every request has one structured line with its route, caller, claim and outcome
    atendidas = [r for r in registros if r.get("message") == "Solicitud atendida"]
    del_alta = [r for r in atendidas if r.get("ruta") == "POST /api/expedientes"]
    assert len(del_alta) == 1
    alta = del_alta[0]
    assert alta["status"] == 201
    assert alta["caller"] == operador.principal.id
    assert alta["rol"] == "Operador"
    assert alta["correlation_id"] == creado.headers["x-amzn-RequestId"]
    assert {"level", "timestamp", "service", "cold_start", "function_name"} <= set(alta)
    transicion = next(r for r in atendidas if r.get("ruta") == "PATCH /api/expedientes/{no_siniestro}/estado")
    assert transicion["no_siniestro"] == no
    cancelacion = next(r for r in atendidas if r.get("ruta") == "POST /serviceOrders/{serviceOrderId}/cancel")
    assert cancelacion["serviceOrderId"] == str(order_id)
    assert cancelacion["caller"] == cliente.client_id

    # And the business metrics are emitted as EMF in the Monitor namespace
    metricas = _metricas(registros)
    assert {"ExpedienteCreado", "EstadoCambiado", "ServiceOrderRecibida", "CancelacionRechazada"} <= set(metricas)
    estado = metricas["EstadoCambiado"][0]
    assert estado["estado"] == "Restauracion"
    assert estado["service"] == "monitor"

    # And nothing secret or personal is in any line
    salida = "\n".join(lineas)
    for secreto in (token, cliente.token, operador.password, cliente.hmac_key, TELEFONO, CORREO):
        assert secreto not in salida
