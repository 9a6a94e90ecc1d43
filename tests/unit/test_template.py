"""template.yaml itself: observability on every function, alarms wired to metrics the code emits,
least-privilege data access, and the table the data model designs."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from monitor.core.metrics import Metrica
from tools import plantilla

FUNCIONES = plantilla.recursos("AWS::Serverless::Function")
ALARMAS = plantilla.recursos("AWS::CloudWatch::Alarm")


def _ref(valor: Any) -> str | None:
    return valor.get("Ref") if isinstance(valor, dict) else None


@pytest.mark.parametrize("nombre", sorted(FUNCIONES))
def test_every_function_logs_to_its_own_group_with_retention(nombre: str) -> None:
    grupo = _ref(FUNCIONES[nombre]["Properties"]["LoggingConfig"]["LogGroup"])
    assert grupo is not None
    recurso = plantilla.recursos()[grupo]
    assert recurso["Type"] == "AWS::Logs::LogGroup"
    assert _ref(recurso["Properties"]["RetentionInDays"]) == "LogRetentionDays"


def test_tracing_is_active_on_the_api_and_every_function() -> None:
    globales = plantilla.cargar()["Globals"]["Function"]
    assert globales["Tracing"] == "Active"
    assert all("Tracing" not in f["Properties"] for f in FUNCIONES.values())
    assert plantilla.api()["TracingEnabled"] is True
    assert globales["Environment"]["Variables"]["POWERTOOLS_TRACER_CAPTURE_RESPONSE"] == "false"


def test_access_logs_are_json_with_request_id_caller_route_status_and_latency() -> None:
    formato = plantilla.api()["AccessLogSetting"]["Format"]
    campos = json.loads(re.sub(r"\s+", "", formato).replace('""', '"x"'))
    assert {"requestId", "caller", "route", "status", "latencyMs"} <= set(campos)


@pytest.mark.parametrize("metrica", ["Errors", "Throttles"])
def test_every_function_is_covered_by_an_error_and_a_throttle_alarm(metrica: str) -> None:
    cubiertas = set()
    for alarma in ALARMAS.values():
        props = alarma["Properties"]
        for consulta in props.get("Metrics", []):
            metric = consulta.get("MetricStat", {}).get("Metric", {})
            if metric.get("Namespace") == "AWS/Lambda" and metric.get("MetricName") == metrica:
                cubiertas |= {_ref(d["Value"]) for d in metric["Dimensions"]}
    assert cubiertas == set(FUNCIONES)


def test_every_alarm_notifies_the_topic() -> None:
    for nombre, alarma in ALARMAS.items():
        assert {"Ref": "AlarmTopic"} in alarma["Properties"]["AlarmActions"], nombre


def test_required_alarms_exist() -> None:
    nombres = set(ALARMAS)
    assert {
        "Api5xxAlarm",
        "ApiLatencyAlarm",
        "AuthorizerErrorsAlarm",
        "DynamoThrottlesAlarm",
        "DynamoSystemErrorsAlarm",
        "CancelacionesRechazadasAlarm",
        "FirmasInvalidasAlarm",
    } <= nombres


def test_business_alarms_and_dashboard_only_reference_metrics_the_code_emits() -> None:
    emitidas = {m.value for m in Metrica}
    usadas = {a["Properties"]["MetricName"] for a in ALARMAS.values() if a["Properties"].get("Namespace") == "Monitor"}
    assert usadas <= emitidas
    cuerpo = plantilla.recursos()["Dashboard"]["Properties"]["DashboardBody"]["Fn::Sub"]
    tablero = json.loads(cuerpo)
    en_tablero = {m[1] for w in tablero["widgets"] for m in w["properties"]["metrics"] if m[0] == "Monitor"}
    assert en_tablero <= emitidas
    assert {"ExpedienteCreado", "EstadoCambiado", "ServiceOrderRecibida", "CancelacionRechazada", "LoginFallido"} <= (
        en_tablero
    )


def test_no_function_may_scan_or_use_wildcards_on_data() -> None:
    for nombre, politica in plantilla.recursos("AWS::IAM::ManagedPolicy").items():
        for declaracion in politica["Properties"]["PolicyDocument"]["Statement"]:
            acciones = declaracion["Action"] if isinstance(declaracion["Action"], list) else [declaracion["Action"]]
            assert "dynamodb:Scan" not in acciones, nombre
            assert not any(a.endswith(":*") or a == "*" for a in acciones), nombre
            recursos = (
                declaracion["Resource"] if isinstance(declaracion["Resource"], list) else [declaracion["Resource"]]
            )
            assert "*" not in recursos, nombre
    for nombre, funcion in FUNCIONES.items():
        for politica in funcion["Properties"]["Policies"]:
            assert isinstance(politica, dict), f"{nombre} usa una política no acotada"
            assert "Ref" in politica, f"{nombre} usa una política no acotada"


def test_read_only_endpoints_cannot_write() -> None:
    for ruta in plantilla.rutas():
        if ruta.metodo != "GET":
            continue
        politicas = {_ref(p) for p in FUNCIONES[ruta.funcion]["Properties"]["Policies"]}
        assert "TablaEscrituraPolicy" not in politicas, ruta.funcion


def test_the_table_is_protected_as_the_design_requires() -> None:
    tabla = plantilla.recursos()["Table"]
    props = tabla["Properties"]
    assert tabla["DeletionPolicy"] == "Retain"
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["DeletionProtectionEnabled"] is True
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert props["SSESpecification"]["SSEEnabled"] is True
    assert [i["IndexName"] for i in props["GlobalSecondaryIndexes"]] == ["GSI1", "GSI2", "GSI3"]


def test_layer_is_built_for_the_functions_architecture() -> None:
    capa = plantilla.recursos()["CommonLayer"]
    assert capa["Metadata"]["BuildMethod"] == "makefile"
    assert _ref(capa["Properties"]["CompatibleArchitectures"][0]) == "Architecture"
    assert plantilla.cargar()["Globals"]["Function"]["Architectures"] == [{"Ref": "Architecture"}]
    assert plantilla.cargar()["Parameters"]["Architecture"]["Default"] == "arm64"


def test_token_401s_and_unknown_routes_come_from_gateway_responses() -> None:
    respuestas = plantilla.respuestas_gateway()

    def cuerpo(nombre: str) -> dict[str, str]:
        return json.loads(respuestas[nombre]["ResponseTemplates"]["application/json"])

    assert (respuestas["UNAUTHORIZED"]["StatusCode"], cuerpo("UNAUTHORIZED")) == (401, {"error": "Token requerido"})
    assert (respuestas["ACCESS_DENIED"]["StatusCode"], cuerpo("ACCESS_DENIED")) == (
        401,
        {"error": "Token inválido o expirado"},
    )
    assert (respuestas["MISSING_AUTHENTICATION_TOKEN"]["StatusCode"], cuerpo("MISSING_AUTHENTICATION_TOKEN")) == (
        404,
        {"error": "Ruta no encontrada"},
    )
    assert set(cuerpo("DEFAULT_4XX")) == set(cuerpo("DEFAULT_5XX")) == {"error"}
