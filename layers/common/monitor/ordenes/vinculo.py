"""Whether an order belongs to an expediente: a module of its own, so the expediente's functions read the rule
without loading the order fields' enums and classes at init."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from monitor.core.table import entero


def vinculada(orden: Mapping[str, Any], expediente: Mapping[str, Any] | None) -> bool:
    """An order belongs to a claim's file only when that expediente is of the insurer that sent it: the link
    item sits under `EXP#<no>` either way (it carries the order's `id_aseguradora`), and readers apply this
    rule, so creating the expediente or changing its insurer later links or unlinks the order at once."""
    if expediente is None or expediente.get("id_aseguradora") is None:
        return False
    return bool(entero(orden.get("id_aseguradora")) == entero(expediente.get("id_aseguradora")))
