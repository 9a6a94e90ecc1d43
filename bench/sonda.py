"""Child process of the cold-init benchmark: one fresh interpreter, one measurement, JSON on stdout.

Run as `python -I -S -B sonda.py '<json>'`, so nothing from the caller's environment or site-packages
leaks in: `sys.path` is built here the way Lambda builds it (/var/task, then /opt/python, then the
runtime's own packages, then the standard library). Timing is taken inside the process with
`perf_counter`, so interpreter start-up (identical for every probe) is left out; `process_time` is
reported beside it because CPU time barely moves when other processes compete for the CPU.

It imports only the standard library until the measured imports, so it works from any `sys.path`.
"""

import importlib
import json
import os
import sys
import time

# Top-level packages worth flagging when a function drags them in at init (see bench/README.md).
VIGILADOS = ("cryptography", "aws_xray_sdk", "jwt", "simplejson", "email_validator", "yaml", "requests")


def _preparar_ruta(rutas: list[str]) -> None:
    """Lambda's order: function code, layer, runtime packages, stdlib last."""
    sys.path[:0] = rutas


# What Powertools' request validation itself imports: Pydantic, its fields and types, Powertools' params
# and validation middleware. The "pila" probe imports them on top of the floor, after `monitor`'s own
# package init (deferred Powertools package inits, collector paused) and nothing else of Monitor: the
# least a function that validates can cost here.
PILA_VALIDACION = (
    "pydantic.main",
    "pydantic.fields",
    "pydantic.types",
    "aws_lambda_powertools.event_handler.openapi.params",
    "aws_lambda_powertools.event_handler.middlewares.openapi_validation",
)


# What the form functions add to the floor: openpyxl as the filler imports it (Pillow comes with it).
PILA_XLSX = ("openpyxl", "openpyxl.formula.translate", "openpyxl.formatting.formatting")


def _piso(pila: bool = False, xlsx: bool = False) -> dict[str, float]:
    """The floor: what any Python Lambda that talks to DynamoDB pays before running a line of its own.
    `pila` adds the validation stack, so the table shows what the chosen stack costs before our code."""
    c0, t0 = time.process_time(), time.perf_counter()
    if pila:
        importlib.import_module("monitor")
    import boto3

    t1 = time.perf_counter()
    boto3.client("dynamodb")
    for modulo in (*(PILA_VALIDACION if pila else ()), *(PILA_XLSX if xlsx else ())):
        importlib.import_module(modulo)
    t2, c2 = time.perf_counter(), time.process_time()
    return {
        "importar_ms": (t1 - t0) * 1000,
        "cliente_ms": (t2 - t1) * 1000,
        "total_ms": (t2 - t0) * 1000,
        "cpu_ms": (c2 - c0) * 1000,
    }


class _Contexto:
    """Just enough of LambdaContext for Powertools."""

    function_name = "monitor-bench"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:monitor-bench"
    aws_request_id = "bench"


def _primera(app: object, evento: str) -> dict[str, float]:
    """The first request after init (events/<function>.json against the bench's moto): what the init
    figure leaves out, so that work moved from init into the first request shows up here."""
    with open(evento, encoding="utf-8") as archivo:
        datos = json.load(archivo)
    c0, t0 = time.process_time(), time.perf_counter()
    respuesta = app.lambda_handler(datos, _Contexto())  # type: ignore[attr-defined]
    t1, c1 = time.perf_counter(), time.process_time()
    estado = respuesta.get("statusCode", 0) if isinstance(respuesta, dict) else 0
    if isinstance(respuesta, dict) and "policyDocument" in respuesta:  # the authorizer: Allow 200, Deny 401
        estado = 200 if respuesta["policyDocument"]["Statement"][0]["Effect"] == "Allow" else 401
    return {"primera_ms": (t1 - t0) * 1000, "primera_cpu_ms": (c1 - c0) * 1000, "status": estado}


def _vigilados() -> list[str]:
    return sorted(nombre for nombre in VIGILADOS if nombre in sys.modules)


def _funcion(modulo: str, evento: str | None) -> dict[str, object]:
    """Import the handler module as Lambda's bootstrap does, then build the DynamoDB client the layer
    builds lazily: the first request pays for it anyway, so it belongs to the cold start."""
    c0, t0 = time.process_time(), time.perf_counter()
    app = importlib.import_module(modulo)
    t1 = time.perf_counter()
    try:
        tabla = importlib.import_module("monitor.core.table")
    except ImportError:
        tabla = None
    if tabla is not None and hasattr(tabla, "cliente"):
        tabla.cliente()
    t2, c2 = time.perf_counter(), time.process_time()
    medida: dict[str, object] = {
        "importar_ms": (t1 - t0) * 1000,
        "cliente_ms": (t2 - t1) * 1000,
        "total_ms": (t2 - t0) * 1000,
        "cpu_ms": (c2 - c0) * 1000,
        "cargados": _vigilados(),  # what init loaded, before the request loads more
        "modulos": len(sys.modules),
    }
    return {**medida, **_primera(app, evento)} if evento else medida


def main() -> None:
    orden = json.loads(sys.argv[1])
    _preparar_ruta(orden["rutas"])
    if orden["modo"] == "vacio":  # the interpreter and this script alone: subtracted from instruction counts
        resultado: dict[str, object] = {"modulos": len(sys.modules)}
    elif orden["modo"] in ("piso", "pila", "pila_xlsx"):
        medida = _piso(pila=orden["modo"] != "piso", xlsx=orden["modo"] == "pila_xlsx")
        resultado = {**medida, "cargados": _vigilados(), "modulos": len(sys.modules)}
    else:
        resultado = _funcion(orden.get("modulo", "app"), orden.get("evento"))
    sys.stdout.write(json.dumps(resultado) + "\n")
    sys.stdout.flush()
    # No interpreter shutdown (module teardown, a last collection of everything init built): Lambda never
    # pays it, and instruction counts (arranque.contar_instrucciones) would include it.
    os._exit(0)


if __name__ == "__main__":
    main()
