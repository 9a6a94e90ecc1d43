"""Staff notes on an expediente, newest first; author and time come from the server."""

from __future__ import annotations

import secrets
import time
from decimal import Decimal
from typing import Any

from monitor import cursores, expedientes, keys, tabla
from monitor.auth import Principal
from monitor.errors import CondicionFallida, NoEncontrado, TransaccionCancelada
from monitor.fechas import ahora
from monitor.observability import logger

NO_ENCONTRADO = "Comentario no encontrado"


def nuevo_id() -> str:
    """Time-ordered (ms, hex) plus randomness: sorting the SK sorts by creation."""
    return f"{time.time_ns() // 1_000_000:012x}{secrets.token_hex(4)}"


def publico(item: dict[str, Any]) -> dict[str, Any]:
    autor = {k: int(v) if isinstance(v, Decimal) else v for k, v in (item.get("autor") or {}).items()}
    return {"id": item["id"], "texto": item["texto"], "autor": autor, "fecha": item["fecha"]}


def crear(no_siniestro: str, texto: str, principal: Principal) -> dict[str, Any]:
    """The comment and a check that the expediente exists, atomically: no orphan notes."""
    id_comentario = nuevo_id()
    item = {
        **keys.comentario(no_siniestro, id_comentario),
        "tipo": "comentario",
        "id": id_comentario,
        "texto": texto,
        "autor": expedientes.persona(principal),
        "fecha": ahora(),
    }
    try:
        tabla.transaccion(
            [
                tabla.op_check(keys.expediente(no_siniestro), "attribute_exists(PK)"),
                tabla.op_put(item, "attribute_not_exists(PK)"),
            ]
        )
    except TransaccionCancelada as exc:
        if exc.fallo(0):
            raise expedientes.no_encontrado() from None
        raise
    logger.info("Comentario creado", extra={"no_siniestro": no_siniestro, "comentario": id_comentario})
    return publico(item)


def listar(no_siniestro: str, *, limite: int, cursor: str | None) -> dict[str, Any]:
    items, ultima, alcance = expedientes.listar_coleccion(
        no_siniestro, keys.PREFIJO_COMENTARIO, ruta="GET /api/expedientes/comentarios", limite=limite, cursor=cursor
    )
    return cursores.pagina([publico(i) for i in items], ultima, alcance)


def eliminar(no_siniestro: str, id_comentario: str) -> None:
    try:
        tabla.delete(keys.comentario(no_siniestro, id_comentario), condicion="attribute_exists(PK)")
    except CondicionFallida:
        raise NoEncontrado(NO_ENCONTRADO) from None
    logger.info("Comentario eliminado", extra={"no_siniestro": no_siniestro, "comentario": id_comentario})
