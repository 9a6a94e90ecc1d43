"""Insurer platforms' webhook subscriptions and their delivery log (docs/seguimiento.md, docs/data-model.md).

Items: `SUS#<id>` / `SUS` (url, events, insurer, signing secret; GSI1 lists them all newest first, GSI2
groups one insurer's so the sender finds an event's subscribers with one Query) and the delivery log
`SUS#<id>` / `ENT#<fecha>#<evento>#<intento>` beside it, which expires after `DIAS_BITACORA`.
"""

from __future__ import annotations

import re
import secrets
import uuid
from typing import TYPE_CHECKING, Any

from monitor.aseguradoras import servicio as aseguradoras
from monitor.auth.roles import Principal
from monitor.core import cursors, keys, table
from monitor.core.dates import ahora
from monitor.core.errors import CondicionFallida, NoEncontrado, TransaccionCancelada
from monitor.core.observability import logger
from monitor.core.table import entero

if TYPE_CHECKING:
    from monitor.seguimiento.modelos import SuscripcionNueva

TIPO = "suscripcion"
TIPO_ENTREGA = "entrega"
DIAS_BITACORA = 30
NO_ENCONTRADA = "Suscripción no encontrada"
_ID = re.compile(r"^[0-9a-f]{32}$")
CAMPOS = ("id", "url", "eventos", "id_aseguradora", "activa", "creada_en", "creada_por", "creada_por_nombre")


def no_encontrada() -> NoEncontrado:
    return NoEncontrado(NO_ENCONTRADA)


def _normalizado(texto: str | None) -> str:
    return (texto or "").strip().lower()


def id_de_ruta(texto: str | None) -> str:
    """Ids are 32 hex digits; anything else names no subscription (404, no request)."""
    valor = _normalizado(texto)
    if not _ID.fullmatch(valor):
        raise no_encontrada()
    return valor


def a_respuesta(item: dict[str, Any]) -> dict[str, Any]:
    """Never the secret: it is shown once, by `crear`."""
    salida = {campo: entero(item.get(campo)) for campo in CAMPOS}
    salida["eventos"] = list(item.get("eventos") or [])
    return salida


def crear(datos: SuscripcionNueva, principal: Principal) -> dict[str, Any]:
    """One transaction: the subscription and the insurer's existence; the answer carries the secret."""
    id_suscripcion = uuid.uuid4().hex
    momento = ahora()
    item = {
        **keys.suscripcion(id_suscripcion),
        **keys.listas_suscripcion(id_suscripcion, datos.id_aseguradora, momento),
        "tipo": TIPO,
        "id": id_suscripcion,
        "url": datos.url,
        "eventos": [e.value for e in datos.eventos],
        "id_aseguradora": datos.id_aseguradora,
        "secreto": secrets.token_hex(32),
        "activa": True,
        "creada_en": momento,
        "creada_por": principal.id_usuario,
        "creada_por_nombre": principal.nombre,  # the name beside the id, stored with the write (no read per item)
    }
    transaccion = table.Transaccion().put("suscripcion", item, "attribute_not_exists(PK)")
    aseguradoras.comprobar_existe(transaccion, datos.id_aseguradora)
    try:
        transaccion.ejecutar()
    except TransaccionCancelada as exc:
        if exc.fallo(aseguradoras.PASO):
            raise aseguradoras.inexistente() from None
        raise
    logger.info(
        "Suscripción creada",
        extra={"id_suscripcion": id_suscripcion, "id_aseguradora": datos.id_aseguradora, "eventos": item["eventos"]},
    )
    return {**a_respuesta(item), "secreto": item["secreto"]}


def listar(*, id_aseguradora: int | None, limite: int | None, cursor: str | None) -> dict[str, Any]:
    """Newest first (GSI1), or one insurer's (GSI2): one Query per page."""
    alcance = cursors.alcance("GET /api/suscripciones", id_aseguradora=id_aseguradora)
    inicio = cursors.decodificar(cursor, alcance)
    if id_aseguradora is None:
        indice, pk = "GSI1", keys.SUSCRIPCIONES
    else:
        indice, pk = "GSI2", keys.suscripciones_de_aseguradora(id_aseguradora)
    items, ultima = table.query(
        f"{indice}PK = :pk",
        {":pk": pk},
        indice=indice,
        limite=cursors.limite(limite),
        inicio=inicio,
        descendente=indice == "GSI1",
    )
    return cursors.pagina([a_respuesta(i) for i in items], ultima, alcance)


def eliminar(id_suscripcion: str) -> None:
    """The subscription first (deliveries stop finding it), then its log."""
    try:
        table.delete(keys.suscripcion(id_suscripcion), condicion="attribute_exists(PK)")
    except CondicionFallida:
        raise no_encontrada() from None
    bitacora = table.query_todo(
        "PK = :pk AND begins_with(SK, :prefijo)",
        {":pk": keys.suscripcion(id_suscripcion)["PK"], ":prefijo": keys.PREFIJO_ENTREGA},
    )
    table.borrar_varios([{"PK": i["PK"], "SK": i["SK"]} for i in bitacora])
    logger.info("Suscripción eliminada", extra={"id_suscripcion": id_suscripcion, "entregas": len(bitacora)})


def entrega_a_respuesta(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "id_evento": item.get("id_evento"),
        "topico": item.get("topico"),
        "intento": entero(item.get("intento")),
        "codigo_http": entero(item.get("codigo_http")),
        "latencia_ms": entero(item.get("latencia_ms")),
        "error": item.get("error"),
        "fecha": item.get("fecha"),
        "siguiente_intento": item.get("siguiente_intento"),
    }


def entregas(segmento: str, *, limite: int | None, cursor: str | None) -> dict[str, Any]:
    """Newest first, one Query per page; only an empty first page costs a GetItem (404 or really empty).

    The cursor is checked before the path's id, as every list does: a bad cursor is a 400 whatever the id."""
    alcance = cursors.alcance("GET /api/suscripciones/entregas", id=_normalizado(segmento))
    inicio = cursors.decodificar(cursor, alcance)
    id_suscripcion = id_de_ruta(segmento)
    items, ultima = table.query(
        "PK = :pk AND begins_with(SK, :prefijo)",
        {":pk": keys.suscripcion(id_suscripcion)["PK"], ":prefijo": keys.PREFIJO_ENTREGA},
        limite=cursors.limite(limite),
        inicio=inicio,
        descendente=True,
    )
    if not items and inicio is None and table.get(keys.suscripcion(id_suscripcion)) is None:
        raise no_encontrada()
    return cursors.pagina([entrega_a_respuesta(i) for i in items], ultima, alcance)


def de_aseguradora(id_aseguradora: int, topico: str) -> list[dict[str, Any]]:
    """The active subscriptions of one insurer to one topic: one Query on GSI2 (eventually consistent: a
    subscription created a moment ago may miss the event being delivered)."""
    return table.query_todo(
        "GSI2PK = :pk",
        {":pk": keys.suscripciones_de_aseguradora(id_aseguradora), ":topico": topico, ":si": True},
        indice="GSI2",
        filtro="contains(eventos, :topico) AND activa = :si",
    )
