"""Loads function code the way Lambda does: each function's app.py in its own module namespace,
with the layer's package on the path. A fresh load is a fresh "container"."""

from __future__ import annotations

import importlib.util
import itertools
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

RAIZ = Path(__file__).resolve().parent.parent
CAPA = RAIZ / "layers" / "common"
FUNCIONES = RAIZ / "functions"

if str(CAPA) not in sys.path:
    sys.path.insert(0, str(CAPA))

_contador = itertools.count()


def eventos_por_hilo() -> None:
    """Powertools keeps the current event in a class attribute (`BaseRouter.current_event`) shared by
    every resolver in the process. Lambda runs one request per process, so there it never matters;
    here (the local gateway, threaded tests) containers run side by side in threads and one request
    would read another's event and body. Each thread sees its own event and context. Idempotent."""
    import threading

    from aws_lambda_powertools.event_handler import api_gateway

    resolver = api_gateway.ApiGatewayResolver
    if getattr(resolver, "_eventos_por_hilo", False):
        return
    local = threading.local()
    original = resolver.resolve

    def resolve(self: Any, event: Any, context: Any) -> Any:
        local.evento = self._to_proxy_event(dict(event))
        local.contexto = context
        return original(self, event, context)

    def _leer(nombre: str) -> Any:
        return lambda self: getattr(local, nombre, None)

    def _escribir(nombre: str) -> Any:
        return lambda self, valor: setattr(local, nombre, valor)

    resolver.resolve = resolve  # type: ignore[method-assign]
    resolver.current_event = property(_leer("evento"), _escribir("evento"))  # type: ignore[assignment]
    resolver.lambda_context = property(_leer("contexto"), _escribir("contexto"))  # type: ignore[assignment]
    resolver._eventos_por_hilo = True  # type: ignore[attr-defined]


def cargar(directorio: str | Path) -> ModuleType:
    """A new module object for functions/<name>/app.py: module-level state is per container."""
    eventos_por_hilo()
    ruta = Path(directorio)
    if not ruta.is_absolute():
        ruta = FUNCIONES / ruta
    nombre = f"monitor_fn_{ruta.name}_{next(_contador)}"
    spec = importlib.util.spec_from_file_location(nombre, ruta / "app.py")
    if spec is None or spec.loader is None:
        raise ImportError(f"No se puede cargar {ruta}")
    modulo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(modulo)
    return modulo


@dataclass
class Contexto:
    """Just enough of LambdaContext for Powertools."""

    function_name: str = "monitor-local"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:monitor-local"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    log_group_name: str = "/aws/lambda/monitor-local"
    log_stream_name: str = "local"
    timeout_s: float = 10.0  # the function's Timeout; the remaining time counts down from the invocation
    inicio: float = field(default_factory=time.monotonic)

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.inicio + self.timeout_s - time.monotonic()) * 1000))


def invocar(
    modulo: ModuleType, evento: dict[str, Any], nombre: str = "monitor-local", *, timeout_s: float = 10.0
) -> Any:
    return modulo.lambda_handler(evento, Contexto(function_name=nombre, timeout_s=timeout_s))
