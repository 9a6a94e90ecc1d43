"""JSON in and out with exact decimals: money never passes through float."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import simplejson


def loads(texto: str | bytes) -> Any:
    return json.loads(texto, parse_float=Decimal)


def dumps(valor: Any) -> str:
    texto: str = simplejson.dumps(valor, use_decimal=True, ensure_ascii=False, separators=(",", ":"))
    return texto
