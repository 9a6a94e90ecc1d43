"""Shared fixtures: one moto server for the session (table from template.yaml), a guard that
fails on any DynamoDB Scan, request counters, and factories for users, tokens, claims and events."""

from __future__ import annotations

import itertools
import json
import os
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest

from tools import aws_local, eventos, funciones

for _variable in (
    "AWS_ENDPOINT_URL",
    "DYNAMODB_ENDPOINT_URL",
    "MONITOR_TABLE",
    "MONITOR_JWT_SECRET_ID",
    "MONITOR_BUCKET",
):
    os.environ.pop(_variable, None)
_LOCAL = aws_local.iniciar(prefijo=f"monitor-test-{uuid.uuid4().hex[:6]}")
os.environ.update(_LOCAL.entorno())
# Handlers in this process share boto3's default session; the Scan guard and counters hook it.
boto3.setup_default_session(region_name=aws_local.REGION)

SCANS: list[str] = []


def _prohibir_scan(**kwargs: Any) -> None:
    SCANS.append(str(kwargs.get("params", {}).get("TableName")))
    raise AssertionError("Se emitió un Scan de DynamoDB: ninguna ruta puede escanear la tabla")


_CONTADORES: list[Callable[..., None]] = []


def _despachar(event_name: str, **kwargs: Any) -> None:
    for contador in list(_CONTADORES):
        contador(event_name, **kwargs)


# Registered before any client exists: botocore clients copy the session's hooks when created.
boto3.DEFAULT_SESSION.events.register("before-call.dynamodb.Scan", _prohibir_scan)  # type: ignore[union-attr]
boto3.DEFAULT_SESSION.events.register("before-call.dynamodb", _despachar)  # type: ignore[union-attr]

from monitor.auth.roles import Principal  # noqa: E402
from monitor.auth.tokens import emitir_token  # noqa: E402
from monitor.core.settings import settings  # noqa: E402
from monitor.usuarios import semilla  # noqa: E402
from monitor.usuarios import servicio as usuarios  # noqa: E402
from monitor.usuarios.campos import Rol  # noqa: E402

settings.cache_clear()
ADMIN_USER = "admin"
ADMIN_PASSWORD = "admin-" + uuid.uuid4().hex[:12]
semilla.sembrar(ADMIN_USER, ADMIN_PASSWORD)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if SCANS:
        session.exitstatus = 1
        print(f"\nDynamoDB Scan emitido {len(SCANS)} veces: ninguna ruta puede escanear")
    _LOCAL.detener()


@pytest.fixture(scope="session")
def aws() -> aws_local.AwsLocal:
    return _LOCAL


@pytest.fixture(scope="session")
def admin_credenciales() -> tuple[str, str]:
    return ADMIN_USER, ADMIN_PASSWORD


_secuencia = itertools.count(1)


@pytest.fixture
def siniestro() -> Callable[[], str]:
    """Unique claim numbers so tests never share data."""
    return lambda: f"SIN-{uuid.uuid4().hex[:8].upper()}-{next(_secuencia)}"


class Llamante:
    """A real user (or client) in the table with a valid token."""

    def __init__(self, principal: Principal, token: str, password: str | None = None) -> None:
        self.principal = principal
        self.token = token
        self.password = password

    @property
    def autorizador(self) -> dict[str, Any]:
        contexto: dict[str, Any] = {
            "principalId": self.principal.id,
            "username": self.principal.username,
            "rol": self.principal.rol.value,
        }
        if self.principal.id_aseguradora is not None:
            contexto["id_aseguradora"] = self.principal.id_aseguradora
        if self.principal.nombre:
            contexto["nombre"] = self.principal.nombre
        return contexto

    @property
    def cabecera(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def crear_usuario() -> Callable[..., Llamante]:
    def crear(rol: Rol = Rol.OPERADOR, username: str | None = None, password: str | None = None) -> Llamante:
        username = username or f"{rol.value.lower()}-{uuid.uuid4().hex[:8]}"
        password = password or "clave-" + uuid.uuid4().hex[:10]
        item = usuarios.crear(nombre=f"Usuario {username}", username=username, password=password, rol=rol)
        principal = Principal(id=str(item["id"]), username=username, rol=rol, nombre=item["nombre"])
        token = emitir_token(sub=principal.id, username=username, rol=rol, version=1, ttl=600)
        return Llamante(principal, token, password)

    return crear


@pytest.fixture
def admin(crear_usuario: Callable[..., Llamante]) -> Llamante:
    return crear_usuario(Rol.ADMINISTRADOR)


@pytest.fixture
def operador(crear_usuario: Callable[..., Llamante]) -> Llamante:
    return crear_usuario(Rol.OPERADOR)


@pytest.fixture
def tecnico(crear_usuario: Callable[..., Llamante]) -> Llamante:
    return crear_usuario(Rol.TECNICO)


_modulos: dict[str, Any] = {}


@pytest.fixture
def invocar() -> Callable[..., dict[str, Any]]:
    """Calls functions/<nombre>/app.py with an API Gateway REST event; body decoded for convenience.

    invocar("expedientes_update", "PUT", "/api/expedientes/{no_siniestro}", llamante=op,
            ruta_params={"no_siniestro": "X"}, cuerpo={...}, query={"limit": "5"}, headers={...})
    """

    def llamar(
        nombre: str,
        metodo: str,
        recurso: str,
        *,
        llamante: Llamante | None = None,
        ruta_params: dict[str, str] | None = None,
        cuerpo: Any = None,
        query: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        if nombre not in _modulos:
            _modulos[nombre] = funciones.cargar(nombre)
        ruta = recurso
        for clave, valor in (ruta_params or {}).items():
            ruta = ruta.replace("{" + clave + "}", valor)
        texto = cuerpo if isinstance(cuerpo, (str, bytes)) or cuerpo is None else json.dumps(cuerpo)
        evento = eventos.evento_rest(
            metodo,
            recurso,
            ruta,
            cuerpo=texto,
            parametros_ruta=ruta_params,
            query={k: [v] for k, v in (query or {}).items()},
            headers={"Content-Type": ["application/json"], **{k: [v] for k, v in (headers or {}).items()}},
            autorizador=llamante.autorizador if llamante else None,
        )
        respuesta = funciones.invocar(_modulos[nombre], evento, nombre)
        cuerpo_json = json.loads(respuesta["body"]) if respuesta.get("body") else None
        cabeceras = {k: v[-1] for k, v in (respuesta.get("multiValueHeaders") or {}).items()}
        cabeceras |= respuesta.get("headers") or {}
        return {**respuesta, "headers": cabeceras, "json": cuerpo_json}

    return llamar


class ContadorDynamo:
    def __init__(self) -> None:
        self.llamadas: Counter[str] = Counter()

    def __call__(self, event_name: str, **_: Any) -> None:
        self.llamadas[event_name.rsplit(".", 1)[-1]] += 1

    @property
    def total(self) -> int:
        return sum(self.llamadas.values())

    def reiniciar(self) -> None:
        self.llamadas.clear()


@pytest.fixture
def dynamo_requests() -> Iterator[ContadorDynamo]:
    """Counts DynamoDB requests issued through boto3's default session (per operation name)."""
    contador = ContadorDynamo()
    _CONTADORES.append(contador)
    yield contador
    _CONTADORES.remove(contador)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Prints the figures the hardening tests record (cases, faults injected, requests, items lost)."""
    from tests.e2e.resumen import archivo

    resumen = archivo()
    if resumen.exists():
        terminalreporter.section("Monitor: fuzz, fallas, concurrencia, abuso")
        terminalreporter.write(resumen.read_text(encoding="utf-8"))
        resumen.unlink()
