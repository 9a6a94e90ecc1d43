"""Small statistics and formatting shared by every section of the benchmark.

The machines are shared and noisy, so every figure is reported as a median with its min and max,
and comparisons are ratios of samples taken side by side (never absolute thresholds).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

PENDIENTE = "pendiente"
ND = "n/d"


@dataclass(frozen=True)
class Resumen:
    mediana: float
    minimo: float
    maximo: float
    n: int

    @classmethod
    def de(cls, muestras: Sequence[float]) -> Resumen:
        if not muestras:
            raise ValueError("sin muestras")
        return cls(statistics.median(muestras), min(muestras), max(muestras), len(muestras))


def percentil(muestras: Sequence[float], p: float) -> float:
    """Nearest-rank percentile: with 200+ samples p99 is an observed value, not an interpolation."""
    ordenadas = sorted(muestras)
    rango = max(1, math.ceil(p / 100 * len(ordenadas)))
    return ordenadas[rango - 1]


def razones(numeradores: Sequence[float], denominadores: Sequence[float]) -> list[float]:
    """Pairwise ratios of samples taken together (same round), so shared noise cancels out."""
    return [a / b for a, b in zip(numeradores, denominadores, strict=True) if b > 0]


def ms(valor: float | None) -> str:
    if valor is None:
        return ND
    return f"{valor:.1f}" if valor < 100 else f"{valor:.0f}"


def rango_ms(resumen: Resumen) -> str:
    return f"{ms(resumen.minimo)}–{ms(resumen.maximo)}"


def veces(valor: float | None) -> str:
    return ND if valor is None else f"{valor:.2f}×"


def veces_rango(resumen: Resumen) -> str:
    """`1.23× (1.10–1.40)`: median ratio with the spread of the per-round ratios."""
    return f"{resumen.mediana:.2f}× ({resumen.minimo:.2f}–{resumen.maximo:.2f})"


def cumple(valor: float | None, objetivo: float) -> str:
    if valor is None:
        return ND
    return "ok" if valor <= objetivo else "NO"


def mib(octetos: int) -> str:
    return f"{octetos / 2**20:.2f} MiB"


def tabla_md(cabeceras: Sequence[str], filas: Sequence[Sequence[str]]) -> str:
    """A GitHub markdown table with columns padded so it also reads well on a terminal."""
    anchos = [len(c) for c in cabeceras]
    for fila in filas:
        anchos = [max(a, len(celda)) for a, celda in zip(anchos, fila, strict=True)]

    def linea(celdas: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(a) for c, a in zip(celdas, anchos, strict=True)) + " |"

    separador = "|" + "|".join("-" * (a + 2) for a in anchos) + "|"
    return "\n".join([linea(cabeceras), separador, *(linea(f) for f in filas)])
