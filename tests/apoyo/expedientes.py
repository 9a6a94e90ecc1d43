"""Helpers shared by the expediente tests: create one through its handler, PUT it, read what is stored,
build API Gateway events, and run handlers in parallel processes (one "Lambda container" each)."""

from __future__ import annotations

import json
import multiprocessing
import re
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from monitor.core import keys, table
from tools import eventos, funciones

Invocar = Callable[..., dict[str, Any]]
RUTA = "/api/expedientes/{no_siniestro}"
SEED = json.loads((Path(__file__).parents[1] / "fixtures" / "expediente_seed.json").read_text(encoding="utf-8"))
FECHA_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def nuevo(invocar: Invocar, llamante: Any, no: str, **extra: Any) -> dict[str, Any]:
    cuerpo = {
        "no_siniestro": no,
        "nombre_cliente": "Juan García",
        "telefono_cliente": "555-100-2000",
        "marca": "Toyota",
        "placas": "ABC-123",
        "tipo": "Sedán",
        "modelo": "Corolla",
        "fecha_ingreso": "2024-03-15",
        "fecha_entrega": "2024-04-15",
        **extra,
    }
    r = invocar("expedientes_create", "POST", "/api/expedientes", llamante=llamante, cuerpo=cuerpo)
    assert r["statusCode"] == 201, r["json"]
    return r["json"]


def put(invocar: Invocar, llamante: Any, no: str, cuerpo: Any, headers: dict[str, str] | None = None) -> dict[str, Any]:
    return invocar(
        "expedientes_update",
        "PUT",
        RUTA,
        llamante=llamante,
        ruta_params={"no_siniestro": no},
        cuerpo=cuerpo,
        headers=headers,
    )


def meta(no: str) -> dict[str, Any] | None:
    return table.get(keys.expediente(no), consistente=True)


def auditorias(no: str) -> list[dict[str, Any]]:
    return table.query_todo(
        "PK = :pk AND begins_with(SK, :p)", {":pk": keys.expediente_pk(no), ":p": "AUD#"}, consistente=True
    )


def evento(metodo: str, recurso: str, params: dict[str, str], cuerpo: Any, llamante: Any) -> dict[str, Any]:
    ruta = recurso
    for clave, valor in params.items():
        ruta = ruta.replace("{" + clave + "}", valor)
    return eventos.evento_rest(
        metodo,
        recurso,
        ruta,
        cuerpo=json.dumps(cuerpo),
        parametros_ruta=params,
        headers={"Content-Type": ["application/json"]},
        autorizador=llamante.autorizador,
    )


def _contenedor(nombre: str, evento_api: dict[str, Any], barrera: Any, cola: Any) -> None:
    table.cliente.cache_clear()  # never share the parent's pooled sockets
    modulo = funciones.cargar(nombre)
    barrera.wait()
    respuesta = funciones.invocar(modulo, evento_api, nombre)
    cola.put((respuesta["statusCode"], respuesta.get("body")))


def en_paralelo(nombre: str, eventos_api: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """Each event in its own forked process (one "Lambda container" each), released together."""
    contexto = multiprocessing.get_context("fork")
    barrera = contexto.Barrier(len(eventos_api))
    cola = contexto.Queue()
    procesos = [contexto.Process(target=_contenedor, args=(nombre, e, barrera, cola)) for e in eventos_api]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork with moto's threads alive: children only use HTTP
        for p in procesos:
            p.start()
    respuestas = [cola.get(timeout=120) for _ in procesos]
    for p in procesos:
        p.join(timeout=30)
    return respuestas
