"""tools/plantilla.py reads template.yaml itself, so local tools and tests cannot drift from it."""

from __future__ import annotations

import json
import re

import pytest

from tools import plantilla

FUNCIONES = plantilla.RAIZ / "functions"


def _ruta(metodo: str, ruta: str) -> plantilla.Ruta:
    return next(r for r in plantilla.rutas() if r.metodo == metodo and r.ruta == ruta)


def test_routes_come_from_the_api_events_of_every_function() -> None:
    rutas = plantilla.rutas()

    assert len(rutas) >= 30
    assert len({(r.metodo, r.ruta) for r in rutas}) == len(rutas)
    assert all(r.metodo in {"GET", "POST", "PUT", "PATCH", "DELETE"} for r in rutas)
    assert all(r.codigo.parent == FUNCIONES for r in rutas)


def test_a_route_knows_its_function_code_and_whether_it_is_public() -> None:
    health = _ruta("GET", "/api/health")
    me = _ruta("GET", "/api/auth/me")

    assert health.funcion == "SaludFunction"
    assert health.codigo == FUNCIONES / "salud"
    assert health.publica is True
    assert me.publica is False


def test_only_health_login_and_token_are_public() -> None:
    publicas = {(r.metodo, r.ruta) for r in plantilla.rutas() if r.publica}

    assert publicas == {("GET", "/api/health"), ("POST", "/api/auth/login"), ("POST", "/api/auth/token")}


def test_the_authorizer_is_not_a_route() -> None:
    assert all(r.funcion != plantilla.funcion_autorizador() for r in plantilla.rutas())


@pytest.mark.parametrize(
    ("ruta", "coincide", "parametros"),
    [
        ("/api/expedientes/SIN-001", True, {"no_siniestro": "SIN-001"}),
        ("/api/expedientes/SIN%20001", True, {"no_siniestro": "SIN%20001"}),
        ("/api/expedientes/", False, None),
        ("/api/expedientes/SIN-001/estado", False, None),
        ("/api/expedientes/a/b", False, None),
        ("/prefijo/api/expedientes/SIN-001", False, None),
    ],
)
def test_path_parameter_patterns(ruta: str, coincide: bool, parametros: dict[str, str] | None) -> None:
    patron = _ruta("GET", "/api/expedientes/{no_siniestro}").patron

    encontrada = patron.match(ruta)

    assert (encontrada is not None) is coincide
    if encontrada is not None:
        assert encontrada.groupdict() == parametros


def test_static_routes_match_only_themselves() -> None:
    patron = _ruta("GET", "/api/health").patron

    assert patron.match("/api/health")
    assert not patron.match("/api/healthz")
    assert not patron.match("/api/health/x")


def test_table_definition_has_pk_sk_the_generic_gsis_the_sync_index_and_the_reports_sparse_ones() -> None:
    definicion = plantilla.definicion_tabla()

    assert definicion["KeySchema"] == [
        {"AttributeName": "PK", "KeyType": "HASH"},
        {"AttributeName": "SK", "KeyType": "RANGE"},
    ]
    indices = {i["IndexName"]: i for i in definicion["GlobalSecondaryIndexes"]}
    assert set(indices) == {"GSI1", "GSI2", "GSI3", "GSI4", "Taller", "Entregas"}
    for nombre, indice in indices.items():
        # GSI4 sorts by the expediente's own `actualizado_en` (the sync index), the others by a key of their own.
        orden = "actualizado_en" if nombre == "GSI4" else f"{nombre}SK"
        assert [k["AttributeName"] for k in indice["KeySchema"]] == [f"{nombre}PK", orden]
        if nombre.startswith("GSI"):
            assert indice["Projection"] == {"ProjectionType": "ALL"}
        else:  # the reports read a few attributes of many units: only those are copied
            assert indice["Projection"]["ProjectionType"] == "INCLUDE"
    assert set(indices["Entregas"]["Projection"]["NonKeyAttributes"]) == {
        "no_siniestro",
        "id_aseguradora",
        "fecha_ingreso",
        "hitos",
    }
    atributos = {a["AttributeName"] for a in definicion["AttributeDefinitions"]}
    assert atributos == {
        *("PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "GSI3PK", "GSI3SK", "GSI4PK", "actualizado_en"),
        *("TallerPK", "TallerSK", "EntregasPK", "EntregasSK"),
    }
    assert definicion["BillingMode"] == "PAY_PER_REQUEST"


@pytest.mark.parametrize(
    ("tipo", "status", "error"),
    [
        ("UNAUTHORIZED", 401, "Token requerido"),
        ("ACCESS_DENIED", 401, "Token inválido o expirado"),
        ("MISSING_AUTHENTICATION_TOKEN", 404, "Ruta no encontrada"),
        ("REQUEST_TOO_LARGE", 413, None),
        ("DEFAULT_5XX", None, "Error interno del servidor"),
    ],
)
def test_gateway_responses_are_declared(tipo: str, status: int | None, error: str | None) -> None:
    respuesta = plantilla.respuestas_gateway()[tipo]

    assert respuesta.get("StatusCode") == status
    cuerpo = json.loads(respuesta["ResponseTemplates"]["application/json"])
    assert set(cuerpo) == {"error"}
    if error is not None:
        assert cuerpo["error"] == error


def test_authorizer_is_a_token_authorizer_on_the_bearer_header() -> None:
    autorizador = plantilla.autorizador()
    expresion = re.compile(autorizador["Identity"]["ValidationExpression"])

    assert autorizador["FunctionPayloadType"] == "TOKEN"
    assert autorizador["Identity"]["Header"] == "Authorization"
    assert expresion.fullmatch("Bearer aaa.bbb.ccc")
    assert not expresion.fullmatch("Basic dXN1YXJpbw==")
    assert not expresion.fullmatch("Bearer ")
    # A malformed token goes on to the authorizer, whose Deny says "Token inválido o expirado".
    assert expresion.fullmatch("Bearer solo-una-parte")
    assert plantilla.codigo_funcion(plantilla.funcion_autorizador()) == FUNCIONES / "auth_authorizer"


def test_cloudformation_tags_are_kept_as_intrinsic_functions() -> None:
    globales = plantilla.cargar()["Globals"]["Function"]["Environment"]["Variables"]

    assert globales["MONITOR_TABLE"] == {"Ref": "Table"}
    assert globales["MONITOR_JWT_ISSUER"] == {"Fn::Sub": "monitor-${Stage}"}


def test_parameters_take_their_default_unless_given_and_lists_are_lists() -> None:
    valores = plantilla.parametros({"CorsAllowedOrigins": "http://a:1, http://b", "Stage": "dev"})

    assert valores["Stage"] == "dev"
    assert valores["CorsAllowedOrigins"] == ["http://a:1", "http://b"]
    assert valores["LogLevel"] == "INFO"
    assert plantilla.parametros()["CorsAllowedOrigins"] == ["https://monitor.example.com"]


@pytest.mark.parametrize(
    ("valor", "resuelto"),
    [
        ({"Ref": "Stage"}, "dev"),
        ({"Fn::Sub": "monitor-${Stage}"}, "monitor-dev"),
        ({"Fn::Sub": ["'${O}'", {"O": {"Fn::Select": [1, {"Ref": "CorsAllowedOrigins"}]}}]}, "'http://b'"),
        ({"Fn::Join": [",", {"Ref": "CorsAllowedOrigins"}]}, "http://a:1,http://b"),
        ({"Fn::Split": [",", "x,y"]}, ["x", "y"]),
        ({"Headers": {"A": {"Ref": "Stage"}, "B": "'fijo'"}}, {"Headers": {"A": "dev", "B": "'fijo'"}}),
    ],
)
def test_intrinsics_resolve_over_parameter_values(valor: object, resuelto: object) -> None:
    valores = plantilla.parametros({"CorsAllowedOrigins": "http://a:1,http://b", "Stage": "dev"})

    assert plantilla.resolver(valor, valores) == resuelto


def test_a_resource_cannot_be_resolved_locally() -> None:
    with pytest.raises(KeyError):
        plantilla.resolver({"Ref": "Table"}, plantilla.parametros())
    with pytest.raises(KeyError):
        plantilla.resolver({"Fn::GetAtt": "Table.Arn"}, plantilla.parametros())
