"""The shop's exit-inspection form: `catalogo.json` beside this module, shipped with the layer exactly as the
shop gave it (12 vehicle systems, 122 points, values OK/RE/MA/NA). Read once, on first use, so a function
that never needs it never pays for it; nothing here retypes the form."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ARCHIVO = Path(__file__).with_name("catalogo.json")
SIN_REVISAR = "sin_revisar"

Puntos = Mapping[str, Mapping[str, str]]  # sistema → nombre_item → valor, as stored


@functools.cache
def catalogo() -> dict[str, Any]:
    """The file as it is: `{"descripcion", "valores", "sistemas": [{"sistema", "items": [...]}]}`."""
    datos: dict[str, Any] = json.loads(ARCHIVO.read_text(encoding="utf-8"))
    return datos


@functools.cache
def puntos() -> tuple[tuple[str, str], ...]:
    """Every `(sistema, nombre_item)` in the form's order."""
    return tuple((s["sistema"], item) for s in catalogo()["sistemas"] for item in s["items"])


@functools.cache
def _conocidos() -> frozenset[tuple[str, str]]:
    return frozenset(puntos())


def existe(sistema: str, nombre_item: str) -> bool:
    return (sistema, nombre_item) in _conocidos()


def valores() -> tuple[str, ...]:
    return tuple(catalogo()["valores"])


def valor(guardados: Puntos, sistema: str, nombre_item: str) -> str | None:
    return (guardados.get(sistema) or {}).get(nombre_item)


def resumen(guardados: Puntos) -> dict[str, int]:
    """How many points of the form carry each value, and how many none (points no longer in the form
    are not counted)."""
    cuenta = dict.fromkeys(valores(), 0)
    for sistema, nombre_item in puntos():
        v = valor(guardados, sistema, nombre_item)
        if v is not None and v in cuenta:
            cuenta[v] += 1
    cuenta[SIN_REVISAR] = len(puntos()) - sum(cuenta.values())
    return cuenta
