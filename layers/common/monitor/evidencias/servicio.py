"""Evidence (photos and repair documents): files go straight to S3 through presigned forms and
never through Lambda; the table keeps one item per file in the expediente's collection.

Lifecycle: `solicitar` writes a `Pendiente` item and signs a POST form (15 min); the client
uploads; `confirmar` checks the object in S3 (HeadObject) and marks it `Subida`. Pending items
past their expiry are listed as `Expirada` without a URL.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any, NoReturn

from monitor.core import cursors, dates, keys, storage, table
from monitor.core.dates import iso
from monitor.core.errors import CondicionFallida, Conflicto, NoEncontrado, SolicitudInvalida, TransaccionCancelada
from monitor.core.observability import logger
from monitor.evidencias.reglas import (
    TAMANO_MAXIMO,
    VIGENCIA_SEGUNDOS,
    EstadoEvidencia,
    contenido_es,
    nombre_seguro,
)
from monitor.expedientes import servicio as expedientes

if TYPE_CHECKING:
    from monitor.evidencias.modelos import EvidenciaNueva

EVIDENCIA_NO_ENCONTRADA = "Evidencia no encontrada"
ARCHIVO_NO_SUBIDO = "El archivo aún no se ha subido"

_ID_VALIDO = re.compile(r"^[0-9A-Za-z_-]{1,64}$")


def nuevo_id() -> str:
    """Time-sortable (epoch ms in hex) plus randomness: newest first by SK, never guessable in order."""
    milisegundos = int(dates.reloj().timestamp() * 1000)
    return f"{milisegundos:012x}{secrets.token_hex(5)}"


def _estado_visible(item: dict[str, Any], momento: str) -> str:
    estado = str(item["estado"])
    if estado == EstadoEvidencia.PENDIENTE and str(item.get("expira_en", "")) < momento:
        return EstadoEvidencia.EXPIRADA
    return estado


def a_respuesta(item: dict[str, Any], *, momento: str | None = None, url: str | None = None) -> dict[str, Any]:
    """The API's view of a stored item: no keys, no S3 location."""
    estado = _estado_visible(item, momento or iso(dates.reloj()))
    salida: dict[str, Any] = {
        "id": item["id"],
        "tipo": item["tipo_evidencia"],
        "nombre_archivo": item["nombre_archivo"],
        "content_type": item["content_type"],
        "tamano": int(item["tamano"]),
        "estado": estado,
        "solicitado_por": int(item["solicitado_por"]),
        "solicitado_por_nombre": item.get("solicitado_por_nombre"),
        "solicitado_en": item["solicitado_en"],
    }
    if estado != EstadoEvidencia.SUBIDA:
        salida["expira_en"] = item["expira_en"]
    else:
        salida |= {
            "tamano_real": int(item["tamano_real"]),
            "subido_por": int(item["subido_por"]),
            "subido_por_nombre": item.get("subido_por_nombre"),
            "fecha_carga": item["fecha_carga"],
        }
    if url:
        salida["url"] = url
        salida["url_expira_en"] = iso(dates.reloj() + timedelta(seconds=VIGENCIA_SEGUNDOS))
    return salida


def _obtener(no_siniestro: str, id_evidencia: str, *, consistente: bool = True) -> dict[str, Any]:
    if not _ID_VALIDO.match(id_evidencia):
        raise NoEncontrado(EVIDENCIA_NO_ENCONTRADA)
    item = table.get(keys.evidencia(no_siniestro, id_evidencia), consistente=consistente)
    if item is None:
        raise NoEncontrado(EVIDENCIA_NO_ENCONTRADA)
    return item


# ---- operations
def solicitar(
    no_siniestro: str, solicitud: EvidenciaNueva, usuario: int, *, nombre_usuario: str | None = None
) -> dict[str, Any]:
    """The item and the expediente check go in one transaction, so evidence is never written under
    an expediente that is being deleted."""
    id_evidencia = nuevo_id()
    nombre = nombre_seguro(solicitud.nombre_archivo)
    momento = dates.reloj()
    clave = keys.evidencia_s3(no_siniestro, solicitud.tipo, id_evidencia, nombre)
    item: dict[str, Any] = {
        **keys.evidencia(no_siniestro, id_evidencia),
        "tipo": "evidencia",
        "id": id_evidencia,
        "tipo_evidencia": solicitud.tipo,
        "nombre_archivo": nombre,
        "content_type": solicitud.content_type,
        "tamano": solicitud.tamano,
        "s3_key": clave,
        "estado": EstadoEvidencia.PENDIENTE.value,
        "solicitado_por": usuario,
        "solicitado_por_nombre": nombre_usuario,
        "solicitado_en": iso(momento),
        "expira_en": iso(momento + timedelta(seconds=VIGENCIA_SEGUNDOS)),
    }
    transaccion = (
        table.Transaccion()
        .check("expediente", keys.expediente(no_siniestro), "attribute_exists(PK)")
        .put("evidencia", item, "attribute_not_exists(PK)")
    )
    try:
        transaccion.ejecutar()
    except TransaccionCancelada as exc:
        if exc.fallo("expediente"):
            raise expedientes.no_encontrado() from None
        raise
    formulario = storage.formulario_carga(clave, solicitud.content_type, TAMANO_MAXIMO, VIGENCIA_SEGUNDOS)
    logger.info(
        "Carga de evidencia solicitada",
        extra={"no_siniestro": no_siniestro, "evidencia": id_evidencia, "tipo": solicitud.tipo},
    )
    return {**a_respuesta(item, momento=iso(momento)), "upload": formulario}


def _rechazar(item: dict[str, Any], motivo: str) -> NoReturn:
    """A wrong object is removed before answering, so nothing unchecked stays in the bucket."""
    storage.borrar_prefijo(str(item["s3_key"]), exacta=True)
    logger.info("Evidencia rechazada", extra={"evidencia": item["id"], "motivo": motivo})
    raise SolicitudInvalida(f"{motivo}; el archivo se eliminó, vuelva a subirlo")


def confirmar(
    no_siniestro: str, id_evidencia: str, usuario: int, *, nombre_usuario: str | None = None
) -> dict[str, Any]:
    """Idempotent: confirming an evidence already `Subida` answers it again, unchanged."""
    item = _obtener(no_siniestro, id_evidencia)
    if item["estado"] == EstadoEvidencia.SUBIDA:
        return a_respuesta(item)
    objeto = storage.cabecera(str(item["s3_key"]))
    if objeto is None:
        raise Conflicto(ARCHIVO_NO_SUBIDO)
    real_tipo = str(objeto.get("ContentType") or "").split(";")[0].strip().lower()
    real_tamano = int(objeto.get("ContentLength") or 0)
    if real_tipo != item["content_type"]:
        _rechazar(
            item, f"El tipo del archivo ({real_tipo or 'desconocido'}) no es el declarado ({item['content_type']})"
        )
    if real_tamano < 1:
        _rechazar(item, "El archivo está vacío")
    if real_tamano > TAMANO_MAXIMO:
        _rechazar(item, "El archivo excede el máximo de 25 MB")
    if not contenido_es(str(item["content_type"]), storage.inicio(str(item["s3_key"]), 32)):
        _rechazar(item, f"El contenido del archivo no corresponde a {item['content_type']}")
    try:
        actualizado = table.update(
            keys.evidencia(no_siniestro, id_evidencia),
            "SET estado = :subida, tamano_real = :tamano, subido_por = :usuario, subido_por_nombre = :nombre,"
            " fecha_carga = :fecha",
            {
                ":subida": EstadoEvidencia.SUBIDA,
                ":pendiente": EstadoEvidencia.PENDIENTE,
                ":tamano": real_tamano,
                ":usuario": usuario,
                ":nombre": nombre_usuario,
                ":fecha": iso(dates.reloj()),
            },
            condicion="attribute_exists(PK) AND estado = :pendiente",
        )
    except CondicionFallida as exc:
        # Deleted meanwhile (404) or confirmed by a concurrent call (same answer as a repeat).
        if exc.item is None:
            raise NoEncontrado(EVIDENCIA_NO_ENCONTRADA) from None
        return a_respuesta(exc.item)
    logger.info("Evidencia confirmada", extra={"no_siniestro": no_siniestro, "evidencia": id_evidencia})
    return a_respuesta(actualizado)


def listar(no_siniestro: str, limite: int | None, cursor: str | None) -> dict[str, Any]:
    """Newest first, one Query per page. `EVI#…` sorts just before `EXP`, so descending from `EXP`
    the first page also proves the expediente exists without a second request."""
    alcance = cursors.alcance("GET /api/expedientes/evidencias", no_siniestro=no_siniestro)
    por_pagina = cursors.limite(limite)
    pk = keys.expediente_pk(no_siniestro)
    inicio = cursors.decodificar(cursor, alcance)
    if inicio is not None and (
        inicio.get("PK") != pk or not str(inicio.get("SK", "")).startswith(keys.PREFIJO_EVIDENCIA)
    ):
        raise cursors.invalido()
    items, ultima = table.query(
        "PK = :pk AND SK BETWEEN :desde AND :hasta",
        {":pk": pk, ":desde": keys.PREFIJO_EVIDENCIA, ":hasta": keys.EXPEDIENTE_SK},
        limite=por_pagina if inicio else por_pagina + 1,
        inicio=inicio,
        descendente=True,
    )
    if inicio is None:
        if not items or items[0]["SK"] != keys.EXPEDIENTE_SK:
            raise expedientes.no_encontrado()
        items = items[1:]
    momento = iso(dates.reloj())
    salida = []
    for item in items:
        url = None
        if item["estado"] == EstadoEvidencia.SUBIDA:
            url = storage.url_descarga(
                str(item["s3_key"]), str(item["content_type"]), str(item["nombre_archivo"]), VIGENCIA_SEGUNDOS
            )
        salida.append(a_respuesta(item, momento=momento, url=url))
    return cursors.pagina(salida, {"PK": ultima["PK"], "SK": ultima["SK"]} if ultima else None, alcance)


def eliminar(no_siniestro: str, id_evidencia: str) -> dict[str, Any]:
    """The object goes first: if the item delete then fails, a retry still finds the item and ends
    the job; the other order could leave an invisible object behind."""
    item = _obtener(no_siniestro, id_evidencia)
    storage.borrar_prefijo(str(item["s3_key"]), exacta=True)
    table.delete(keys.evidencia(no_siniestro, id_evidencia))
    logger.info("Evidencia eliminada", extra={"no_siniestro": no_siniestro, "evidencia": id_evidencia})
    return {"eliminado": id_evidencia}
