"""Pure fixtures every level may use. No AWS here: moto, the Scan guard and the fixtures that need a
table live in tests/apoyo/aws.py and are loaded by tests/handlers, tests/e2e and tests/arranque, so
`pytest tests/unit` starts no server."""

from __future__ import annotations

import itertools
import sys
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.apoyo.resumen import archivo

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
