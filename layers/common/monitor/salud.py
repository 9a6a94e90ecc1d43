"""Liveness plus a cheap table check (one GetItem on a fixed key)."""

from __future__ import annotations

from typing import Any

from monitor import keys, tabla
from monitor.fechas import ahora


def estado() -> dict[str, Any]:
    tabla.get(keys.salud())
    return {"status": "ok", "tabla": "ok", "fecha": ahora()}
