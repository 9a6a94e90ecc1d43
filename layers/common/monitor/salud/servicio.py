"""Liveness plus a cheap table check (one GetItem on a fixed key)."""

from __future__ import annotations

from typing import Any

from monitor.core import keys, table
from monitor.core.dates import ahora


def estado() -> dict[str, Any]:
    table.get(keys.salud())
    return {"status": "ok", "tabla": "ok", "fecha": ahora()}
