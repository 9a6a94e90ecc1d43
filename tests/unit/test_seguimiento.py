"""Seguimiento's pure rules: which addresses a webhook may reach, which URLs a subscription may name, the
back-off schedule, the signature, the outbox items' shape, and the template's wiring of the pipeline."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json

import pytest

from monitor.core.settings import Settings
from monitor.expedientes.hitos import SEGUIMIENTO_CLIENTE, Hito, hitos_en
from monitor.seguimiento import entregas, eventos, red
from tools import plantilla


def _ajustes(**cambios: object) -> Settings:
    return Settings(tabla="t", secreto_jwt="s", **cambios)  # type: ignore[arg-type]


@pytest.fixture
def en_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(red, "settings", lambda: _ajustes(webhook_loopback=False))


@pytest.fixture
def local(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(red, "settings", lambda: _ajustes(webhook_loopback=True))


PROHIBIDAS = [
    "127.0.0.1",
    "127.8.9.10",
    "10.0.0.1",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.0.10",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "240.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fc00::1",
    "fd00:ec2::254",
    "fe80::1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "64:ff9b::a00:1",
    "2002:a00:1::1",
    "ff02::1",
]


@pytest.mark.parametrize("ip", PROHIBIDAS)
def test_private_loopback_link_local_and_reserved_addresses_are_refused(en_aws: None, ip: str) -> None:
    assert red.permitida(ipaddress.ip_address(ip)) is False


@pytest.mark.parametrize("ip", ["8.8.8.8", "52.95.110.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(en_aws: None, ip: str) -> None:
    assert red.permitida(ipaddress.ip_address(ip)) is True


def test_loopback_is_allowed_only_in_a_local_run(local: None) -> None:
    assert red.permitida(ipaddress.ip_address("127.0.0.1")) is True
    assert red.permitida(ipaddress.ip_address("::1")) is True
    assert red.permitida(ipaddress.ip_address("169.254.169.254")) is False
    assert red.permitida(ipaddress.ip_address("10.0.0.1")) is False


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.com/x",
        "https://user:pw@hooks.example.com/x",
        "https://10.1.1.1/x",
        "https://[::1]/x",
        "http://127.0.0.1:8080/x",
        "https://169.254.169.254/latest/meta-data/",
        "https://",
        "javascript:alert(1)",
        "https://hooks.example.com:0x50/",
        "https://hooks example.com/",
    ],
)
def test_subscription_urls_refused_as_deployed(en_aws: None, url: str) -> None:
    with pytest.raises(red.UrlInvalida):
        red.validar_url(url)


def test_subscription_urls_accepted(en_aws: None) -> None:
    assert red.validar_url("https://hooks.example.com:8443/monitor?x=1") == "https://hooks.example.com:8443/monitor?x=1"
    assert red.validar_url("https://8.8.8.8/x") == "https://8.8.8.8/x"


def test_loopback_http_subscriptions_only_locally(local: None) -> None:
    assert red.validar_url("http://127.0.0.1:8080/x") == "http://127.0.0.1:8080/x"
    assert red.validar_url("http://localhost:8080/x") == "http://localhost:8080/x"
    with pytest.raises(red.UrlInvalida):
        red.validar_url("http://hooks.example.com/x")


def test_the_back_off_doubles_up_to_its_ceiling(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(entregas, "settings", _ajustes)
    assert [entregas.espera(n) for n in range(1, 10)] == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
    # within the 24 h window that is about thirty attempts
    total, intentos = 0, 1
    while total + entregas.espera(intentos) <= 86_400:
        total += entregas.espera(intentos)
        intentos += 1
    assert 25 <= intentos <= 35


def test_the_signature_is_the_hex_hmac_sha256_of_the_body() -> None:
    cuerpo = '{"id":"1","datos":{"nombre":"Peña"}}'.encode()
    assert entregas.firmar(cuerpo, "secreto") == hmac.new(b"secreto", cuerpo, hashlib.sha256).hexdigest()


def test_milestones_only_in_the_shops_order() -> None:
    alcanzados = {"Salida": "t", Hito.ENTREGADA.value: "t", "Ingreso": "t", Hito.VALUACION_AUTORIZADA.value: "t"}
    assert hitos_en(alcanzados) == [Hito.VALUACION_AUTORIZADA, Hito.ENTREGADA]


def test_the_events_of_one_change_have_distinct_steps_and_ids() -> None:
    expediente = {"no_siniestro": "S-1", "estado": "Ingreso", "id_aseguradora": 1, "nombre_cliente": "Ana"}
    creados = eventos.al_crear(expediente, "2024-01-01T00:00:00.000Z", list(Hito))
    assert len({e.paso for e in creados}) == len(creados) == 2 + len(Hito)
    assert len({e.id for e in creados}) == len(creados)
    assert all("nombre_cliente" not in e.datos for e in creados)
    item = creados[0].item()
    assert item["SK"].startswith("OUT#2024-01-01T00:00:00.000Z#")
    assert item["PK"] == "EXP#S-1"


# ---- the template
def test_the_stream_carries_new_images_and_the_publisher_sees_only_outbox_inserts() -> None:
    tabla = plantilla.recursos()["Table"]["Properties"]
    assert tabla["StreamSpecification"] == {"StreamViewType": "NEW_IMAGE"}
    (fuente,) = [f for f in plantilla.fuentes_de_eventos() if f.tipo == "DynamoDB"]
    assert fuente.funcion == "SeguimientoPublicarFunction"
    props = fuente.propiedades
    assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert props["BisectBatchOnFunctionError"] is True
    assert props["DestinationConfig"]["OnFailure"]["Type"] == "SQS"
    (filtro,) = props["FilterCriteria"]["Filters"]
    assert json.loads(filtro["Pattern"]) == {
        "eventName": ["INSERT"],
        "dynamodb": {"Keys": {"SK": {"S": [{"prefix": "OUT#"}]}}},
    }


def test_the_customer_rule_names_the_four_follow_up_steps() -> None:
    regla = plantilla.recursos()["CorreosClienteRule"]["Properties"]["EventPattern"]
    assert regla["detail-type"] == ["expediente.hito"]
    assert regla["detail"]["datos"]["hito"] == [h.value for h in SEGUIMIENTO_CLIENTE]


def test_webhook_rules_cover_every_topic_and_only_events_with_an_insurer() -> None:
    reglas = [plantilla.recursos()[n]["Properties"] for n in ("EventosExpedientesRule", "EventosOrdenesRule")]
    prefijos = {r["EventPattern"]["detail-type"][0]["prefix"] for r in reglas}
    assert {t.value.split(".")[0] + "." for t in eventos.Topico} == prefijos
    for regla in reglas:
        assert regla["EventPattern"]["detail"]["id_aseguradora"] == [{"numeric": [">", 0]}]
        assert regla["Targets"][0]["Arn"] == {"Fn::GetAtt": "EntregasQueue.Arn"}


def test_every_queue_with_work_has_a_dead_letter_queue_with_an_alarm() -> None:
    colas = plantilla.recursos("AWS::SQS::Queue")
    alarmas = plantilla.recursos("AWS::CloudWatch::Alarm").values()
    vigiladas = {
        a["Properties"]["Dimensions"][0]["Value"]["Fn::GetAtt"].split(".")[0]
        for a in alarmas
        if a["Properties"].get("Namespace") == "AWS/SQS"
    }
    muertas = {
        c["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"].split(".")[0]
        for c in colas.values()
        if "RedrivePolicy" in c["Properties"]
    }
    assert muertas == {"EntregasDlq", "CorreosDlq"}
    assert vigiladas == {"EntregasDlq", "CorreosDlq", "EventosDlq"}
    # SQS's advice: a visibility timeout of six times the consumer's timeout
    for fuente in plantilla.fuentes_de_eventos():
        if fuente.tipo == "SQS":
            cola = colas[fuente.propiedades["Queue"]["Fn::GetAtt"].split(".")[0]]["Properties"]
            assert cola["VisibilityTimeout"] >= 6 * fuente.timeout_s
            assert fuente.propiedades["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
