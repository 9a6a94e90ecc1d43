"""The guard of the last administrator: a counter of active administrators (`keys.administradores_activos`)
that every change making or unmaking one moves inside its own transaction. Removing one is conditioned on
the counter being above 1, so two administrators demoting each other at the same moment cannot both
succeed: DynamoDB serialises the two transactions and the second finds the counter at 1.

A stack that predates the counter gets it on first need (`asegurar`), counted from the users themselves:
until it exists no change of an administrator can commit (each requires it), so the count it starts from
cannot race one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from monitor.core import keys, table
from monitor.core.errors import CondicionFallida, Conflicto
from monitor.core.observability import logger
from monitor.usuarios.campos import Rol

PASO = "administradores"
ULTIMO = "Debe quedar al menos un administrador activo: asigne antes el rol de administrador a otro usuario"


def es_admin_activo(item: Mapping[str, Any]) -> bool:
    return item.get("rol") == Rol.ADMINISTRADOR.value and item.get("activo", True) is True


def mover(transaccion: table.Transaccion, cambio: int) -> None:
    """Adds the counter's step to a transaction that makes (+1) or unmakes (-1) an active administrator."""
    condicion = "attribute_exists(PK)" if cambio > 0 else "activos > :uno"
    transaccion.update(
        PASO,
        keys.administradores_activos(),
        "ADD activos :cambio",
        {":cambio": cambio, ":uno": 1} if cambio < 0 else {":cambio": cambio},
        condicion=condicion,
    )


def sin_contador(item_fallido: Mapping[str, Any] | None) -> bool:
    """The step failed because the counter does not exist yet (not because it is at 1)."""
    return item_fallido is None


def contar() -> int:
    """Active administrators, from the users' list (GSI1, paged). Only for creating the counter."""
    items = table.query_todo(
        "GSI1PK = :pk",
        {":pk": keys.USUARIOS, ":admin": Rol.ADMINISTRADOR.value, ":si": True},
        indice="GSI1",
        filtro="rol = :admin AND activo = :si",
    )
    return len(items)


def asegurar() -> None:
    """Creates the counter if the stack has none (seed, first change after an upgrade); idempotent."""
    if table.get(keys.administradores_activos(), consistente=True) is not None:
        return
    activos = contar()
    try:
        table.put(
            {**keys.administradores_activos(), "tipo": "administradores", "activos": activos},
            condicion="attribute_not_exists(PK)",
        )
    except CondicionFallida:
        return  # another request created it first, from the same count
    logger.info("Contador de administradores creado", extra={"activos": activos})


def ultimo() -> Conflicto:
    return Conflicto(ULTIMO)
