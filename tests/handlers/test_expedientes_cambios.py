"""PUT /api/expedientes/{no_siniestro}: the seed's contract, field by field, through the handler."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from monitor.core import table
from tests.apoyo.expedientes import (
    FECHA_Z,
    RUTA,
    SEED,
    Invocar,
    auditorias,
    en_paralelo,
    evento,
    meta,
    nuevo,
    put,
)

CAMPOS_FECHA = {
    "fecha_ingreso",
    "fecha_valuacion",
    "fecha_autorizacion",
    "fecha_pzas_completas",
    "unidad_terminada",
    "fecha_entrega",
    "dato1_fecha_hora",
    "dato2_fecha_hora",
    "dato3_fecha_hora",
    "dato4_fecha_hora",
    "comentarios_aseguradora_fh",
}


def _tipo_json(valor: Any) -> str:
    return type(json.loads(json.dumps(valor))).__name__


# ---- the seed's example, key by key
def test_put_with_the_seed_example_returns_the_seed_shape_types_and_formats(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str]
) -> None:
    # Given an expediente in Ingreso
    no = siniestro()
    nuevo(invocar, operador, no)

    # When the seed's whole example response is sent back as a PUT body
    r = put(invocar, operador, no, SEED)

    # Then every key of the seed is in the answer with the same JSON type and format
    assert r["statusCode"] == 200, r["json"]
    cuerpo = r["json"]
    for clave, valor in SEED.items():
        assert clave in cuerpo, clave
        if valor is not None:
            assert _tipo_json(cuerpo[clave]) == _tipo_json(valor), clave
        if clave in CAMPOS_FECHA and valor is not None:
            assert FECHA_Z.match(cuerpo[clave]), (clave, cuerpo[clave])
    # and the writable values are the seed's; server-owned ones are ours (estado and friends were stripped)
    propios = {"no_siniestro", "estado", "creado_por", "ubicacion_almacenamiento"}
    assert {k: v for k, v in cuerpo.items() if k in SEED and k not in propios} == {
        k: v for k, v in SEED.items() if k not in propios
    }
    assert cuerpo["no_siniestro"] == no
    assert cuerpo["estado"] == "Ingreso"
    assert cuerpo["ubicacion_almacenamiento"] == "Local"
    assert cuerpo["creado_por"] == operador.principal.id_usuario
    assert {"fecha_entrega", "version", "creado_en", "actualizado_en"} <= cuerpo.keys()
    assert cuerpo["version"] == 2
    assert r["headers"]["ETag"] == '"2"'


def test_get_detail_has_every_key_of_the_seed_with_its_type(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    put(invocar, operador, no, SEED)

    r = invocar("expedientes_get", "GET", RUTA, llamante=tecnico, ruta_params={"no_siniestro": no})

    assert r["statusCode"] == 200
    for clave, valor in SEED.items():
        assert clave in r["json"], clave
        if valor is not None:
            assert _tipo_json(r["json"][clave]) == _tipo_json(valor), clave
    assert r["json"]["aseguradora"] == {"id": 1, "nombre": "Qualitas"}


def test_seed_request_example_normalises_the_date_to_noon_utc(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)

    r = put(invocar, operador, no, {"tecnico": "Carlos Pérez", "fecha_pzas_completas": "2024-03-22"})

    assert r["statusCode"] == 200
    assert r["json"]["tecnico"] == "Carlos Pérez"
    assert r["json"]["fecha_pzas_completas"] == "2024-03-22T12:00:00.000Z"
    assert meta(no)["fecha_pzas_completas"] == "2024-03-22T12:00:00.000Z"  # type: ignore[index]
    # omitted fields are left exactly as they were
    assert r["json"]["marca"] == "Toyota"
    assert r["json"]["fecha_ingreso"] == "2024-03-15T12:00:00.000Z"


@pytest.mark.parametrize(
    ("campo", "enviado", "guardado"),
    [
        ("dato1_fecha_hora", "2024-03-20T04:30:00-06:00", "2024-03-20T10:30:00.000Z"),
        ("comentarios_aseguradora_fh", "2024-03-20T10:30:00Z", "2024-03-20T10:30:00.000Z"),
        ("dato4_fecha_hora", "2024-03-20T10:30:00.123456+00:00", "2024-03-20T10:30:00.123Z"),
        ("fecha_valuacion", "2024-03-18T23:30:00-06:00", "2024-03-19T05:30:00.000Z"),
        ("unidad_terminada", "2024-02-29", "2024-02-29T12:00:00.000Z"),
    ],
)
def test_dates_and_timestamps_are_stored_in_utc_with_milliseconds(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], *, campo: str, enviado: str, guardado: str
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)

    r = put(invocar, operador, no, {campo: enviado})

    assert r["statusCode"] == 200, r["json"]
    assert r["json"][campo] == guardado
    assert meta(no)[campo] == guardado  # type: ignore[index]


def test_null_clears_a_field(invocar: Invocar, operador: Any, siniestro: Callable[[], str]) -> None:
    no = siniestro()
    nuevo(invocar, operador, no, color="Blanco", doc_finiquito=True, id_aseguradora=2)

    r = put(invocar, operador, no, {"color": None, "doc_finiquito": None, "id_aseguradora": None})

    assert r["statusCode"] == 200
    assert r["json"]["color"] is None
    assert r["json"]["doc_finiquito"] is None
    assert r["json"]["id_aseguradora"] is None
    guardado = meta(no)
    assert guardado is not None
    assert "color" not in guardado
    assert "id_aseguradora" not in guardado
    assert "GSI3PK" not in guardado  # no longer listed under the insurer


def test_booleans_are_stored_as_booleans(invocar: Invocar, operador: Any, siniestro: Callable[[], str]) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)

    r = put(invocar, operador, no, {"doc_identificacion": True, "doc_caratula_poliza": False})

    assert r["statusCode"] == 200
    assert r["json"]["doc_identificacion"] is True
    assert r["json"]["doc_caratula_poliza"] is False
    assert r["json"]["doc_finiquito"] is None
    guardado = meta(no)
    assert guardado is not None
    assert guardado["doc_identificacion"] is True
    assert guardado["doc_caratula_poliza"] is False


def test_estado_and_read_only_fields_are_silently_stripped(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    creado = nuevo(invocar, operador, no)

    r = put(
        invocar,
        operador,
        no,
        {
            "estado": "Salida",
            "no_siniestro": "OTRO-1",
            "creado_por": 999,
            "ubicacion_almacenamiento": "Bodega",
            "version": 40,
            "creado_en": "2020-01-01T00:00:00.000Z",
            "actualizado_en": "2020-01-01T00:00:00.000Z",
            "color": "Rojo",
        },
    )

    assert r["statusCode"] == 200, r["json"]
    assert r["json"]["color"] == "Rojo"
    assert r["json"]["estado"] == "Ingreso"
    assert r["json"]["no_siniestro"] == no
    assert r["json"]["creado_por"] == creado["creado_por"]
    assert r["json"]["ubicacion_almacenamiento"] == "Local"
    assert r["json"]["version"] == 2
    assert r["json"]["creado_en"] == creado["creado_en"]
    assert meta("OTRO-1") is None  # the claim number in the body is never used
    assert meta(no)["estado"] == "Ingreso"  # type: ignore[index]


def test_an_administrator_may_update_too(invocar: Invocar, admin: Any, siniestro: Callable[[], str]) -> None:
    no = siniestro()
    nuevo(invocar, admin, no)

    r = put(invocar, admin, no, {"asesor": "María López"})

    assert r["statusCode"] == 200
    assert r["json"]["asesor"] == "María López"


# ---- 400s leave the item unchanged
@pytest.mark.parametrize(
    ("cuerpo", "campo"),
    [
        ({"fecha_valuacion": "2024-13-45"}, "fecha_valuacion"),
        ({"fecha_valuacion": "mañana"}, "fecha_valuacion"),
        ({"dato1_fecha_hora": "20/03/2024 10:30"}, "dato1_fecha_hora"),
        ({"dato1": "x" * 501}, "dato1"),
        ({"dato3": "x" * 501, "color": "Azul"}, "dato3"),
        ({"campo_inventado": "x", "color": "Azul"}, "campo_inventado"),
        ({"marca": 5}, "marca"),
        ({"doc_finiquito": "yes"}, "doc_finiquito"),
        ({"doc_finiquito": 1}, "doc_finiquito"),
        ({"id_aseguradora": "1"}, "id_aseguradora"),
        ({"id_aseguradora": True}, "id_aseguradora"),
        ({"id_aseguradora": 0}, "id_aseguradora"),
        ({"id_aseguradora": 1.5}, "id_aseguradora"),
        ({"nombre_cliente": None}, "body"),
        ({"placas": "   "}, "placas"),
        ({"correo_cliente": "no-es-correo"}, "correo_cliente"),
        ({}, "body"),
        ({"estado": "Salida"}, "body"),
    ],
)
def test_invalid_bodies_are_400_with_detalles_and_change_nothing(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], cuerpo: Any, campo: str
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no, color="Blanco")
    antes = meta(no)

    r = put(invocar, operador, no, cuerpo)

    assert r["statusCode"] == 400
    assert isinstance(r["json"]["error"], str)
    assert r["json"]["error"]
    assert campo in [d["campo"] for d in r["json"]["detalles"]]
    assert all(isinstance(d["mensaje"], str) and d["mensaje"] for d in r["json"]["detalles"])
    assert meta(no) == antes
    assert auditorias(no) == []


@pytest.mark.parametrize(("cuerpo", "error"), [(None, "El cuerpo de la solicitud es obligatorio"), ("{", None)])
def test_empty_body_and_invalid_json_are_400(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], cuerpo: Any, error: str | None
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    antes = meta(no)

    r = put(invocar, operador, no, cuerpo)

    assert r["statusCode"] == 400
    assert r["json"]["error"] == (error or "El cuerpo no es JSON válido")
    assert r["json"]["detalles"]
    assert meta(no) == antes


def test_unknown_insurer_is_400_and_changes_nothing(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no, id_aseguradora=1)
    antes = meta(no)

    r = put(invocar, operador, no, {"id_aseguradora": 999999, "color": "Verde"})

    assert r["statusCode"] == 400
    assert r["json"]["error"] == "La aseguradora no existe"
    assert r["json"]["detalles"][0]["campo"] == "id_aseguradora"
    assert meta(no) == antes
    assert auditorias(no) == []


def test_changing_the_insurer_moves_the_list_index(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no, id_aseguradora=1)

    r = put(invocar, operador, no, {"id_aseguradora": 3, "fecha_ingreso": "2024-05-01"})

    assert r["statusCode"] == 200
    guardado = meta(no)
    assert guardado is not None
    assert guardado["GSI3PK"] == "EXPEDIENTES#ASEG#3"
    assert guardado["GSI1SK"].startswith("2024-05-01T12:00:00.000Z#")
    assert guardado["GSI2SK"] == guardado["GSI1SK"] == guardado["GSI3SK"]


# ---- the seed's error rows
def test_blank_path_segment_is_400_no_siniestro_requerido(invocar: Invocar, operador: Any) -> None:
    r = put(invocar, operador, " ", {"color": "Rojo"})

    assert r["statusCode"] == 400
    assert r["json"] == {"error": "No. Siniestro requerido"}


def test_missing_expediente_is_404(invocar: Invocar, operador: Any, siniestro: Callable[[], str]) -> None:
    no = siniestro()

    r = put(invocar, operador, no, {"color": "Rojo"})

    assert r["statusCode"] == 404
    assert r["json"] == {"error": "Expediente no encontrado"}
    assert meta(no) is None


def test_tecnico_is_403_whatever_the_body(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    antes = meta(no)

    for cuerpo in ({"color": "Rojo"}, "{", {"inventado": 1}):
        r = put(invocar, tecnico, no, cuerpo)
        assert r["statusCode"] == 403
        assert r["json"] == {"error": "Acceso restringido a administradores y operadores"}
    assert meta(no) == antes


def test_without_a_principal_it_is_401_token_requerido(invocar: Invocar, siniestro: Callable[[], str]) -> None:
    r = put(invocar, None, siniestro(), {"color": "Rojo"})

    assert r["statusCode"] == 401
    assert r["json"] == {"error": "Token requerido"}


def test_an_unexpected_failure_is_500_with_the_seed_text(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)

    def roto(*_: Any, **__: Any) -> None:
        raise RuntimeError("fallo inesperado")

    monkeypatch.setattr(table.Transaccion, "ejecutar", roto)
    r = put(invocar, operador, no, {"color": "Rojo"})

    assert r["statusCode"] == 500
    assert r["json"] == {"error": "Error interno al actualizar expediente"}


def test_dynamodb_throttling_is_503_with_retry_after_and_nothing_written(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    antes = meta(no)

    def limitada(**_: Any) -> None:
        raise ClientError(
            {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "lento"}}, "TransactWriteItems"
        )

    monkeypatch.setattr(table.cliente(), "transact_write_items", limitada)
    r = put(invocar, operador, no, {"color": "Rojo"})
    monkeypatch.undo()

    assert r["statusCode"] == 503
    assert r["headers"]["Retry-After"]
    assert r["json"]["error"]
    assert meta(no) == antes
    assert auditorias(no) == []


# ---- optimistic locking, audit, request counts
def test_if_match_with_the_current_version_succeeds_and_a_stale_one_is_412(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)

    bien = put(invocar, operador, no, {"color": "Rojo"}, headers={"If-Match": "1"})
    citado = put(invocar, operador, no, {"color": "Azul"}, headers={"If-Match": '"2"'})
    antes = meta(no)
    viejo = put(invocar, operador, no, {"color": "Verde"}, headers={"If-Match": '"2"'})
    basura = put(invocar, operador, no, {"color": "Verde"}, headers={"If-Match": "abc"})

    assert bien["statusCode"] == 200
    assert bien["headers"]["ETag"] == '"2"'
    assert citado["statusCode"] == 200
    assert citado["headers"]["ETag"] == '"3"'
    assert viejo["statusCode"] == 412
    assert set(viejo["json"]) == {"error"}
    assert viejo["headers"]["ETag"] == '"3"'
    assert basura["statusCode"] == 412
    assert meta(no) == antes


def test_a_put_that_changes_nothing_is_200_without_audit_or_version_bump(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no, color="Blanco", doc_finiquito=False)
    dynamo_requests.reiniciar()

    r = put(invocar, operador, no, {"color": "Blanco", "doc_finiquito": False, "fecha_ingreso": "2024-03-15"})

    assert r["statusCode"] == 200
    assert r["json"]["version"] == 1
    assert dynamo_requests.llamadas == {"GetItem": 1}
    assert auditorias(no) == []


def test_every_change_is_audited_with_who_when_old_and_new(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no, color="Blanco", id_aseguradora=1)
    put(invocar, operador, no, {"color": "Rojo", "id_aseguradora": 2, "doc_finiquito": True, "marca": "Toyota"})
    put(invocar, operador, no, {"color": None})

    r = invocar(
        "expedientes_auditoria", "GET", RUTA + "/auditoria", llamante=operador, ruta_params={"no_siniestro": no}
    )

    assert r["statusCode"] == 200
    ultima, primera = r["json"]["items"]
    assert ultima["cambios"] == [{"campo": "color", "anterior": "Rojo", "nuevo": None}]
    assert sorted(primera["cambios"], key=lambda c: c["campo"]) == [
        {"campo": "color", "anterior": "Blanco", "nuevo": "Rojo"},
        {"campo": "doc_finiquito", "anterior": None, "nuevo": True},
        {"campo": "id_aseguradora", "anterior": 1, "nuevo": 2},
    ]
    assert primera["usuario"] == {
        "id": operador.principal.id_usuario,
        "username": operador.principal.username,
        "nombre": operador.principal.nombre,
    }
    assert FECHA_Z.match(primera["fecha"])
    assert ultima["fecha"] >= primera["fecha"]
    assert {primera["recurso"], ultima["recurso"]} == {"expediente"}
    assert r["json"]["next_cursor"] is None


def test_put_costs_two_dynamodb_requests_without_conflict(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    dynamo_requests.reiniciar()

    r = put(invocar, operador, no, {"color": "Rojo", "id_aseguradora": 2})

    assert r["statusCode"] == 200
    assert dynamo_requests.llamadas == {"GetItem": 1, "TransactWriteItems": 1}


def test_twenty_concurrent_puts_on_different_fields_all_survive(
    operador: Any, siniestro: Callable[[], str], invocar: Invocar
) -> None:
    # Given one expediente and 20 writers, each its own process like 20 Lambda containers
    # (Powertools keeps the current event in a class attribute, so threads in one process would share it)
    no = siniestro()
    nuevo(invocar, operador, no)
    campos = {
        **{f"dato{i}": f"valor {i}" for i in range(1, 5)},
        **{f"dato{i}_fecha_hora": f"2024-03-2{i}T10:00:00.000Z" for i in range(1, 5)},
        "factura": "F-1",
        "orden": "OT-1",
        "asesor": "Ana",
        "tecnico": "Beto",
        "mecanico": "Carla",
        "vehiculo": "Sedán gris",
        "observaciones": "Golpe trasero",
        "color": "Gris",
        "correo_cliente": "juan@example.com",
        "comentarios_aseguradora": "Autorizado",
        "fecha_valuacion": "2024-03-18T12:00:00.000Z",
        "fecha_autorizacion": "2024-03-19T12:00:00.000Z",
    }
    assert len(campos) == 20
    eventos_put = [
        evento("PUT", RUTA, {"no_siniestro": no}, {campo: valor}, operador) for campo, valor in campos.items()
    ]

    # When they all PUT at once
    respuestas = en_paralelo("expedientes_update", eventos_put)

    # Then every value is there, with one audit entry and one version per write
    assert [r[0] for r in respuestas] == [200] * 20
    guardado = meta(no)
    assert guardado is not None
    assert {c: guardado.get(c) for c in campos} == campos
    assert int(guardado["version"]) == 21
    assert len(auditorias(no)) == 20


def test_audit_is_for_administrators_and_operators_and_404s_for_missing_expedientes(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)

    tec = invocar(
        "expedientes_auditoria", "GET", RUTA + "/auditoria", llamante=tecnico, ruta_params={"no_siniestro": no}
    )
    vacia = invocar(
        "expedientes_auditoria", "GET", RUTA + "/auditoria", llamante=operador, ruta_params={"no_siniestro": no}
    )
    falta = invocar(
        "expedientes_auditoria",
        "GET",
        RUTA + "/auditoria",
        llamante=operador,
        ruta_params={"no_siniestro": siniestro()},
    )

    assert tec["statusCode"] == 403
    assert tec["json"] == {"error": "Acceso restringido a administradores y operadores"}
    assert vacia["statusCode"] == 200
    assert vacia["json"] == {"items": [], "next_cursor": None}
    assert falta["statusCode"] == 404
    assert falta["json"] == {"error": "Expediente no encontrado"}
