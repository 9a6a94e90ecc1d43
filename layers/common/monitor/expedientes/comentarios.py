"""Staff notes on an expediente, newest first; author and time come from the server."""

from __future__ import annotations

import re
import secrets
import time
from typing import Any

from monitor.auth.roles import Principal
from monitor.core import cursors, keys, table
from monitor.core.dates import ahora
from monitor.core.errors import CondicionFallida, NoEncontrado, TransaccionCancelada
from monitor.core.observability import logger
from monitor.expedientes import servicio as expedientes

NO_ENCONTRADO = "Comentario no encontrado"
_ID = re.compile(r"[0-9a-f]{1,64}")


def nuevo_id() -> str:
    """Time-ordered (ms, hex) plus randomness: sorting the SK sorts by creation."""
    return f"{time.time_ns() // 1_000_000:012x}{secrets.token_hex(4)}"


def a_respuesta(item: dict[str, Any]) -> dict[str, Any]:
    autor = expedientes.persona_a_respuesta(item.get("autor"))
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
    transaccion = (
        table.Transaccion()
        .check("expediente", keys.expediente(no_siniestro), "attribute_exists(PK)")
        .put("comentario", item, "attribute_not_exists(PK)")
    )
    try:
        transaccion.ejecutar()
    except TransaccionCancelada as exc:
        if exc.fallo("expediente"):
            raise expedientes.no_encontrado() from None
        raise
    logger.info("Comentario creado", extra={"no_siniestro": no_siniestro, "comentario": id_comentario})
    return a_respuesta(item)


def listar(no_siniestro: str, *, limite: int, cursor: str | None) -> dict[str, Any]:
    items, ultima, alcance = expedientes.listar_coleccion(
        no_siniestro, keys.PREFIJO_COMENTARIO, ruta="GET /api/expedientes/comentarios", limite=limite, cursor=cursor
    )
    return cursors.pagina([a_respuesta(i) for i in items], ultima, alcance)


def eliminar(no_siniestro: str, id_comentario: str) -> None:
    if not _ID.fullmatch(id_comentario):  # never an id we gave; also keeps absurd segments out of the key
        raise NoEncontrado(NO_ENCONTRADO)
    try:
        table.delete(keys.comentario(no_siniestro, id_comentario), condicion="attribute_exists(PK)")
    except CondicionFallida:
        raise NoEncontrado(NO_ENCONTRADO) from None
    logger.info("Comentario eliminado", extra={"no_siniestro": no_siniestro, "comentario": id_comentario})
