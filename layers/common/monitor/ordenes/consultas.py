"""Staff reads of the service orders: one order with its lines, and lists newest first (all, by state, or
one claim's)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from monitor.core import cursors, keys, table
from monitor.core.errors import NoEncontrado
from monitor.core.table import entero
from monitor.ordenes.campos import CAMPOS_RESUMEN, CAMPOS_SEED, ENTEROS, ENTEROS_ITEM, NO_ENCONTRADA
from monitor.ordenes.vinculo import vinculada


def resumen(item: Mapping[str, Any]) -> dict[str, Any]:
    """Summary of an order from its canonical item or its link item (also for the expediente's detail)."""
    return {c: entero(item.get(c)) if c in ENTEROS else item.get(c) for c in CAMPOS_RESUMEN}


def _cancelacion_publica(cancelacion: Mapping[str, Any]) -> dict[str, Any]:
    return {c: cancelacion.get(c) for c in ("fecha", "cancelado_por_email", "cancelado_por_nombre", "comentarios")}


def a_respuesta(item: Mapping[str, Any]) -> dict[str, Any]:
    """Staff view: the seed's fields as received, our number and state; never the payload or the client."""
    datos = {c: entero(item.get(c)) if c in ENTEROS else item.get(c) for c in CAMPOS_SEED}
    datos["items"] = [
        {k: entero(v) if k in ENTEROS_ITEM else v for k, v in linea.items()} for linea in item.get("items") or []
    ]
    datos |= {
        "serviceOrderNumber": item["serviceOrderNumber"],
        "estado": item["estado"],
        "recibida_en": item["recibida_en"],
        "id_aseguradora": entero(item.get("id_aseguradora")),
    }
    if item.get("cancelacion"):
        datos["cancelacion"] = _cancelacion_publica(item["cancelacion"])
    return datos


def obtener(sid: int) -> dict[str, Any]:
    """The order and whether it is linked to its claim's expediente (of the same insurer): two GetItems."""
    item = table.get(keys.orden_servicio(sid))
    if item is None:
        raise NoEncontrado(NO_ENCONTRADA)
    expediente = table.get(keys.expediente(str(item["insuranceClaimNumber"])))
    return {**a_respuesta(item), "vinculada": vinculada(item, expediente)}


def listar(*, estado: str | None, no_siniestro: str | None, limite: int, cursor: str | None) -> dict[str, Any]:
    """Newest first: all orders (GSI1), by state (GSI2) or one claim's orders (its partition)."""
    alcance = cursors.alcance("GET /api/ordenes-servicio", estado=estado, no_siniestro=no_siniestro)
    inicio = cursors.decodificar(cursor, alcance)
    if no_siniestro:
        valores: dict[str, Any] = {":pk": keys.expediente_pk(no_siniestro), ":os": keys.PREFIJO_ORDEN}
        if estado:
            valores[":estado"] = estado
        items, ultima = table.query(
            "PK = :pk AND begins_with(SK, :os)",
            valores,
            filtro="estado = :estado" if estado else None,
            limite=limite,
            inicio=inicio,
            descendente=True,
        )
    elif estado:
        items, ultima = table.query(
            "GSI2PK = :pk",
            {":pk": keys.ordenes_por_estado(estado)},
            indice="GSI2",
            limite=limite,
            inicio=inicio,
            descendente=True,
        )
    else:
        items, ultima = table.query(
            "GSI1PK = :pk",
            {":pk": keys.ORDENES},
            indice="GSI1",
            limite=limite,
            inicio=inicio,
            descendente=True,
        )
    return cursors.pagina([resumen(i) for i in items], ultima, alcance)
