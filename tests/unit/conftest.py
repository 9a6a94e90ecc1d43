"""Unit tests never reach AWS: a fixed configuration instead of the one a stack sets, and fixed signing
keys instead of Secrets Manager. Run alone (`pytest tests/unit`) they start no server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from monitor.core import signing
from monitor.core.settings import settings

CLAVES: dict[str, Any] = {"kid": "unidad", "key": "clave-de-unidad-" + "u" * 48, "previous": []}


@pytest.fixture(autouse=True)
def sin_aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("MONITOR_TABLE", "monitor-unidad")
    monkeypatch.setenv("MONITOR_JWT_SECRET_ID", "monitor-unidad-claves")
    monkeypatch.setattr(signing, "claves_firma", lambda: CLAVES)
    settings.cache_clear()
    yield
    settings.cache_clear()  # whatever runs next reads its own environment again
