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
    assert [i["IndexName"] for i in props["GlobalSecondaryIndexes"]] == [
        "GSI1",
        "GSI2",
        "GSI3",
        "Taller",
        "Entregas",
        "GSI4",
    ]


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


# ---------------------------------------------------------------- checkov's findings, explained in place


def _omisiones(recurso: dict[str, Any]) -> list[dict[str, str]]:
    return list(((recurso.get("Metadata") or {}).get("checkov") or {}).get("skip") or [])


def test_every_checkov_skip_says_why() -> None:
    for nombre, recurso in plantilla.recursos().items():
        for omision in _omisiones(recurso):
            assert re.fullmatch(r"CKV2?_AWS_\d+", str(omision.get("id"))), nombre
            assert len(str(omision.get("comment") or "").strip()) >= 20, f"{nombre}: {omision.get('id')} sin razón"


def _clase(recurso: dict[str, Any]) -> str:
    """Functions an event source mapping invokes (stream, SQS) are a kind of their own: their failures go to
    the source's dead-letter queue, not to the caller, and their skips say so."""
    eventos = (recurso.get("Properties") or {}).get("Events") or {}
    return "fuente" if any(e.get("Type") in ("DynamoDB", "SQS") for e in eventos.values()) else recurso["Type"]


@pytest.mark.parametrize("tipo", ["AWS::Serverless::Function", "AWS::Logs::LogGroup"])
def test_resources_of_a_kind_share_one_set_of_skips(tipo: str) -> None:
    """So copying any function (or log group) copies its skips, and `make scan` can point at one to copy."""
    modelos: dict[str, tuple[str, dict[str, Any]]] = {}
    for nombre, recurso in plantilla.recursos(tipo).items():
        referencia, modelo = modelos.setdefault(_clase(recurso), (nombre, recurso))
        assert _omisiones(modelo), f"{referencia} no omite nada: ¿cambió checkov?"
        assert _omisiones(recurso) == _omisiones(modelo), f"{nombre}: copie el Metadata de checkov de {referencia}"


# ---------------------------------------------------------------- versions, alias and SnapStart


def _referencias(valor: Any) -> set[str]:
    """Names a value refers to: Ref targets, ${...} of Fn::Sub (its own variables excluded) and, through
    Fn::If, what its condition refers to."""
    if isinstance(valor, list):
        return set().union(*map(_referencias, valor)) if valor else set()
    if not isinstance(valor, dict):
        return set()
    if "Ref" in valor:
        return {str(valor["Ref"])}
    if "Fn::If" in valor:
        condicion, *ramas = valor["Fn::If"]
        return _referencias(plantilla.cargar()["Conditions"][condicion]) | _referencias(ramas)
    if "Fn::Sub" in valor:
        texto, variables = (valor["Fn::Sub"], {}) if isinstance(valor["Fn::Sub"], str) else valor["Fn::Sub"]
        propias = set(re.findall(r"\$\{([\w.:]+)\}", texto)) - set(variables)
        return propias | _referencias(list(variables.values()))
    return set().union(*map(_referencias, valor.values())) if valor else set()


def test_every_function_publishes_a_version_when_its_layer_or_configuration_changes() -> None:
    """SAM publishes a version (the alias moves) when a function's code changes; for the layer and the
    parameters every function says them in its VersionDescription, whose change publishes one too.
    ReservedConcurrency is not part of a version: it stays out."""
    globales = plantilla.cargar()["Globals"]["Function"]
    parametros = set(plantilla.cargar()["Parameters"])
    esperadas = {r for clave, v in globales.items() if clave != "ReservedConcurrentExecutions" for r in _referencias(v)}
    esperadas &= parametros | {"CommonLayer"}
    assert {"CommonLayer", "SnapStart", "CorsAllowedOrigins"} <= esperadas
    descripciones = {n: f["Properties"].get("VersionDescription") for n, f in FUNCIONES.items()}
    referencia = descripciones["AuthAuthorizerFunction"]
    for nombre, descripcion in descripciones.items():
        # a function's own layers (beyond the global one) are named after the reference's, in order
        propias = [c["Ref"] for c in FUNCIONES[nombre]["Properties"].get("Layers") or []]
        texto, variables = referencia["Fn::Sub"]
        esperada = {"Fn::Sub": [texto + "".join(f" ${{{c}}}" for c in propias), variables]}
        assert descripcion == esperada, f"{nombre}: copie VersionDescription de AuthAuthorizerFunction"
    # Exactly those: a name that changed the description but not the function would publish no new
    # version, and the deletion of the replaced one would then hit the version in use.
    nombradas = _referencias(referencia)
    assert not esperadas - nombradas, f"Añada {sorted(esperadas - nombradas)} al VersionDescription de cada función"
    assert not nombradas - esperadas, (
        f"Quite {sorted(nombradas - esperadas)} del VersionDescription: no llega a la función"
    )
    # Lambda takes 256 characters: with the longest stage and a long region's layer ARN, the origins of
    # CorsAllowedOrigins still have the room docs/operations.md promises them.
    capa = "arn:aws:lambda:ap-southeast-2:123456789012:layer:CommonLayer:99999"
    valores = {**plantilla.parametros({"Stage": "x" * 16, "CorsAllowedOrigins": ""}), "CommonLayer": capa}
    assert len(plantilla.resolver(referencia, valores)) <= 256 - 100


def test_the_api_calls_every_function_and_the_authorizer_through_the_alias() -> None:
    globales = plantilla.cargar()["Globals"]["Function"]
    assert globales["AutoPublishAlias"] == "live"
    assert all("AutoPublishAlias" not in f["Properties"] for f in FUNCIONES.values())
    autorizador = plantilla.autorizador()["FunctionArn"]
    assert autorizador == {"Ref": f"{plantilla.funcion_autorizador()}.Alias"}


def test_snapstart_and_reserved_concurrency_are_parameters_off_by_default() -> None:
    globales = plantilla.cargar()["Globals"]["Function"]
    parametros = plantilla.cargar()["Parameters"]
    condiciones = plantilla.cargar()["Conditions"]
    assert globales["SnapStart"]["ApplyOn"] == {"Fn::If": ["SnapStartOn", "PublishedVersions", "None"]}
    assert condiciones["SnapStartOn"] == {"Fn::Equals": [{"Ref": "SnapStart"}, "true"]}
    assert parametros["SnapStart"]["Default"] == "false"
    assert globales["ReservedConcurrentExecutions"] == {
        "Fn::If": ["HasReservedConcurrency", {"Ref": "ReservedConcurrency"}, {"Ref": "AWS::NoValue"}]
    }
    assert parametros["ReservedConcurrency"]["Default"] == 0


# ---------------------------------------------------------------- CORS, limits, firewall, access logs

PRIMER_ORIGEN = {"Fn::Select": [0, {"Ref": "CorsAllowedOrigins"}]}


def test_the_preflight_allows_the_headers_the_functions_read_and_skips_the_authorizer() -> None:
    from monitor.core.cors import CABECERAS_PERMITIDAS

    api_cors = plantilla.cors()
    assert api_cors["AllowHeaders"] == "'" + ",".join(CABECERAS_PERMITIDAS) + "'"
    assert api_cors["AllowOrigin"] == {"Fn::Sub": ["'${Origen}'", {"Origen": PRIMER_ORIGEN}]}
    assert "AllowCredentials" not in api_cors
    assert plantilla.api()["Auth"]["AddDefaultAuthorizerToCorsPreflight"] is False
    variables = plantilla.cargar()["Globals"]["Function"]["Environment"]["Variables"]
    assert variables["MONITOR_CORS_ORIGINS"] == {"Fn::Join": [",", {"Ref": "CorsAllowedOrigins"}]}


def test_every_gateway_response_carries_cors() -> None:
    from monitor.core.cors import CABECERAS_EXPUESTAS

    respuestas = plantilla.respuestas_gateway()
    requeridas = {"UNAUTHORIZED", "ACCESS_DENIED", "MISSING_AUTHENTICATION_TOKEN", "REQUEST_TOO_LARGE", "THROTTLED"}
    assert requeridas | {"WAF_FILTERED", "DEFAULT_4XX", "DEFAULT_5XX"} <= set(respuestas)
    for tipo, respuesta in respuestas.items():
        cabeceras = respuesta["ResponseParameters"]["Headers"]
        assert cabeceras["Access-Control-Allow-Origin"] == {"Fn::Sub": ["'${Origen}'", {"Origen": PRIMER_ORIGEN}]}, tipo
        assert cabeceras["Access-Control-Expose-Headers"] == "'" + ",".join(CABECERAS_EXPUESTAS) + "'", tipo
    assert respuestas["THROTTLED"]["ResponseParameters"]["Headers"]["Retry-After"] == "'1'"


def test_every_webhook_route_has_its_own_throttle() -> None:
    ajustes = plantilla.api()["MethodSettings"]
    etapa = next(a for a in ajustes if a["ResourcePath"] == "/*")
    assert (etapa["ThrottlingRateLimit"], etapa["ThrottlingBurstLimit"]) == (
        {"Ref": "ApiRateLimit"},
        {"Ref": "ApiBurstLimit"},
    )
    limitadas = {
        (a["HttpMethod"], a["ResourcePath"].removeprefix("/").replace("~1", "/"))
        for a in ajustes
        if a["ThrottlingRateLimit"] == {"Ref": "WebhookRateLimit"} and a["MetricsEnabled"] is True
    }
    webhook = {(r.metodo, r.ruta) for r in plantilla.rutas() if r.ruta.startswith("/serviceOrders")}
    assert webhook
    assert limitadas == webhook


def test_the_firewall_exists_only_when_asked_and_guards_the_stage() -> None:
    recursos = plantilla.recursos()
    acl, asociacion = recursos["WebAcl"], recursos["WebAclAsociacion"]
    assert acl["Condition"] == asociacion["Condition"] == "WafOn"
    assert plantilla.cargar()["Parameters"]["Waf"]["Default"] == "false"
    reglas = {r["Name"]: r for r in acl["Properties"]["Rules"]}
    assert {"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"} <= set(reglas)
    por_ip = reglas["limite-por-ip"]["Statement"]["RateBasedStatement"]
    assert (por_ip["AggregateKeyType"], por_ip["Limit"]) == ("IP", {"Ref": "WafRateLimit"})
    por_cliente = reglas["limite-por-cliente-webhook"]["Statement"]["RateBasedStatement"]
    assert por_cliente["CustomKeys"] == [
        {"Header": {"Name": "authorization", "TextTransformations": [{"Priority": 0, "Type": "NONE"}]}}
    ]
    assert "${MonitorApi.Stage}" in asociacion["Properties"]["ResourceArn"]["Fn::Sub"]


def test_the_evidence_bucket_logs_every_access_to_its_own_bucket() -> None:
    recursos = plantilla.recursos()
    registro = recursos["EvidenciasBucket"]["Properties"]["LoggingConfiguration"]
    assert registro["DestinationBucketName"] == {"Ref": "RegistrosAccesoBucket"}
    destino = recursos["RegistrosAccesoBucket"]["Properties"]
    assert destino["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    escritura = recursos["RegistrosAccesoBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"][0]
    assert escritura["Principal"] == {"Service": "logging.s3.amazonaws.com"}
    assert escritura["Condition"]["ArnLike"]["aws:SourceArn"] == {"Fn::GetAtt": "EvidenciasBucket.Arn"}


# CloudFormation's limit of resources per stack, and the room a change must leave below it.
LIMITE_RECURSOS = 500
HOLGURA = 50


def test_the_expanded_stack_keeps_room_below_cloudformation_s_resource_limit() -> None:
    """SAM expands each function into its function, role, version and alias plus one resource per event, each
    layer into a version and the API into its API, deployment, stage and the authorizer's permission (the count
    `sam deploy` sends: 415 with 57 functions). Past 500 the deploy fails; past 450 this fails first, while
    there is still room to split the stack or share roles."""
    recursos = plantilla.recursos()
    propios = [r for r in recursos.values() if not r["Type"].startswith("AWS::Serverless::")]
    funciones = [r for r in recursos.values() if r["Type"] == "AWS::Serverless::Function"]
    eventos = [e for f in funciones for e in (f.get("Properties", {}).get("Events") or {}).values()]
    capas = [r for r in recursos.values() if r["Type"] == "AWS::Serverless::LayerVersion"]
    apis = [r for r in recursos.values() if r["Type"] == "AWS::Serverless::Api"]

    expandidos = len(propios) + 4 * len(funciones) + len(eventos) + len(capas) + 4 * len(apis)

    assert expandidos <= LIMITE_RECURSOS - HOLGURA, f"{expandidos} recursos tras la expansión de SAM"
