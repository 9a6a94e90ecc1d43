"""JSON in and out with exact decimals: money never passes through float.

`loads` is the one parser of request bodies, so it also refuses what would break later steps with a 500 or
cost more than a request may: numbers far past any sensible size (literals over 1 000 characters, which
covers Python's 4 300-digit limit on int parsing, or magnitudes beyond 1E±1000, whose conversion to int
alone could exhaust memory), and nesting deeper than DynamoDB's 32 levels (or deep enough to exhaust the
parser's recursion). Anything smaller reaches the models, whose bounds (DynamoDB's 38 digits included)
refuse it naming the field. Each refusal is
a `json.JSONDecodeError` whose `msg` is a Spanish text the validation layer shows as is.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

import simplejson

NUMERO_FUERA_DE_RANGO = "Contiene un número fuera del rango admitido"
ANIDAMIENTO = "Anidamiento excesivo"
MAX_LITERAL = 1000  # characters of one number literal
EXPONENTE_MAXIMO = 1000
EXPONENTE_MINIMO = -1000
MAX_ANIDAMIENTO = 32  # DynamoDB's nesting limit; no body of this API comes near it


class _FueraDeRango(ValueError):
    """Raised by the number hooks; `loads` turns it into a JSONDecodeError."""


def _entero(texto: str) -> int:
    # Checked on the literal: int() of thousands of digits is slow, and past 4 300 a ValueError.
    if len(texto) > MAX_LITERAL:
        raise _FueraDeRango(texto[:20])
    return int(texto)


def _decimal(texto: str) -> Decimal:
    if len(texto) > MAX_LITERAL:  # also bounds the exponent's own digits
        raise _FueraDeRango(texto[:20])
    try:
        valor = Decimal(texto)
    except InvalidOperation:  # pragma: no cover - the JSON scanner only hands over valid literals
        raise _FueraDeRango(texto[:20]) from None
    if valor and not EXPONENTE_MINIMO <= valor.adjusted() <= EXPONENTE_MAXIMO:
        raise _FueraDeRango(texto[:20])
    return valor


def _profundidad_excedida(valor: Any) -> bool:
    """Iterative, so checking depth cannot itself exhaust the stack."""
    pendientes: list[tuple[Any, int]] = [(valor, 1)]
    while pendientes:
        actual, nivel = pendientes.pop()
        hijos = actual.values() if isinstance(actual, dict) else actual if isinstance(actual, list) else None
        if hijos is None:
            continue
        if nivel > MAX_ANIDAMIENTO:
            return True
        pendientes.extend((hijo, nivel + 1) for hijo in hijos if isinstance(hijo, (dict, list)))
    return False


def loads(texto: str | bytes) -> Any:
    documento = texto if isinstance(texto, str) else ""
    try:
        valor = json.loads(texto, parse_float=_decimal, parse_int=_entero)
    except _FueraDeRango:
        raise json.JSONDecodeError(NUMERO_FUERA_DE_RANGO, documento, 0) from None
    except RecursionError:
        raise json.JSONDecodeError(ANIDAMIENTO, documento, 0) from None
    if _profundidad_excedida(valor):
        raise json.JSONDecodeError(ANIDAMIENTO, documento, 0)
    return valor


def dumps(valor: Any) -> str:
    texto: str = simplejson.dumps(valor, use_decimal=True, ensure_ascii=False, separators=(",", ":"))
    return texto
