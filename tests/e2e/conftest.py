"""The local gateway (tools/local_gateway.py) in a subprocess, on a free port, against this test
session's moto server and resources: users created in-process can call it with their tokens."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import requests
import simplejson

from tests.apoyo import aws as _aws
from tests.apoyo.aws import (  # noqa: F401 - the same fixtures as tests/handlers
    admin,
    admin_credenciales,
    aws,
    crear_usuario,
    dynamo_requests,
    invocar,
    operador,
    tecnico,
)
from tools import aws_local
from tools.local_gateway import MARCA_SCAN

_aws.iniciar()

RAIZ = Path(__file__).resolve().parents[2]
ESPERA_ARRANQUE = 30.0
TIMEOUT = 15


class ApiLocal:
    """A running gateway: `request` over HTTP and the lines it has printed (stdout and stderr)."""

    def __init__(self, proceso: subprocess.Popen[bytes], url: str, registro: Path) -> None:
        self.proceso = proceso
        self.url = url
        self.registro = registro
        self.sesion = requests.Session()

    def request(  # noqa: PLR0917 - the signature other e2e tests were promised
        self,
        method: str,
        path: str,
        token: str | None = None,
        json: Any = None,
        data: str | bytes | None = None,
        headers: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        """`json` is serialised with exact Decimals (never through float); `data` is sent as is."""
        cabeceras = dict(headers or {})
        if token is not None:
            cabeceras.setdefault("Authorization", f"Bearer {token}")
        if json is not None:
            data = simplejson.dumps(json, use_decimal=True)
            cabeceras.setdefault("Content-Type", "application/json")
        return self.sesion.request(method, self.url + path, data=data, headers=cabeceras, timeout=TIMEOUT, **kwargs)

    def lineas(self) -> list[str]:
        return self.registro.read_text(encoding="utf-8", errors="replace").splitlines()

    def log_mark(self) -> int:
        return len(self.lineas())

    def logs_since(self, mark: int) -> list[str]:
        return self.lineas()[mark:]

    def detener(self) -> str:
        """Stops the gateway (SIGTERM, as Ctrl-C) and returns everything it printed."""
        self.sesion.close()
        if self.proceso.poll() is None:
            self.proceso.terminate()
            try:
                self.proceso.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proceso.kill()
                self.proceso.wait()
        return "\n".join(self.lineas())


def iniciar_gateway(aws: aws_local.AwsLocal, admin: tuple[str, str], carpeta: Path, **entorno: str) -> ApiLocal:
    """Starts tools/local_gateway.py and waits until GET /api/health answers (any status)."""
    puerto = aws_local.puerto_libre()
    variables = {k: v for k, v in os.environ.items() if k != "DYNAMODB_ENDPOINT_URL"}
    variables |= {
        "AWS_ENDPOINT_URL": aws.endpoint,
        "MONITOR_TABLE": aws.tabla,
        "MONITOR_JWT_SECRET_ID": aws.secreto,
        "MONITOR_BUCKET": aws.bucket,
        "MONITOR_ADMIN_USER": admin[0],
        "MONITOR_ADMIN_PASSWORD": admin[1],
        "MONITOR_PROHIBIR_SCAN": "1",
        # The seguimiento pipeline polls the shared table's stream and queues: only the tests that need it.
        "MONITOR_SEGUIMIENTO_LOCAL": "0",
        "PORT": str(puerto),
        "PYTHONUNBUFFERED": "1",
        **entorno,
    }
    registro = carpeta / f"gateway-{puerto}.log"
    with registro.open("wb") as salida:
        proceso = subprocess.Popen(
            [sys.executable, str(RAIZ / "tools" / "local_gateway.py")],
            cwd=RAIZ,
            env=variables,
            stdout=salida,
            stderr=subprocess.STDOUT,
        )
    api = ApiLocal(proceso, f"http://127.0.0.1:{puerto}", registro)
    limite = time.monotonic() + ESPERA_ARRANQUE
    while time.monotonic() < limite:
        if proceso.poll() is not None:
            pytest.fail(f"El gateway terminó al arrancar (código {proceso.returncode}):\n{api.detener()}")
        try:
            requests.get(api.url + "/api/health", timeout=TIMEOUT)
            return api
        except requests.ConnectionError:
            time.sleep(0.1)
    salida_texto = api.detener()
    pytest.fail(f"El gateway no respondió en {ESPERA_ARRANQUE:.0f} s:\n{salida_texto}")


@pytest.fixture(scope="session")
def api(
    aws: aws_local.AwsLocal, admin_credenciales: tuple[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ApiLocal]:
    local = iniciar_gateway(aws, admin_credenciales, tmp_path_factory.mktemp("gateway"))
    yield local
    salida = local.detener()
    if MARCA_SCAN in salida:
        lineas = [linea for linea in salida.splitlines() if MARCA_SCAN in linea]
        pytest.fail("El gateway emitió un Scan de DynamoDB (MONITOR_PROHIBIR_SCAN):\n" + "\n".join(lineas))


@pytest.fixture(scope="session")
def iniciar_api(
    aws: aws_local.AwsLocal, admin_credenciales: tuple[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Any:
    """Another gateway with extra environment (e.g. a broken DYNAMODB_ENDPOINT_URL); the caller stops it."""

    def iniciar(**entorno: str) -> ApiLocal:
        return iniciar_gateway(aws, admin_credenciales, tmp_path_factory.mktemp("gateway-extra"), **entorno)

    return iniciar
