"""Figures for the end-of-run summary (fuzz cases, faults injected, concurrent requests, items lost).

Each hardening module appends its lines to a file named after the pytest process, so runs in parallel
never mix; a `pytest_terminal_summary` hook in tests/conftest.py prints it and removes it.
"""

from __future__ import annotations

import os
from pathlib import Path

CARPETA = Path(__file__).resolve().parents[2] / ".pytest_cache"


def archivo(pid: int | None = None) -> Path:
    return CARPETA / f"monitor-resumen-{pid or os.getpid()}.txt"


def anotar(linea: str) -> None:
    CARPETA.mkdir(parents=True, exist_ok=True)
    with archivo().open("a", encoding="utf-8") as salida:
        salida.write(linea.rstrip("\n") + "\n")
