"""Deferred package inits for Powertools packages whose `__init__` imports every sibling.

`aws_lambda_powertools.event_handler` imports all its resolvers (AppSync pulls in asyncio, Bedrock, VPC
Lattice...) and `utilities.data_classes` imports some thirty event classes, though a function here uses
one resolver and one event. Installed before Powertools is first imported (by `monitor.startup.install`), each
package becomes a module whose names are exactly those its `__init__` imports, each one loaded from its
submodule on first use. What that saves is re-measured by every `make bench` (column «diferidos» of the
start-up tricks table; docs/startup.md).

If a package was already imported, or its `__init__` cannot be read, nothing changes: same names, same
objects, only eager. tests/arranque/test_arranque.py checks every exported name against the real package.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import sys
from types import ModuleType
from typing import Any

from monitor.startup.switches import apagado

PAQUETES = (
    "aws_lambda_powertools.event_handler",
    "aws_lambda_powertools.utilities.data_classes",
    "aws_lambda_powertools.utilities.parameters",  # all five providers; the functions use Secrets Manager's
)


def exportados(nombre: str, fuente: str) -> dict[str, tuple[str, str]]:
    """Each name the package's `__init__` imports → (module it comes from, name there)."""
    nombres: dict[str, tuple[str, str]] = {}
    for nodo in ast.parse(fuente).body:
        if isinstance(nodo, ast.ImportFrom):
            origen = importlib.util.resolve_name("." * nodo.level + (nodo.module or ""), nombre)
            for alias in nodo.names:
                nombres[alias.asname or alias.name] = (origen, alias.name)
    return nombres


def diferir(nombre: str) -> ModuleType | None:
    """Puts a deferred module for package `nombre` in sys.modules; None when it leaves things as they are."""
    if nombre in sys.modules:
        return None
    spec = importlib.util.find_spec(nombre)
    if spec is None or spec.origin is None or spec.submodule_search_locations is None:
        return None
    try:
        with open(spec.origin, encoding="utf-8") as archivo:
            nombres = exportados(nombre, archivo.read())
    except (OSError, SyntaxError, ValueError):
        return None
    modulo = importlib.util.module_from_spec(spec)

    def __getattr__(atributo: str) -> Any:
        if atributo not in nombres:
            # Not an export: the import system then looks for a submodule of that name.
            raise AttributeError(f"module {nombre!r} has no attribute {atributo!r}")
        origen, original = nombres[atributo]
        valor = getattr(importlib.import_module(origen), original)
        setattr(modulo, atributo, valor)
        return valor

    modulo.__getattr__ = __getattr__  # type: ignore[method-assign]
    sys.modules[nombre] = modulo
    padre, _, hijo = nombre.rpartition(".")
    setattr(importlib.import_module(padre), hijo, modulo)
    return modulo


def instalar() -> None:
    if apagado("deferred_inits"):
        return
    for nombre in PAQUETES:
        diferir(nombre)
