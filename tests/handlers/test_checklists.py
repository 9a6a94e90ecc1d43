"""The exit checklist through its handlers: catalog, GET, PUT (create, partial, points), DELETE, locking,
audit, concurrency and DynamoDB requests per call. The Salida gate is in test_checklists_salida.py."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse

from monitor.core import keys, table
from tests.apoyo.checklists import (
    PUNTO,
    RUTA_CHECKLIST,
    aprobar_checklist,
    borrar,
    guardado,
    leer,
    poner,
)
from tests.apoyo.expedientes import FECHA_Z, RUTA, auditorias, en_paralelo, evento, nuevo
from tools import funciones

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")

Invocar = Callable[..., dict[str, Any]]
RUTA_CATALOGO = "/api/checklist/catalogo"
CABECERA = {
    "fecha_inspeccion": "2024-04-01",
    "hora": "09:05",
    "inspeccionado_por": "Carlos Pérez",
    "ubicacion": "Patio 2",
    "aprobada": True,
    "detallado": False,
    "carroceo_asignado": "Beto",
    "mecanico_asignado": "Carla",
    "pintor": "Diego",
    "area_detallado": "Área 3",
    "marca_tipo": "Kenworth T680",
    "anio": "2019",
    "serie": "1XKYD49X9KJ000001",
    "areas_danadas": "Costado derecho, defensa",
    "seguro": "Asegurado",
    "fecha_vencimiento_seguro": "2025-01-31",
    "deducible": Decimal("15000.50"),
    "demerito": Decimal("0.05"),
    "lugar_entrega": "Taller Monitor",
    "fecha_entrega": "2024-04-02T17:30:00-06:00",
    "nombre_quien_recibe": "Juan García",
    "firma_quien_recibe": "J. García",
    "observaciones_adicionales": "Se entrega con tanque a la mitad.",
}
CAMPOS_FECHA = ("fecha_inspeccion", "fecha_vencimiento_seguro", "fecha_entrega")


def auditorias_checklist(no: str) -> list[dict[str, Any]]:
    return sorted((a for a in auditorias(no) if a.get("recurso") == "checklist"), key=lambda a: a["SK"])


def catalogo_servido(invocar: Invocar, llamante: Any) -> list[tuple[str, str]]:
    r = invocar("checklists_catalogo", "GET", RUTA_CATALOGO, llamante=llamante)
    assert r["statusCode"] == 200
    return [(s["sistema"], item) for s in r["json"]["sistemas"] for item in s["items"]]


def valores(cuerpo: dict[str, Any]) -> dict[tuple[str, str], str | None]:
    return {(p["sistema"], p["nombre_item"]): p["valor"] for p in cuerpo["items"]}


# ---- catalog
def test_the_catalog_is_served_to_all_staff_as_shipped_without_touching_dynamodb(
    invocar: Invocar, tecnico: Any, dynamo_requests: Any
) -> None:
    r = invocar("checklists_catalogo", "GET", RUTA_CATALOGO, llamante=tecnico)

    assert r["statusCode"] == 200
    assert r["json"]["valores"] == ["OK", "RE", "MA", "NA"]
    assert len(r["json"]["sistemas"]) == 12
    assert sum(len(s["items"]) for s in r["json"]["sistemas"]) == 122
    assert dynamo_requests.total == 0


# ---- create and read
def test_first_put_creates_every_header_field_and_get_reads_them_back(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)

    creado = poner(invocar, tecnico, no, CABECERA)
    leido = leer(invocar, operador, no)

    assert creado["statusCode"] == 201, creado["json"]
    assert creado["headers"]["ETag"] == '"1"'
    assert leido["statusCode"] == 200
    assert leido["headers"]["ETag"] == '"1"'
    assert leido["json"] == creado["json"]
    cuerpo = leido["json"]
    for campo, valor in CABECERA.items():
        if campo in CAMPOS_FECHA:
            assert FECHA_Z.match(cuerpo[campo]), (campo, cuerpo[campo])
        elif campo in ("deducible", "demerito"):
            assert Decimal(str(cuerpo[campo])) == valor, campo
        else:
            assert cuerpo[campo] == valor, campo
    assert cuerpo["fecha_inspeccion"] == "2024-04-01T12:00:00.000Z"  # a date is noon UTC: the day never shifts
    assert cuerpo["fecha_entrega"] == "2024-04-02T23:30:00.000Z"
    assert '"deducible":15000.5' in creado["body"]  # exact, a JSON number
    assert cuerpo["aprobada"] is True
    assert cuerpo["detallado"] is False
    assert cuerpo["no_siniestro"] == no
    assert cuerpo["version"] == 1
    assert tecnico.principal.nombre
    assert cuerpo["creado_por"] == {
        "id": tecnico.principal.id_usuario,
        "username": tecnico.principal.username,
        "nombre": tecnico.principal.nombre,
    }
    assert cuerpo["actualizado_por"] == cuerpo["creado_por"]
    assert FECHA_Z.match(cuerpo["creado_en"])
    assert len(cuerpo["items"]) == 122
    assert all(p["valor"] is None for p in cuerpo["items"])
    assert cuerpo["resumen"] == {"OK": 0, "RE": 0, "MA": 0, "NA": 0, "sin_revisar": 122}


def test_all_122_points_in_one_put_come_back_in_catalog_order(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    puntos = catalogo_servido(invocar, tecnico)
    ciclo = ["OK", "RE", "MA", "NA"]
    enviados = [{"sistema": s, "nombre_item": n, "valor": ciclo[i % 4]} for i, (s, n) in enumerate(reversed(puntos))]

    r = poner(invocar, tecnico, no, {"items": enviados})
    leido = leer(invocar, tecnico, no)["json"]

    assert r["statusCode"] == 201, r["json"]
    assert [(p["sistema"], p["nombre_item"]) for p in leido["items"]] == puntos
    assert valores(leido) == {(p["sistema"], p["nombre_item"]): p["valor"] for p in enviados}
    assert leido["resumen"] == {"OK": 31, "RE": 31, "MA": 30, "NA": 30, "sin_revisar": 0}
    assert leido == r["json"]


def test_partial_puts_keep_every_other_value_dates_included(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    (a, b, c) = catalogo_servido(invocar, tecnico)[:3]
    poner(invocar, tecnico, no, {**CABECERA, "items": [{"sistema": a[0], "nombre_item": a[1], "valor": "OK"}]})
    antes = leer(invocar, tecnico, no)["json"]

    r1 = poner(invocar, tecnico, no, {"ubicacion": "Patio 5"})
    r2 = poner(invocar, tecnico, no, {"items": [{"sistema": b[0], "nombre_item": b[1], "valor": "MA"}]})
    despues = leer(invocar, tecnico, no)["json"]

    assert (r1["statusCode"], r2["statusCode"]) == (200, 200)
    assert despues["ubicacion"] == "Patio 5"
    for campo in CABECERA:
        if campo != "ubicacion":
            assert despues[campo] == antes[campo], campo
    assert valores(despues)[a] == "OK"
    assert valores(despues)[b] == "MA"
    assert valores(despues)[c] is None
    assert despues["version"] == 3
    assert despues["resumen"] == {"OK": 1, "RE": 0, "MA": 1, "NA": 0, "sin_revisar": 120}


def test_null_clears_one_point_and_one_field_and_a_blank_text_clears_too(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    (a, b) = catalogo_servido(invocar, tecnico)[:2]
    dos = [{"sistema": a[0], "nombre_item": a[1], "valor": "OK"}, {"sistema": b[0], "nombre_item": b[1], "valor": "RE"}]
    poner(invocar, tecnico, no, {**CABECERA, "items": dos})

    r = poner(
        invocar,
        tecnico,
        no,
        {"pintor": None, "serie": "   ", "items": [{"sistema": a[0], "nombre_item": a[1], "valor": None}]},
    )

    assert r["statusCode"] == 200, r["json"]
    assert r["json"]["pintor"] is None
    assert r["json"]["serie"] is None
    assert valores(r["json"])[a] is None
    assert valores(r["json"])[b] == "RE"
    item = guardado(no)
    assert item is not None
    assert "pintor" not in item
    assert "serie" not in item
    assert item["puntos"] == {b[0]: {b[1]: "RE"}}
    assert item["resumen"]["sin_revisar"] == 121


@pytest.mark.parametrize(
    ("cuerpo", "campo", "mensaje"),
    [
        pytest.param(
            {"items": [{"sistema": "SISTEMA DE FRENO", "nombre_item": "Balatas de oro", "valor": "OK"}]},
            "items.0",
            "Balatas de oro",
            id="punto-desconocido",
        ),
        pytest.param(
            {"items": [{"sistema": "SISTEMA SOLAR", "nombre_item": "Liquido de freno", "valor": "OK"}]},
            "items.0",
            "SISTEMA SOLAR",
            id="sistema-desconocido",
        ),
        pytest.param(
            {"items": [{"sistema": "SISTEMA DE FRENO", "nombre_item": "Liquido de freno", "valor": "XX"}]},
            "items.0.valor",
            "'XX'",
            id="valor-desconocido",
        ),
        pytest.param(
            {"items": [{"sistema": "SISTEMA DE FRENO", "nombre_item": "Liquido de freno", "valor": "ok"}]},
            "items.0.valor",
            "'ok'",
            id="valor-en-minusculas",
        ),
        pytest.param(
            {"items": [{"sistema": "SISTEMA DE FRENO", "nombre_item": "Liquido de freno"}]},
            "items.0.valor",
            "Campo obligatorio",
            id="valor-ausente",
        ),
        pytest.param(
            {
                "items": [
                    {"sistema": "SISTEMA DE FRENO", "nombre_item": "Liquido de freno", "valor": "OK"},
                    {"sistema": "SISTEMA DE FRENO", "nombre_item": "Liquido de freno", "valor": "MA"},
                ]
            },
            "items",
            "Punto repetido: SISTEMA DE FRENO / Liquido de freno",
            id="punto-repetido",
        ),
        pytest.param({"items": {"a": 1}}, "items", "Debe ser una lista", id="items-no-lista"),
        pytest.param({"hora": "24:00"}, "hora", "HH:MM", id="hora-24"),
        pytest.param({"hora": "9:30"}, "hora", "HH:MM", id="hora-sin-cero"),
        pytest.param({"hora": "09:60"}, "hora", "HH:MM", id="minuto-60"),
        pytest.param({"hora": 930}, "hora", "Debe ser texto", id="hora-numero"),
        pytest.param({"fecha_inspeccion": "2024-02-30"}, "fecha_inspeccion", "Fecha inválida", id="fecha-imposible"),
        pytest.param({"fecha_entrega": "mañana"}, "fecha_entrega", "Fecha inválida", id="fecha-texto"),
        pytest.param({"deducible": "1500"}, "deducible", "número decimal", id="monto-como-texto"),
        pytest.param({"deducible": 10.555}, "deducible", "decimales", id="monto-tres-decimales"),
        pytest.param({"demerito": -1}, "demerito", "mayor o igual", id="monto-negativo"),
        pytest.param({"deducible": True}, "deducible", "número decimal", id="monto-booleano"),
        pytest.param({"aprobada": "true"}, "aprobada", "verdadero o falso", id="booleano-texto"),
        pytest.param({"detallado": 1}, "detallado", "verdadero o falso", id="booleano-numero"),
        pytest.param({"seguro": "Otro"}, "seguro", "Asegurado", id="seguro-desconocido"),
        pytest.param({"anio": 2019}, "anio", "Debe ser texto", id="texto-numero"),
        pytest.param({"pintor": "x" * 256}, "pintor", "255", id="texto-largo"),
        pytest.param({"estado": "Salida"}, "estado", "Campo no permitido", id="campo-desconocido"),
    ],
)
def test_bad_input_is_400_naming_it_and_changes_nothing(  # noqa: PLR0917
    invocar: Invocar,
    operador: Any,
    tecnico: Any,
    siniestro: Callable[[], str],
    cuerpo: dict[str, Any],
    campo: str,
    mensaje: str,
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    poner(invocar, tecnico, no, {"ubicacion": "Patio 1"})
    antes, auditados = guardado(no), len(auditorias_checklist(no))

    r = poner(invocar, tecnico, no, {**cuerpo, "ubicacion": "Patio 9"})

    assert r["statusCode"] == 400, r["json"]
    detalles = {d["campo"]: d["mensaje"] for d in r["json"]["detalles"]}
    assert campo in detalles, r["json"]
    assert mensaje in detalles[campo], detalles
    assert guardado(no) == antes
    assert len(auditorias_checklist(no)) == auditados


def test_a_bad_first_put_creates_nothing(invocar: Invocar, operador: Any, siniestro: Callable[[], str]) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)

    r = poner(invocar, operador, no, {**CABECERA, "items": [{"sistema": "X", "nombre_item": "Y", "valor": "OK"}]})

    assert r["statusCode"] == 400
    assert "X / Y" in r["json"]["detalles"][0]["mensaje"]
    assert guardado(no) is None
    assert auditorias_checklist(no) == []


@pytest.mark.parametrize("cuerpo", [{}, {"items": []}, "", "[]", "no es json"])
def test_an_empty_or_broken_body_is_400(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], cuerpo: Any
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)

    r = poner(invocar, operador, no, cuerpo)

    assert r["statusCode"] == 400, r["json"]
    assert guardado(no) is None


def test_a_put_that_changes_nothing_writes_nothing(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    poner(invocar, operador, no, {"ubicacion": "Patio 1", "deducible": 100})
    dynamo_requests.reiniciar()

    r = poner(invocar, operador, no, {"ubicacion": "Patio 1", "deducible": Decimal("100.00")})

    assert r["statusCode"] == 200
    assert r["json"]["version"] == 1
    assert dynamo_requests.llamadas == {"GetItem": 1}
    assert len(auditorias_checklist(no)) == 1


# ---- 404s
def test_missing_expediente_or_checklist_is_404(
    invocar: Invocar, operador: Any, admin: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    sin_expediente, sin_checklist = siniestro(), siniestro()
    nuevo(invocar, operador, sin_checklist)
    dynamo_requests.reiniciar()

    get_falta = leer(invocar, operador, sin_checklist)
    assert dynamo_requests.llamadas == {"GetItem": 2}  # the checklist, then the expediente to tell which 404
    get_sin = leer(invocar, operador, sin_expediente)
    put_sin = poner(invocar, operador, sin_expediente, {"ubicacion": "Patio 1"})
    del_falta = borrar(invocar, admin, sin_checklist)
    del_sin = borrar(invocar, admin, sin_expediente)
    en_blanco = leer(invocar, operador, "  ")

    assert (get_falta["statusCode"], get_falta["json"]) == (404, {"error": "Checklist de salida no encontrado"})
    assert (del_falta["statusCode"], del_falta["json"]) == (404, {"error": "Checklist de salida no encontrado"})
    for r in (get_sin, put_sin, del_sin):
        assert (r["statusCode"], r["json"]) == (404, {"error": "Expediente no encontrado"})
    assert (en_blanco["statusCode"], en_blanco["json"]) == (400, {"error": "No. Siniestro requerido"})
    assert guardado(sin_expediente) is None  # the PUT's ConditionCheck refused the orphan


# ---- optimistic locking
def test_if_match_current_succeeds_and_stale_is_412_with_the_current_etag(
    invocar: Invocar, operador: Any, admin: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    sin_checklist = poner(invocar, operador, no, {"pintor": "Ana"}, headers={"If-Match": '"1"'})
    etag = poner(invocar, operador, no, {"pintor": "Ana"})["headers"]["ETag"]

    primera = poner(invocar, operador, no, {"pintor": "Beto"}, headers={"If-Match": etag})
    segunda = poner(invocar, operador, no, {"pintor": "Carla"}, headers={"If-Match": etag})
    borrado_viejo = borrar(invocar, admin, no, headers={"If-Match": etag})
    comodin = poner(invocar, operador, no, {"pintor": "Diego"}, headers={"If-Match": "*"})

    assert sin_checklist["statusCode"] == 412
    assert primera["statusCode"] == 200
    assert primera["headers"]["ETag"] == '"2"'
    assert (segunda["statusCode"], segunda["json"]) == (412, {"error": "El checklist cambió desde su última lectura"})
    assert segunda["headers"]["ETag"] == '"2"'
    assert borrado_viejo["statusCode"] == 412
    assert borrado_viejo["headers"]["ETag"] == '"2"'
    assert comodin["statusCode"] == 200
    assert comodin["json"]["pintor"] == "Diego"
    assert borrar(invocar, admin, no, headers={"If-Match": comodin["headers"]["ETag"]})["statusCode"] == 200


def test_a_stale_if_match_writes_nothing(
    invocar: Invocar, operador: Any, admin: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    poner(invocar, operador, no, {"pintor": "Ana"})
    poner(invocar, operador, no, {"pintor": "Beto"})
    antes = guardado(no)
    dynamo_requests.reiniciar()

    put_viejo = poner(invocar, operador, no, {"pintor": "Carla"}, headers={"If-Match": 'W/"1"'})
    delete_viejo = borrar(invocar, admin, no, headers={"If-Match": "1"})
    ilegible = borrar(invocar, admin, no, headers={"If-Match": '"dos"'})

    assert [r["statusCode"] for r in (put_viejo, delete_viejo, ilegible)] == [412, 412, 412]
    assert {r["headers"]["ETag"] for r in (put_viejo, delete_viejo, ilegible)} == {'"2"'}
    assert dynamo_requests.llamadas == {"GetItem": 3}  # one consistent read each, no write
    assert guardado(no) == antes
    assert len(auditorias_checklist(no)) == 2


# ---- names beside ids
def test_who_created_and_who_last_changed_it_come_with_their_names(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    poner(invocar, tecnico, no, {"pintor": "Ana"})

    cambiado = poner(invocar, operador, no, {"pintor": "Beto", "creado_por": {"id": 1, "nombre": "Otro"}})
    sin_lectura = poner(invocar, operador, no, {"pintor": "Beto"})

    assert cambiado["statusCode"] == 400  # server-owned: never taken from a body
    cuerpo = sin_lectura["json"]
    assert cuerpo["creado_por"]["nombre"] == tecnico.principal.nombre
    assert cuerpo["actualizado_por"] == {
        "id": operador.principal.id_usuario,
        "username": operador.principal.username,
        "nombre": operador.principal.nombre,
    }
    assert guardado(no)["actualizado_por"]["nombre"] == operador.principal.nombre  # type: ignore[index]


def test_a_checklist_written_before_names_were_stored_answers_null(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    poner(invocar, tecnico, no, {"pintor": "Ana"})
    # Given the checklist as older code wrote it: who-fields with id and username only
    antiguo = {"id": tecnico.principal.id_usuario, "username": tecnico.principal.username}
    table.update(keys.checklist(no), "SET creado_por = :quien, actualizado_por = :quien", {":quien": antiguo})

    r = leer(invocar, operador, no)

    assert r["json"]["creado_por"] == {**antiguo, "nombre": None}
    assert r["json"]["actualizado_por"] == {**antiguo, "nombre": None}


# ---- audit
def test_every_write_is_audited_with_who_old_and_new_values(
    invocar: Invocar, operador: Any, tecnico: Any, admin: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    punto = {"sistema": "SISTEMA DE FRENO", "nombre_item": "Liquido de freno"}
    poner(invocar, tecnico, no, {"deducible": Decimal("1500.50"), "items": [{**punto, "valor": "OK"}]})
    poner(invocar, operador, no, {"deducible": None, "aprobada": False, "items": [{**punto, "valor": "MA"}]})
    borrar(invocar, admin, no)

    r = invocar(
        "expedientes_auditoria", "GET", RUTA + "/auditoria", llamante=operador, ruta_params={"no_siniestro": no}
    )

    entradas = [e for e in r["json"]["items"] if e["recurso"] == "checklist"]
    assert [e["usuario"]["id"] for e in entradas] == [
        admin.principal.id_usuario,
        operador.principal.id_usuario,
        tecnico.principal.id_usuario,
    ]
    borrado, cambio, alta = entradas
    assert alta["cambios"] == [
        {"campo": "deducible", "anterior": None, "nuevo": 1500.5},
        {"campo": "items.SISTEMA DE FRENO.Liquido de freno", "anterior": None, "nuevo": "OK"},
    ]
    assert '"nuevo":1500.5' in r["body"]  # the amount keeps its cents in the audit
    assert cambio["cambios"] == [
        {"campo": "aprobada", "anterior": None, "nuevo": False},
        {"campo": "deducible", "anterior": 1500.5, "nuevo": None},
        {"campo": "items.SISTEMA DE FRENO.Liquido de freno", "anterior": "OK", "nuevo": "MA"},
    ]
    assert borrado["cambios"] == [
        {"campo": "aprobada", "anterior": False, "nuevo": None},
        {"campo": "items.SISTEMA DE FRENO.Liquido de freno", "anterior": "MA", "nuevo": None},
    ]


# ---- delete
def test_delete_is_for_administrators_and_removes_the_checklist(  # noqa: PLR0917
    invocar: Invocar, operador: Any, tecnico: Any, admin: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    poner(invocar, tecnico, no, {"pintor": "Ana"})

    negado_op = borrar(invocar, operador, no)
    negado_tec = borrar(invocar, tecnico, no)
    dynamo_requests.reiniciar()
    r = borrar(invocar, admin, no)

    assert (negado_op["statusCode"], negado_op["json"]) == (403, {"error": "Acceso restringido a administradores"})
    assert negado_tec["statusCode"] == 403
    assert (r["statusCode"], r["json"]) == (200, {"eliminado": no})
    assert dynamo_requests.llamadas == {"GetItem": 1, "TransactWriteItems": 1}
    assert guardado(no) is None
    assert leer(invocar, tecnico, no)["statusCode"] == 404
    assert poner(invocar, tecnico, no, {"pintor": "Beto"})["statusCode"] == 201  # a new one starts at version 1


def test_deleting_the_expediente_deletes_its_checklist(
    invocar: Invocar, operador: Any, admin: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    aprobar_checklist(invocar, operador, no)

    r = invocar("expedientes_delete", "DELETE", RUTA, llamante=admin, ruta_params={"no_siniestro": no})

    assert r["statusCode"] == 200
    assert guardado(no) is None
    assert leer(invocar, operador, no)["json"] == {"error": "Expediente no encontrado"}


# ---- requests per call
def test_dynamodb_requests_per_call(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    por_llamada = {}

    for nombre, llamar in (
        ("PUT alta", lambda: poner(invocar, operador, no, {**CABECERA, "items": [{**PUNTO, "valor": "OK"}]})),
        ("PUT cambio", lambda: poner(invocar, operador, no, {"items": [{**PUNTO, "valor": "RE"}]})),
        ("GET", lambda: leer(invocar, operador, no)),
        ("catálogo", lambda: invocar("checklists_catalogo", "GET", RUTA_CATALOGO, llamante=operador)),
    ):
        dynamo_requests.reiniciar()
        assert llamar()["statusCode"] < 300
        por_llamada[nombre] = dict(dynamo_requests.llamadas)

    assert por_llamada == {
        "PUT alta": {"GetItem": 1, "TransactWriteItems": 1},
        "PUT cambio": {"GetItem": 1, "TransactWriteItems": 1},
        "GET": {"GetItem": 1},
        "catálogo": {},
    }


# ---- the expediente's detail
def test_the_detail_shows_the_checklist_approval_and_summary_in_the_same_two_requests(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    no, sin = siniestro(), siniestro()
    nuevo(invocar, operador, no, id_aseguradora=1)
    nuevo(invocar, operador, sin)
    puntos = catalogo_servido(invocar, tecnico)[:3]
    items = [{"sistema": s, "nombre_item": n, "valor": v} for (s, n), v in zip(puntos, ["OK", "MA", "OK"], strict=True)]
    aprobar_checklist(invocar, tecnico, no, items=items)
    dynamo_requests.reiniciar()

    r = invocar("expedientes_get", "GET", RUTA, llamante=tecnico, ruta_params={"no_siniestro": no})
    pedidas = dict(dynamo_requests.llamadas)
    vacio = invocar("expedientes_get", "GET", RUTA, llamante=tecnico, ruta_params={"no_siniestro": sin})

    assert r["statusCode"] == 200
    assert pedidas == {"Query": 1, "GetItem": 1}
    assert r["json"]["checklist"] == {
        "aprobada": True,
        "resumen": {"OK": 2, "RE": 0, "MA": 1, "NA": 0, "sin_revisar": 119},
    }
    assert r["json"]["estado"] == "Ingreso"  # the meta item is still the one found
    assert vacio["json"]["checklist"] is None


# ---- concurrency
def test_twenty_concurrent_puts_on_different_points_keep_all_twenty_values(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str]
) -> None:
    # Given an expediente without checklist and 20 writers, each its own process like 20 Lambda containers
    no = siniestro()
    nuevo(invocar, operador, no)
    puntos = catalogo_servido(invocar, tecnico)[::6][:20]
    assert len(puntos) == 20
    ciclo = ["OK", "RE", "MA", "NA"]
    esperados = {punto: ciclo[i % 4] for i, punto in enumerate(puntos)}
    peticiones = [
        evento(
            "PUT",
            RUTA_CHECKLIST,
            {"no_siniestro": no},
            {"items": [{"sistema": s, "nombre_item": n, "valor": v}]},
            tecnico,
        )
        for (s, n), v in esperados.items()
    ]

    # When they all PUT at once (the first of them creates the checklist)
    respuestas = en_paralelo("checklists_put", peticiones)

    # Then one created it, every value is there, and each write has its version and its audit entry
    assert sorted(r[0] for r in respuestas) == [200] * 19 + [201]
    leido = leer(invocar, tecnico, no)["json"]
    assert {p: v for p, v in valores(leido).items() if v is not None} == esperados
    assert leido["version"] == 20
    assert leido["resumen"]["sin_revisar"] == 102
    entradas = auditorias_checklist(no)
    assert len(entradas) == 20
    assert sorted(int(e["version"]) for e in entradas) == list(range(1, 21))
    assert all(c["anterior"] is None for e in entradas for c in e["cambios"])


# ---- events/
@pytest.mark.parametrize("nombre", ["checklists_catalogo", "checklists_get", "checklists_put", "checklists_delete"])
def test_each_event_is_answered_with_json_and_no_server_error(nombre: str) -> None:
    evento_api = json.loads((Path(__file__).resolve().parents[2] / "events" / f"{nombre}.json").read_text("utf-8"))

    respuesta = funciones.invocar(funciones.cargar(nombre), evento_api, nombre)

    assert respuesta["statusCode"] < 500, respuesta
    assert json.loads(respuesta["body"])
    if nombre == "checklists_catalogo":
        assert respuesta["statusCode"] == 200


class _Crudo:
    def __init__(self, cuerpo: bytes) -> None:
        self.cuerpo = cuerpo

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.cuerpo


class ConflictoUnaVez:
    """Once armed, DynamoDB answers the next TransactWriteItems with TransactionConflict (another transaction
    on the same item, which moto never produces)."""

    def __init__(self) -> None:
        self.armado = False
        self.enviados = 0

    def responder(self, request: Any, **_: Any) -> AWSResponse | None:
        if not self.armado or not request.headers.get("X-Amz-Target", b"").endswith(b"TransactWriteItems"):
            return None
        self.armado = False
        self.enviados += 1
        cuerpo = json.dumps(
            {
                "__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
                "message": "Transaction cancelled",
                "CancellationReasons": [{"Code": "None"}, {"Code": "TransactionConflict"}, {"Code": "None"}],
            }
        ).encode()
        return AWSResponse(request.url, 400, {"Content-Type": "application/x-amz-json-1.0"}, _Crudo(cuerpo))


@pytest.fixture
def conflicto() -> Iterator[ConflictoUnaVez]:
    table.cliente.cache_clear()  # a client of its own, hooked only for this test
    inyector = ConflictoUnaVez()
    eventos = table.cliente().meta.events
    eventos.register("before-send.dynamodb", inyector.responder, unique_id="checklist-conflicto")
    yield inyector
    eventos.unregister("before-send.dynamodb", unique_id="checklist-conflicto")
    table.cliente.cache_clear()


def test_a_transaction_conflict_is_read_again_and_retried_not_a_503(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], conflicto: ConflictoUnaVez
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    conflicto.armado = True

    r = poner(invocar, operador, no, {"items": [{**PUNTO, "valor": "NA"}]})

    assert conflicto.enviados == 1
    assert r["statusCode"] == 201, r["json"]
    assert valores(r["json"])[(PUNTO["sistema"], PUNTO["nombre_item"])] == "NA"
    assert len(auditorias_checklist(no)) == 1
