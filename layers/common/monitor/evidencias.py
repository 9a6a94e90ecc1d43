"""Evidence (photos and repair documents): files go straight to S3 through presigned forms and
never through Lambda; the table keeps one item per file in the expediente's collection.

Lifecycle: `solicitar` writes a `Pendiente` item and signs a POST form (15 min); the client
uploads; `confirmar` checks the object in S3 (HeadObject) and marks it `Subida`. Pending items
past their expiry are listed as `Expirada` without a URL.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import timedelta
from typing import TYPE_CHECKING, Any, NoReturn

from monitor import almacen, cursores, fechas, keys, tabla
from monitor.errors import CondicionFallida, Conflicto, NoEncontrado, SolicitudInvalida, TransaccionCancelada
from monitor.fechas import iso
from monitor.observability import logger

if TYPE_CHECKING:
    from monitor.modelos_evidencia import SolicitudCarga

TAMANO_MAXIMO = 25 * 1024 * 1024  # 25 MB
VIGENCIA_SEGUNDOS = 15 * 60  # upload forms and download URLs
LARGO_MAXIMO_NOMBRE = 100
NOMBRE_POR_DEFECTO = "archivo"

IMAGENES = frozenset({"image/jpeg", "image/png", "image/heic", "image/webp"})
PDF = "application/pdf"
TIPOS_PERMITIDOS: dict[str, frozenset[str]] = {
    "fotografia": IMAGENES,
    # A scanned document is often a photo of the paper.
    "documento": IMAGENES | {PDF},
}

PENDIENTE = "Pendiente"
SUBIDA = "Subida"
EXPIRADA = "Expirada"

EXPEDIENTE_NO_ENCONTRADO = "Expediente no encontrado"
EVIDENCIA_NO_ENCONTRADA = "Evidencia no encontrada"
ARCHIVO_NO_SUBIDO = "El archivo aún no se ha subido"

_ID_VALIDO = re.compile(r"^[0-9A-Za-z_-]{1,64}$")


# ---- pure helpers
def nombre_seguro(nombre: str | None) -> str:
    """Only the last path component, accents transliterated, spaces as `-`, nothing outside
    [A-Za-z0-9._-], no leading dots (no `..`, no hidden files), at most 100 characters."""
    base = re.split(r"[/\\]", nombre or "")[-1]
    base = unicodedata.normalize("NFKD", base)
    base = "".join(
        c
        for c in base
        if not unicodedata.combining(c) and (c in "\t\n\r" or unicodedata.category(c) not in ("Cc", "Cf"))
    )
    base = re.sub(r"\s+", "-", base)
    base = re.sub(r"[^A-Za-z0-9._-]", "", base)
    base = re.sub(r"\.{2,}", ".", base)
    base = re.sub(r"-{2,}", "-", base)
    base = base.strip("-").lstrip(".")
    if len(base) > LARGO_MAXIMO_NOMBRE:
        raiz, punto, extension = base.rpartition(".")
        if punto and raiz and 0 < len(extension) <= 10:
            base = raiz[: LARGO_MAXIMO_NOMBRE - len(extension) - 1].rstrip(".-") + "." + extension
        else:
            base = base[:LARGO_MAXIMO_NOMBRE].rstrip(".-")
    return base if base.strip(".-_") else NOMBRE_POR_DEFECTO


def segmento_expediente(no_siniestro: str) -> str:
    """The claim number as one key segment; a claim made only of dots ("." / "..") would read as a
    relative path to HTTP clients, so its dots are escaped ("%" never occurs in a claim number)."""
    return no_siniestro.replace(".", "%2E") if not no_siniestro.strip(".") else no_siniestro


def prefijo_expediente(no_siniestro: str) -> str:
    return f"expedientes/{segmento_expediente(no_siniestro)}/"


def clave_s3(no_siniestro: str, tipo: str, id_evidencia: str, nombre: str) -> str:
    return f"{prefijo_expediente(no_siniestro)}{tipo}/{id_evidencia}-{nombre}"


def nuevo_id() -> str:
    """Time-sortable (epoch ms in hex) plus randomness: newest first by SK, never guessable in order."""
    milisegundos = int(fechas.reloj().timestamp() * 1000)
    return f"{milisegundos:012x}{secrets.token_hex(5)}"


_MARCAS_HEIC = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}


def contenido_es(content_type: str, cabeza: bytes) -> bool:
    """Magic numbers: the POST policy pins the Content-Type header, not what the bytes are, so an
    HTML page sent as image/png is caught here."""
    if content_type == "image/jpeg":
        return cabeza.startswith(b"\xff\xd8\xff")
    if content_type == "image/png":
        return cabeza.startswith(b"\x89PNG\r\n\x1a\n")
    if content_type == "image/webp":
        return cabeza[:4] == b"RIFF" and cabeza[8:12] == b"WEBP"
    if content_type == "image/heic":
        return cabeza[4:8] == b"ftyp" and cabeza[8:12] in _MARCAS_HEIC
    if content_type == PDF:
        return b"%PDF-" in cabeza[:32]  # readers accept a little garbage before the header
    return False


def _estado_visible(item: dict[str, Any], momento: str) -> str:
    estado = str(item["estado"])
    if estado == PENDIENTE and str(item.get("expira_en", "")) < momento:
        return EXPIRADA
    return estado


def publico(item: dict[str, Any], *, momento: str | None = None, url: str | None = None) -> dict[str, Any]:
    """The API's view of a stored item: no keys, no S3 location."""
    estado = _estado_visible(item, momento or iso(fechas.reloj()))
    salida: dict[str, Any] = {
        "id": item["id"],
        "tipo": item["tipo_evidencia"],
        "nombre_archivo": item["nombre_archivo"],
        "content_type": item["content_type"],
        "tamano": int(item["tamano"]),
        "estado": estado,
        "solicitado_por": int(item["solicitado_por"]),
        "solicitado_en": item["solicitado_en"],
    }
    if estado != SUBIDA:
        salida["expira_en"] = item["expira_en"]
    else:
        salida |= {
            "tamano_real": int(item["tamano_real"]),
            "subido_por": int(item["subido_por"]),
            "fecha_carga": item["fecha_carga"],
        }
    if url:
        salida["url"] = url
        salida["url_expira_en"] = iso(fechas.reloj() + timedelta(seconds=VIGENCIA_SEGUNDOS))
    return salida


def _obtener(no_siniestro: str, id_evidencia: str, *, consistente: bool = True) -> dict[str, Any]:
    if not _ID_VALIDO.match(id_evidencia):
        raise NoEncontrado(EVIDENCIA_NO_ENCONTRADA)
    item = tabla.get(keys.evidencia(no_siniestro, id_evidencia), consistente=consistente)
    if item is None:
        raise NoEncontrado(EVIDENCIA_NO_ENCONTRADA)
    return item


# ---- operations
def solicitar(no_siniestro: str, solicitud: SolicitudCarga, usuario: int) -> dict[str, Any]:
    """The item and the expediente check go in one transaction, so evidence is never written under
    an expediente that is being deleted."""
    id_evidencia = nuevo_id()
    nombre = nombre_seguro(solicitud.nombre_archivo)
    momento = fechas.reloj()
    clave = clave_s3(no_siniestro, solicitud.tipo, id_evidencia, nombre)
    item: dict[str, Any] = {
        **keys.evidencia(no_siniestro, id_evidencia),
        "tipo": "evidencia",
        "id": id_evidencia,
        "tipo_evidencia": solicitud.tipo,
        "nombre_archivo": nombre,
        "content_type": solicitud.content_type,
        "tamano": solicitud.tamano,
        "s3_key": clave,
        "estado": PENDIENTE,
        "solicitado_por": usuario,
        "solicitado_en": iso(momento),
        "expira_en": iso(momento + timedelta(seconds=VIGENCIA_SEGUNDOS)),
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
            raise NoEncontrado(EXPEDIENTE_NO_ENCONTRADO) from None
        raise
    formulario = almacen.formulario_carga(clave, solicitud.content_type, TAMANO_MAXIMO, VIGENCIA_SEGUNDOS)
    logger.info(
        "Carga de evidencia solicitada",
        extra={"no_siniestro": no_siniestro, "evidencia": id_evidencia, "tipo": solicitud.tipo},
    )
    return {**publico(item, momento=iso(momento)), "upload": formulario}


def _rechazar(item: dict[str, Any], motivo: str) -> NoReturn:
    """A wrong object is removed before answering, so nothing unchecked stays in the bucket."""
    almacen.borrar_prefijo(str(item["s3_key"]), exacta=True)
    logger.info("Evidencia rechazada", extra={"evidencia": item["id"], "motivo": motivo})
    raise SolicitudInvalida(f"{motivo}; el archivo se eliminó, vuelva a subirlo")


def confirmar(no_siniestro: str, id_evidencia: str, usuario: int) -> dict[str, Any]:
    """Idempotent: confirming an evidence already `Subida` answers it again, unchanged."""
    item = _obtener(no_siniestro, id_evidencia)
    if item["estado"] == SUBIDA:
        return publico(item)
    objeto = almacen.cabecera(str(item["s3_key"]))
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
    if not contenido_es(str(item["content_type"]), almacen.inicio(str(item["s3_key"]), 32)):
        _rechazar(item, f"El contenido del archivo no corresponde a {item['content_type']}")
    try:
        actualizado = tabla.update(
            keys.evidencia(no_siniestro, id_evidencia),
            "SET estado = :subida, tamano_real = :tamano, subido_por = :usuario, fecha_carga = :fecha",
            {
                ":subida": SUBIDA,
                ":pendiente": PENDIENTE,
                ":tamano": real_tamano,
                ":usuario": usuario,
                ":fecha": iso(fechas.reloj()),
            },
            condicion="attribute_exists(PK) AND estado = :pendiente",
        )
    except CondicionFallida as exc:
        # Deleted meanwhile (404) or confirmed by a concurrent call (same answer as a repeat).
        if exc.item is None:
            raise NoEncontrado(EVIDENCIA_NO_ENCONTRADA) from None
        return publico(exc.item)
    logger.info("Evidencia confirmada", extra={"no_siniestro": no_siniestro, "evidencia": id_evidencia})
    return publico(actualizado)


def listar(no_siniestro: str, limite: int | None, cursor: str | None) -> dict[str, Any]:
    """Newest first, one Query per page. `EVI#…` sorts just before `EXP`, so descending from `EXP`
    the first page also proves the expediente exists without a second request."""
    alcance = f"evidencias:{no_siniestro}"
    por_pagina = cursores.limite(limite)
    pk = keys.expediente_pk(no_siniestro)
    inicio = cursores.decodificar(cursor, alcance)
    if inicio is not None and (
        inicio.get("PK") != pk or not str(inicio.get("SK", "")).startswith(keys.PREFIJO_EVIDENCIA)
    ):
        raise SolicitudInvalida(
            "Cursor inválido", detalles=[{"campo": "cursor", "mensaje": "Cursor inválido o de otra consulta"}]
        )
    items, ultima = tabla.query(
        "PK = :pk AND SK BETWEEN :desde AND :hasta",
        {":pk": pk, ":desde": keys.PREFIJO_EVIDENCIA, ":hasta": keys.EXPEDIENTE_SK},
        limite=por_pagina if inicio else por_pagina + 1,
        inicio=inicio,
        descendente=True,
    )
    if inicio is None:
        if not items or items[0]["SK"] != keys.EXPEDIENTE_SK:
            raise NoEncontrado(EXPEDIENTE_NO_ENCONTRADO)
        items = items[1:]
    momento = iso(fechas.reloj())
    salida = []
    for item in items:
        url = None
        if item["estado"] == SUBIDA:
            url = almacen.url_descarga(
                str(item["s3_key"]), str(item["content_type"]), str(item["nombre_archivo"]), VIGENCIA_SEGUNDOS
            )
        salida.append(publico(item, momento=momento, url=url))
    return cursores.pagina(salida, {"PK": ultima["PK"], "SK": ultima["SK"]} if ultima else None, alcance)


def eliminar(no_siniestro: str, id_evidencia: str) -> dict[str, Any]:
    """The object goes first: if the item delete then fails, a retry still finds the item and ends
    the job; the other order could leave an invisible object behind."""
    item = _obtener(no_siniestro, id_evidencia)
    almacen.borrar_prefijo(str(item["s3_key"]), exacta=True)
    tabla.delete(keys.evidencia(no_siniestro, id_evidencia))
    logger.info("Evidencia eliminada", extra={"no_siniestro": no_siniestro, "evidencia": id_evidencia})
    return {"eliminado": id_evidencia}


def borrar_de_expediente(no_siniestro: str) -> int:
    """Every object (all versions) under the expediente's prefix, for DELETE /api/expedientes/{no}.
    Lists S3 by prefix: no table reads. The caller deletes the items. Returns how many were removed."""
    borrados = almacen.borrar_prefijo(prefijo_expediente(no_siniestro))
    logger.info("Evidencias del expediente borradas de S3", extra={"no_siniestro": no_siniestro, "objetos": borrados})
    return borrados
