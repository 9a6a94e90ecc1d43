"""Expedientes over HTTP through the local gateway (authorizer included): the seed's PUT, its error
rows, the workflow, audit, comments and delete, and concurrent writers that must lose nothing."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from monitor.core import keys, table
from monitor.usuarios.campos import Rol

pytestmark = pytest.mark.e2e

SEED = json.loads((Path(__file__).parent.parent / "fixtures" / "expediente_seed.json").read_text(encoding="utf-8"))
FECHA_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def _crear(api: Any, llamante: Any, no: str, **extra: Any) -> dict[str, Any]:
    cuerpo = {
        "no_siniestro": no,
        "nombre_cliente": "Juan García",
        "telefono_cliente": "555-100-2000",
        "marca": "Toyota",
        "placas": "ABC-123",
        "tipo": "Sedán",
        "modelo": "Corolla",
        "fecha_ingreso": "2024-03-15",
        "fecha_entrega": "2024-04-15",
        **extra,
    }
    r = api.request("POST", "/api/expedientes", token=llamante.token, json=cuerpo)
    assert r.status_code == 201, r.text
    return dict(r.json())


@pytest.fixture
def operador_http(crear_usuario: Callable[..., Any]) -> Any:
    return crear_usuario(Rol.OPERADOR)


def test_seed_put_over_http_returns_every_key_with_its_type_and_an_etag(
    api: Any, operador_http: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    _crear(api, operador_http, no)

    r = api.request("PUT", f"/api/expedientes/{no}", token=operador_http.token, json=SEED)

    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.headers["ETag"] == '"2"'
    cuerpo = r.json()
    for clave, valor in SEED.items():
        assert clave in cuerpo, clave
        if valor is not None and clave not in ("no_siniestro", "estado", "creado_por"):
            assert cuerpo[clave] == valor, clave
    assert cuerpo["estado"] == "Ingreso"
    assert FECHA_Z.match(cuerpo["fecha_ingreso"])


def test_seed_request_example_over_http(api: Any, operador_http: Any, siniestro: Callable[[], str]) -> None:
    no = siniestro()
    _crear(api, operador_http, no)

    r = api.request(
        "PUT",
        f"/api/expedientes/{no}",
        token=operador_http.token,
        json={"tecnico": "Carlos Pérez", "fecha_pzas_completas": "2024-03-22"},
    )

    assert r.status_code == 200
    assert r.json()["tecnico"] == "Carlos Pérez"
    assert r.json()["fecha_pzas_completas"] == "2024-03-22T12:00:00.000Z"


def test_the_seeds_error_rows_over_http(
    api: Any, operador_http: Any, crear_usuario: Callable[..., Any], siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    _crear(api, operador_http, no)
    tecnico = crear_usuario(Rol.TECNICO)
    ruta = f"/api/expedientes/{no}"

    sin_token = api.request("PUT", ruta, json={"color": "Rojo"})
    token_malo = api.request(
        "PUT", ruta, token="eyJhbGciOiJIUzI1NiIsImtpZCI6IngifQ.eyJzdWIiOiIxIn0.ZmlybWE", json={"color": "Rojo"}
    )
    prohibido = api.request("PUT", ruta, token=tecnico.token, json={"color": "Rojo"})
    no_existe = api.request("PUT", f"/api/expedientes/{siniestro()}", token=operador_http.token, json={"color": "X"})
    en_blanco = api.request("PUT", "/api/expedientes/%20", token=operador_http.token, json={"color": "Rojo"})
    json_roto = api.request(
        "PUT", ruta, token=operador_http.token, data="{", headers={"Content-Type": "application/json"}
    )

    assert (sin_token.status_code, sin_token.json()) == (401, {"error": "Token requerido"})
    assert (token_malo.status_code, token_malo.json()) == (401, {"error": "Token inválido o expirado"})
    assert (prohibido.status_code, prohibido.json()) == (
        403,
        {"error": "Acceso restringido a administradores y operadores"},
    )
    assert (no_existe.status_code, no_existe.json()) == (404, {"error": "Expediente no encontrado"})
    assert (en_blanco.status_code, en_blanco.json()) == (400, {"error": "No. Siniestro requerido"})
    assert json_roto.status_code == 400
    assert json_roto.json()["error"] == "El cuerpo no es JSON válido"
    guardado = table.get(keys.expediente(no), consistente=True)
    assert guardado is not None
    assert "color" not in guardado


def test_if_match_over_http(api: Any, operador_http: Any, siniestro: Callable[[], str]) -> None:
    no = siniestro()
    _crear(api, operador_http, no)
    ruta = f"/api/expedientes/{no}"

    etag = api.request("GET", ruta, token=operador_http.token).headers["ETag"]
    primera = api.request("PUT", ruta, token=operador_http.token, json={"color": "Rojo"}, headers={"If-Match": etag})
    segunda = api.request("PUT", ruta, token=operador_http.token, json={"color": "Azul"}, headers={"If-Match": etag})

    assert primera.status_code == 200
    assert segunda.status_code == 412
    assert table.get(keys.expediente(no), consistente=True)["color"] == "Rojo"  # type: ignore[index]


def test_workflow_audit_comments_and_delete_over_http(
    api: Any, operador_http: Any, crear_usuario: Callable[..., Any], siniestro: Callable[[], str]
) -> None:
    admin = crear_usuario(Rol.ADMINISTRADOR)
    no = siniestro()
    _crear(api, operador_http, no, id_aseguradora=1)
    ruta = f"/api/expedientes/{no}"

    api.request("PUT", ruta, token=operador_http.token, json={"unidad_terminada": "2024-04-01"})
    for estado in ("Restauracion", "Pendiente_de_salida"):
        r = api.request("PATCH", ruta + "/estado", token=operador_http.token, json={"estado": estado})
        assert r.status_code == 200, r.text
    aprobado = {"aprobada": True, "fecha_entrega": "2024-04-02", "nombre_quien_recibe": "Juan García"}
    assert api.request("PUT", ruta + "/checklist", token=operador_http.token, json=aprobado).status_code == 201
    falta = api.request("PATCH", ruta + "/estado", token=operador_http.token, json={"estado": "Salida"})
    api.request("PUT", ruta, token=operador_http.token, json={"doc_finiquito": True})
    salida = api.request("PATCH", ruta + "/estado", token=operador_http.token, json={"estado": "Salida"})
    historial = api.request("GET", ruta + "/estado/historial", token=operador_http.token)
    auditoria = api.request("GET", ruta + "/auditoria", token=operador_http.token)
    comentario = api.request("POST", ruta + "/comentarios", token=operador_http.token, json={"texto": "Listo"})
    comentarios = api.request("GET", ruta + "/comentarios", token=operador_http.token)
    detalle = api.request("GET", ruta, token=operador_http.token)
    lista = api.request(
        "GET", "/api/expedientes?estado=Salida&id_aseguradora=1&q=juan%20garcia&limit=100", token=operador_http.token
    )
    borrado = api.request("DELETE", ruta, token=admin.token)
    despues = api.request("GET", ruta, token=operador_http.token)

    assert falta.status_code == 409
    assert falta.json() == {"error": "No se puede pasar a Salida: falta doc_finiquito", "faltantes": ["doc_finiquito"]}
    assert salida.status_code == 200
    assert [h["estado_nuevo"] for h in historial.json()["items"]] == [
        "Salida",
        "Pendiente_de_salida",
        "Restauracion",
        "Ingreso",
    ]
    assert [a["cambios"][0]["campo"] for a in auditoria.json()["items"] if a["recurso"] == "expediente"] == [
        "doc_finiquito",
        "unidad_terminada",
    ]
    assert comentario.status_code == 201
    assert [c["texto"] for c in comentarios.json()["items"]] == ["Listo"]
    assert detalle.json()["estado"] == "Salida"
    assert detalle.json()["aseguradora"] == {"id": 1, "nombre": "Qualitas"}
    assert no in [i["no_siniestro"] for i in lista.json()["items"]] or lista.json()["next_cursor"]
    assert borrado.status_code == 200
    assert borrado.json() == {"eliminado": no}
    assert despues.status_code == 404


@pytest.fixture
def paciencia(monkeypatch: pytest.MonkeyPatch) -> None:
    """moto deep-copies the whole table on every transaction (serialised by tools.aws_local): late in a
    long session a burst of conflicting writers is slow locally, so give each request more time."""
    monkeypatch.setattr("tests.e2e.conftest.TIMEOUT", 120)


@pytest.mark.usefixtures("paciencia")
def test_twenty_concurrent_puts_over_http_lose_nothing(
    api: Any, operador_http: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    _crear(api, operador_http, no)
    campos = {f"dato{i}": f"valor {i}" for i in range(1, 5)} | {
        "factura": "F-1",
        "orden": "OT-1",
        "asesor": "Ana",
        "tecnico": "Beto",
        "mecanico": "Carla",
        "vehiculo": "Sedán",
        "observaciones": "Golpe",
        "color": "Gris",
        "correo_cliente": "juan@example.com",
        "comentarios_aseguradora": "Autorizado",
        "dato1_fecha_hora": "2024-03-21T10:00:00.000Z",
        "dato2_fecha_hora": "2024-03-22T10:00:00.000Z",
        "dato3_fecha_hora": "2024-03-23T10:00:00.000Z",
        "dato4_fecha_hora": "2024-03-24T10:00:00.000Z",
        "fecha_valuacion": "2024-03-18T12:00:00.000Z",
        "fecha_autorizacion": "2024-03-19T12:00:00.000Z",
    }
    assert len(campos) == 20

    def escribir(par: tuple[str, str]) -> str:
        r = api.request("PUT", f"/api/expedientes/{no}", token=operador_http.token, json={par[0]: par[1]})
        return "ok" if r.status_code == 200 and r.json().get(par[0]) == par[1] else f"{r.status_code} {r.text}"

    with ThreadPoolExecutor(max_workers=20) as grupo:
        estados = list(grupo.map(escribir, campos.items()))

    assert estados == ["ok"] * 20, [e for e in estados if e != "ok"]
    guardado = table.get(keys.expediente(no), consistente=True)
    assert guardado is not None
    assert {c: guardado.get(c) for c in campos} == campos
    assert int(guardado["version"]) == 21
    auditoria = api.request("GET", f"/api/expedientes/{no}/auditoria?limit=100", token=operador_http.token)
    assert len(auditoria.json()["items"]) == 20


@pytest.mark.usefixtures("paciencia")
def test_eight_concurrent_identical_transitions_over_http_have_one_winner(
    api: Any, operador_http: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    _crear(api, operador_http, no)

    def mover(_: int) -> int:
        r = api.request(
            "PATCH",
            f"/api/expedientes/{no}/estado",
            token=operador_http.token,
            json={"estado": "Restauracion"},
        )
        return int(r.status_code)

    with ThreadPoolExecutor(max_workers=8) as grupo:
        estados = sorted(grupo.map(mover, range(8)))

    assert estados == [200] + [409] * 7
    historial = api.request("GET", f"/api/expedientes/{no}/estado/historial", token=operador_http.token)
    assert [h["estado_nuevo"] for h in historial.json()["items"]] == ["Restauracion", "Ingreso"]
