"""tools/crear_admin.py against moto: the documented path to the first administrator of a stack."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable
from typing import Any

import boto3
import pytest

from monitor.aseguradoras import servicio as aseguradoras
from tools import crear_admin

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")

Invocar = Callable[..., dict[str, Any]]


def _login(invocar: Invocar, usuario: str, password: str) -> dict[str, Any]:
    return invocar("auth_login", "POST", "/api/auth/login", cuerpo={"usuario": usuario, "password": password})


@pytest.fixture
def entorno(monkeypatch: pytest.MonkeyPatch, aws: Any) -> pytest.MonkeyPatch:
    """The tool sets MONITOR_TABLE and friends; monkeypatch restores them afterwards."""
    monkeypatch.setenv("MONITOR_TABLE", aws.tabla)
    for variable in ("MONITOR_JWT_SECRET_ID", "AWS_DEFAULT_REGION"):
        monkeypatch.setenv(variable, os.environ[variable])
    return monkeypatch


def test_table_mode_creates_an_admin_that_can_log_in(
    invocar: Invocar, aws: Any, entorno: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    username = f"jefe-{uuid.uuid4().hex[:8]}"
    password = "clave-inicial-" + uuid.uuid4().hex[:6]
    entorno.setenv("MONITOR_ADMIN_PASSWORD", password)

    codigo = crear_admin.main(["--table", aws.tabla, "--username", username])

    assert codigo == 0
    salida = capsys.readouterr()
    assert password not in salida.out + salida.err
    respuesta = _login(invocar, username, password)
    assert respuesta["statusCode"] == 200
    assert respuesta["json"]["usuario"]["rol"] == "Administrador"
    assert [a["nombre"] for a in aseguradoras.listar()][:3] == ["Qualitas", "AXA", "HDI"]


def test_stack_mode_reads_the_table_name_output(invocar: Invocar, aws: Any, entorno: pytest.MonkeyPatch) -> None:
    # Given a stack whose TableName output names the test table
    cfn = boto3.client("cloudformation", endpoint_url=aws.endpoint)
    pila = f"monitor-prueba-{uuid.uuid4().hex[:6]}"
    cfn.create_stack(
        StackName=pila,
        TemplateBody=json.dumps(
            {
                "Resources": {"Tema": {"Type": "AWS::SNS::Topic"}},
                "Outputs": {"TableName": {"Value": aws.tabla}},
            }
        ),
    )
    username = f"jefa-{uuid.uuid4().hex[:8]}"
    entorno.setenv("MONITOR_ADMIN_PASSWORD", "otra-clave-segura")

    codigo = crear_admin.main(["--stack", pila, "--username", username, "--region", "us-east-1"])

    assert codigo == 0
    assert _login(invocar, username, "otra-clave-segura")["statusCode"] == 200


def test_an_existing_username_is_left_alone(
    invocar: Invocar, aws: Any, entorno: pytest.MonkeyPatch, admin: Any
) -> None:
    # Its own administrator: other tests may change the seeded one's password.
    usuario, password = admin.principal.username, admin.password
    entorno.setenv("MONITOR_ADMIN_PASSWORD", "no-debe-aplicarse")

    codigo = crear_admin.main(["--table", aws.tabla, "--username", usuario])

    assert codigo == 1
    assert _login(invocar, usuario, password)["statusCode"] == 200


@pytest.mark.parametrize(
    ("argumentos", "password"),
    [
        (["--username", "ok-user"], "corta"),
        (["--username", "no válido"], "suficientemente-larga"),
    ],
)
def test_bad_input_is_refused_before_touching_the_table(
    aws: Any, entorno: pytest.MonkeyPatch, argumentos: list[str], password: str, dynamo_requests: Any
) -> None:
    entorno.setenv("MONITOR_ADMIN_PASSWORD", password)

    assert crear_admin.main(["--table", aws.tabla, *argumentos]) == 2
    assert dynamo_requests.total == 0


def test_unknown_stack_is_a_clear_error(
    aws: Any, entorno: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    entorno.setenv("MONITOR_ADMIN_PASSWORD", "suficientemente-larga")

    assert crear_admin.main(["--stack", "no-existe-" + uuid.uuid4().hex[:6]]) == 2
    assert "No se pudo leer la pila" in capsys.readouterr().err


def test_passwords_that_do_not_match_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    respuestas = iter(["primera-clave", "segunda-clave"])
    monkeypatch.delenv("MONITOR_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr(crear_admin.getpass, "getpass", lambda _prompt: next(respuestas))
    monkeypatch.setattr(crear_admin.sys.stdin, "isatty", lambda: True)

    with pytest.raises(crear_admin.ErrorCli, match="no coinciden"):
        crear_admin.leer_password({})
