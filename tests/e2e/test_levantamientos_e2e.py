"""The damage survey over HTTP through the local gateway (authorizer included): the whole flow a technician
and an administrator follow, with exact amounts, ETags, 412, 403 and the 404 bodies."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import simplejson

from monitor.usuarios.campos import Rol

pytestmark = pytest.mark.e2e


def _json(respuesta: Any) -> Any:
    return simplejson.loads(respuesta.text, use_decimal=True)


def test_a_survey_from_creation_to_deletion(
    api: Any, crear_usuario: Callable[..., Any], siniestro: Callable[[], str]
) -> None:
    operador, tecnico, admin = (crear_usuario(r) for r in (Rol.OPERADOR, Rol.TECNICO, Rol.ADMINISTRADOR))
    no = siniestro()
    base = f"/api/expedientes/{no}/levantamiento"
    r = api.request(
        "POST",
        "/api/expedientes",
        token=operador.token,
        json={
            "no_siniestro": no,
            "nombre_cliente": "Transportes Peña",
            "telefono_cliente": "555-100-2000",
            "marca": "Kenworth",
            "placas": "TRK-001",
            "tipo": "Tractocamión",
            "modelo": "T680",
            "fecha_ingreso": "2024-03-15",
            "fecha_entrega": "2024-04-15",
        },
    )
    assert r.status_code == 201, r.text
    assert api.request("GET", base, token=tecnico.token).json() == {"error": "Levantamiento no encontrado"}

    # The technician surveys the unit: the first PUT creates it, copying vehicle and owner
    r = api.request("PUT", base, token=tecnico.token, json={"eco": "U-114", "kilometraje": 452300, "aire": False})
    assert r.status_code == 201, r.text
    assert r.headers["ETag"] == '"1"'
    assert (r.json()["marca"], r.json()["nombre_propietario"]) == ("Kenworth", "Transportes Peña")

    # Line items, amounts exact end to end
    r = api.request(
        "POST",
        base + "/conceptos",
        token=tecnico.token,
        json={"claves": "DEF", "concepto": "Defensa", "costo": Decimal("1850.50")},
    )
    assert r.status_code == 201, r.text
    assert r.headers["Location"] == f"{base}/conceptos/1"
    r = api.request(
        "POST", base + "/conceptos", token=tecnico.token, json={"concepto": "Cofre", "costo": Decimal("0.10")}
    )
    r = api.request("PUT", base + "/conceptos/2", token=tecnico.token, json={"costo": Decimal("0.20")})
    assert r.status_code == 200, r.text
    cuerpo = _json(r)
    assert cuerpo["totales"] == {
        "subtotal": Decimal("1850.70"),
        "tasa_iva": Decimal("0.16"),
        "iva": Decimal("296.11"),  # 296.112
        "total": Decimal("2146.81"),
    }
    assert '"costo":1850.50' in r.text
    etag = r.headers["ETag"]
    assert etag == '"4"'

    # A stale writer gets 412 and the current ETag; a technician may not delete
    r = api.request("PUT", base, token=tecnico.token, json={"color": "Rojo"}, headers={"If-Match": '"1"'})
    assert (r.status_code, r.headers["ETag"]) == (412, etag)
    r = api.request("DELETE", base + "/conceptos/1", token=tecnico.token)
    assert (r.status_code, r.json()) == (403, {"error": "Acceso restringido a administradores"})
    r = api.request("DELETE", base + "/conceptos/1", token=admin.token, headers={"If-Match": etag})
    assert r.status_code == 200, r.text
    assert [c["id"] for c in r.json()["conceptos"]] == [2]
    assert api.request("DELETE", base + "/conceptos/1", token=admin.token).json() == {"error": "Concepto no encontrado"}

    # The expediente's detail summarises it; the audit names it
    detalle = _json(api.request("GET", f"/api/expedientes/{no}", token=tecnico.token))
    assert detalle["levantamiento"]["total"] == Decimal("0.23")
    assert detalle["levantamiento"]["conceptos"] == 1
    auditoria = api.request("GET", f"/api/expedientes/{no}/auditoria", token=operador.token).json()["items"]
    assert [e["recurso"] for e in auditoria] == ["levantamiento"] * 5

    # Deleted by an administrator, gone for everyone
    r = api.request("DELETE", base, token=admin.token)
    assert (r.status_code, r.json()) == (200, {"eliminado": no})
    assert api.request("GET", base, token=tecnico.token).status_code == 404
    assert api.request("GET", f"/api/expedientes/{no}", token=tecnico.token).json()["levantamiento"] is None
    sin_expediente = api.request("GET", f"/api/expedientes/{no}-X/levantamiento", token=tecnico.token)
    assert (sin_expediente.status_code, sin_expediente.json()) == (404, {"error": "Expediente no encontrado"})


def test_bad_amounts_are_400_over_http(
    api: Any, crear_usuario: Callable[..., Any], siniestro: Callable[[], str]
) -> None:
    operador = crear_usuario(Rol.OPERADOR)
    no = siniestro()
    r = api.request(
        "POST",
        "/api/expedientes",
        token=operador.token,
        json={
            "no_siniestro": no,
            "nombre_cliente": "Juan",
            "telefono_cliente": "555",
            "marca": "Dina",
            "placas": "BUS-1",
            "tipo": "Autobús",
            "modelo": "Linner",
            "fecha_ingreso": "2024-03-15",
            "fecha_entrega": "2024-04-15",
        },
    )
    assert r.status_code == 201, r.text
    base = f"/api/expedientes/{no}/levantamiento"
    assert api.request("PUT", base, token=operador.token, json={}).status_code == 201

    for costo in ("1e309", "NaN", '"12.50"', "true", "-1", "0.001"):
        r = api.request(
            "POST",
            base + "/conceptos",
            token=operador.token,
            data=f'{{"concepto": "x", "costo": {costo}}}',
            headers={"Content-Type": "application/json"},
        )
        assert r.status_code == 400, (costo, r.text)
        assert r.json()["detalles"][0]["campo"] == "costo"
    assert api.request("GET", base, token=operador.token).json()["conceptos"] == []
