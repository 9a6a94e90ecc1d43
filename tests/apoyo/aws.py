"""The AWS the handler, e2e and start-up tests run against: one moto server for the whole session (table
from template.yaml), a guard that fails on any DynamoDB Scan, request counters, and the fixtures that
create users, tokens and API Gateway events.

Nothing starts at import: `iniciar()` starts it once per session, the first time a conftest that needs
it is loaded (tests/handlers, tests/e2e, tests/arranque); unit tests alone never start it. Those
conftests import the fixtures below by name, so every level sees the same `aws`, `invocar`,
`crear_usuario`, `admin`/`operador`/`tecnico` and `dynamo_requests`.
"""

from __future__ import annotations

import json
import os
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest

from tests.apoyo.llamantes import Llamante
from tools import aws_local, eventos, funciones

ADMIN_USER = "admin"
ADMIN_PASSWORD = "admin-" + uuid.uuid4().hex[:12]
SCANS: list[str] = []
_CONTADORES: list[Callable[..., None]] = []
_local: aws_local.AwsLocal | None = None


def _prohibir_scan(**kwargs: Any) -> None:
    SCANS.append(str(kwargs.get("params", {}).get("TableName")))
    raise AssertionError("Se emitió un Scan de DynamoDB: ninguna ruta puede escanear la tabla")


def _despachar(event_name: str, **kwargs: Any) -> None:
    for contador in list(_CONTADORES):
        contador(event_name, **kwargs)


def iniciar() -> aws_local.AwsLocal:
    """Starts moto once (later calls return the same server), points this process at it, hooks the Scan
    guard and the counters into boto3's default session, and seeds the first administrator."""
    global _local  # noqa: PLW0603 - one server per test session
    if _local is not None:
        return _local
    aws_local.olvidar_recursos()
    local = aws_local.iniciar(prefijo=f"monitor-test-{uuid.uuid4().hex[:6]}")
    os.environ.update(local.entorno())
    # Handlers in this process share boto3's default session; the Scan guard and counters hook it.
    boto3.setup_default_session(region_name=aws_local.REGION)
    # Registered before any client exists: botocore clients copy the session's hooks when created.
    boto3.DEFAULT_SESSION.events.register("before-call.dynamodb.Scan", _prohibir_scan)  # type: ignore[union-attr]
    boto3.DEFAULT_SESSION.events.register("before-call.dynamodb", _despachar)  # type: ignore[union-attr]

    from monitor.core.settings import settings
    from monitor.usuarios import semilla

    settings.cache_clear()
    semilla.sembrar(ADMIN_USER, ADMIN_PASSWORD)
    _local = local
    return local


def terminar(session: pytest.Session) -> None:
    """End of the session (called by the root conftest): a Scan anywhere fails the run; moto stops."""
    if SCANS:
        session.exitstatus = 1
        print(f"\nDynamoDB Scan emitido {len(SCANS)} veces: ninguna ruta puede escanear")
    if _local is not None:
        _local.detener()


@pytest.fixture(scope="session")
def aws() -> aws_local.AwsLocal:
    return iniciar()


@pytest.fixture(scope="session")
def admin_credenciales() -> tuple[str, str]:
    iniciar()
    return ADMIN_USER, ADMIN_PASSWORD


@pytest.fixture
def crear_usuario(aws: aws_local.AwsLocal) -> Callable[..., Llamante]:
    from monitor.auth.roles import Principal
    from monitor.auth.tokens import emitir_token
    from monitor.usuarios import servicio as usuarios
    from monitor.usuarios.campos import Rol

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
    from monitor.usuarios.campos import Rol

    return crear_usuario(Rol.ADMINISTRADOR)


@pytest.fixture
def operador(crear_usuario: Callable[..., Llamante]) -> Llamante:
    from monitor.usuarios.campos import Rol

    return crear_usuario(Rol.OPERADOR)


@pytest.fixture
def tecnico(crear_usuario: Callable[..., Llamante]) -> Llamante:
    from monitor.usuarios.campos import Rol

    return crear_usuario(Rol.TECNICO)


_modulos: dict[str, Any] = {}


@pytest.fixture
def invocar(aws: aws_local.AwsLocal) -> Callable[..., dict[str, Any]]:
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
def dynamo_requests(aws: aws_local.AwsLocal) -> Iterator[ContadorDynamo]:
    """Counts DynamoDB requests issued through boto3's default session (per operation name)."""
    contador = ContadorDynamo()
    _CONTADORES.append(contador)
    yield contador
    _CONTADORES.remove(contador)
