"""Pure fixtures every level may use. No AWS here: moto, the Scan guard and the fixtures that need a
table live in tests/apoyo/aws.py and are loaded by tests/handlers, tests/e2e and tests/arranque, so
`pytest tests/unit` starts no server."""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import itertools
import sys
import uuid
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

import pytest

from tests.apoyo.llamantes import Llamante  # noqa: F401 - re-exported while tests move to tests.apoyo.llamantes
from tests.apoyo.resumen import archivo

# Transition: test modules that moved keep their old import names while tests written against them land.
# Delete an entry once no test imports its old name.
MOVIDOS = {
    "tests.handlers.test_service_orders_apoyo": "tests.apoyo.ordenes",
    "tests.handlers.test_expedientes_put": "tests.apoyo.expedientes",
    "tests.e2e.resumen": "tests.apoyo.resumen",
    "tests.handlers.test_service_orders_cancel": "tests.handlers.test_ordenes_cancelacion",
    "tests.handlers.test_service_orders": "tests.handlers.test_ordenes_recepcion",
}


class _Movidos(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Resolves an old name (only when no file answers to it) to the module that replaced it."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        return importlib.util.spec_from_loader(fullname, self) if fullname in MOVIDOS else None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return importlib.import_module(MOVIDOS[spec.name])

    def exec_module(self, module: ModuleType) -> None:
        pass


sys.meta_path.append(_Movidos())
_secuencia = itertools.count(1)


@pytest.fixture
def siniestro() -> Callable[[], str]:
    """Unique claim numbers so tests never share data."""
    return lambda: f"SIN-{uuid.uuid4().hex[:8].upper()}-{next(_secuencia)}"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """If a level started the local AWS, its Scan guard judges the run and the server stops."""
    aws = sys.modules.get("tests.apoyo.aws")
    if aws is not None:
        aws.terminar(session)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Prints the figures the hardening tests record (cases, faults injected, requests, items lost)."""
    resumen = archivo()
    if resumen.exists():
        terminalreporter.section("Monitor: fuzz, fallas, concurrencia, abuso")
        terminalreporter.write(resumen.read_text(encoding="utf-8"))
        resumen.unlink()
