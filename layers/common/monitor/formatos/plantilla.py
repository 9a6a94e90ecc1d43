"""Which template fills each form: the project's own (shipped in `plantillas/` beside this module) or one the
shop uploaded. The table keeps one item per form (`FORMATO#<formato>` / `PLANTILLA`, docs/data-model.md): the
shop's template in use (S3 key and version, who, when) and, while an upload is under way, that upload. No item,
or one without `s3_key`, means the project's own.

Uploads go straight to S3 through a presigned POST, as evidence does; `confirmar` opens the file and accepts
it only if it is a workbook, within the size bounds, holding every name its form needs, and fillable.

This module does not import openpyxl: the routes that only sign URLs or read the table never load it;
`confirmar` loads `monitor.formatos.llenado` when it runs.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import secrets
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from monitor.auth.roles import Principal
from monitor.core import dates, keys, storage, table
from monitor.core.dates import iso
from monitor.core.errors import CondicionFallida, Conflicto, SolicitudInvalida
from monitor.core.observability import logger
from monitor.expedientes import servicio as expedientes
from monitor.formatos import campos
from monitor.formatos.campos import Definicion, Formato, Tipo
from monitor.formatos.datos import Datos, Fila

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
VIGENCIA_SEGUNDOS = 15 * 60  # upload forms and download URLs, as evidence
MAX_BYTES = 5 * 2**20  # the upload's size (monitor.formatos.llenado bounds what it unpacks to)
DIRECTORIO = Path(__file__).with_name("plantillas")
PROPIA = "propia"
TALLER = "taller"
TIPO = "plantilla_formato"

SIN_CARGA = "No hay una carga de plantilla pendiente: solicítela con PUT /api/formatos/plantillas/{formato}"
NO_SUBIDA = "La plantilla aún no se ha subido"
OTRA_CARGA = "Otra carga de plantilla empezó mientras tanto: confirme esa"


def definicion(formato: str) -> Definicion:
    """The form a path segment names; 400 for any other."""
    encontrada = campos.definicion(formato)
    if encontrada is None:
        raise SolicitudInvalida(
            campos.NO_EXISTE, detalles=[{"campo": "formato", "mensaje": f"Use {', '.join(campos.FORMATOS)}"}]
        )
    return encontrada


@functools.cache
def propia(formato: Formato) -> bytes:
    """The project's own template (read once per container)."""
    return (DIRECTORIO / f"{formato.value}.xlsx").read_bytes()


@functools.lru_cache(maxsize=8)
def _del_taller(clave: str, version: str | None) -> bytes | None:
    """A shop template by key and version: an uploaded version never changes, so a container reads it once."""
    return storage.leer(clave, MAX_BYTES, version=version)


def _registro(formato: Formato, *, consistente: bool = False) -> dict[str, Any] | None:
    return table.get(keys.plantilla_formato(formato.value), consistente=consistente)


def en_uso(formato: Formato) -> bytes:
    """The template the form is filled from now: one GetItem, and S3 only the first time a container meets a
    shop template's version."""
    registro = _registro(formato)
    if registro is None or not registro.get("s3_key"):
        return propia(formato)
    datos = _del_taller(str(registro["s3_key"]), registro.get("version_s3"))
    if datos is None:
        # Removed from the bucket behind the table's back: the form still prints, with the project's own.
        logger.warning("La plantilla del taller no está en S3; se usa la propia", extra={"formato": formato.value})
        return propia(formato)
    return datos


# ---- the shop's templates (Administrador)
def _persona(valor: Any) -> dict[str, Any] | None:
    """Who uploaded it, as stored with the write (`nombre` null when written before names were stored)."""
    return expedientes.persona_a_respuesta(valor) if isinstance(valor, dict) else None


def a_respuesta(formato: Formato, registro: dict[str, Any] | None) -> dict[str, Any]:
    """Which template the form uses: `propia`, or `taller` with who uploaded it, when, and its size."""
    if registro is None or not registro.get("s3_key"):
        return {"formato": formato.value, "origen": PROPIA, "subida_por": None, "subida_en": None, "tamano": None}
    return {
        "formato": formato.value,
        "origen": TALLER,
        "subida_por": _persona(registro.get("subida_por")),
        "subida_en": registro.get("subida_en"),
        "tamano": table.entero(registro.get("tamano")),
    }


def _nuevo_id() -> str:
    milisegundos = int(dates.reloj().timestamp() * 1000)
    return f"{milisegundos:012x}{secrets.token_hex(5)}"


def solicitar_carga(segmento: str, principal: Principal) -> dict[str, Any]:
    """An upload form for a new template; the template in use stays until the upload is confirmed."""
    formato = definicion(segmento).formato
    id_carga = _nuevo_id()
    clave = keys.plantilla_s3(formato.value, id_carga)
    momento = dates.reloj()
    expira = iso(momento + timedelta(seconds=VIGENCIA_SEGUNDOS))
    pendiente = {
        "id": id_carga,
        "s3_key": clave,
        "solicitado_por": expedientes.persona(principal),
        "solicitado_en": iso(momento),
        "expira_en": expira,
    }
    table.update(
        keys.plantilla_formato(formato.value),
        "SET pendiente = :pendiente, formato = :formato, tipo = :tipo",
        {":pendiente": pendiente, ":formato": formato.value, ":tipo": TIPO},
    )
    formulario = storage.formulario_carga(clave, XLSX, MAX_BYTES, VIGENCIA_SEGUNDOS)
    logger.info("Carga de plantilla solicitada", extra={"formato": formato.value, "carga": id_carga})
    return {
        "formato": formato.value,
        "content_type": XLSX,
        "tamano_maximo": MAX_BYTES,
        "expira_en": expira,
        "upload": formulario,
    }


def _rechazar(formato: Formato, pendiente: dict[str, Any], mensaje: str, detalles: list[dict[str, str]]) -> None:
    """The upload goes (object and pending mark); the template in use stays."""
    storage.borrar_prefijo(str(pendiente["s3_key"]), exacta=True)
    # Another upload may have replaced this one meanwhile: its mark is not ours to remove.
    with contextlib.suppress(CondicionFallida):
        table.update(
            keys.plantilla_formato(formato.value),
            "REMOVE pendiente",
            {":id": pendiente["id"]},
            condicion="pendiente.id = :id",
        )
    logger.info("Plantilla rechazada", extra={"formato": formato.value, "motivo": mensaje})
    raise SolicitudInvalida(f"{mensaje}; la plantilla en uso no cambió", detalles=detalles or None)


def _revisar(definicion_: Definicion, datos: bytes) -> tuple[str, list[dict[str, str]]] | None:
    """Why the file cannot be the form's template (message and details), or None when it can."""
    from monitor.formatos import llenado

    try:
        revision = llenado.revisar(llenado.abrir(datos), definicion_)
    except llenado.PlantillaInvalida as exc:
        return str(exc), []
    if revision.faltantes:
        faltan = ", ".join(revision.faltantes)
        detalles = [{"campo": n, "mensaje": "Falta este nombre definido"} for n in revision.faltantes]
        return f"A la plantilla le faltan nombres definidos: {faltan}", detalles
    if revision.errores:
        detalles = [{"campo": "plantilla", "mensaje": e} for e in revision.errores]
        return "La plantilla tiene nombres mal colocados", detalles
    try:
        llenado.llenar(datos, definicion_, ejemplo(definicion_))
    except Exception:
        logger.info("La plantilla no se pudo llenar", exc_info=True)
        return "La plantilla no se pudo llenar con datos de prueba", []
    return None


def confirmar(segmento: str, principal: Principal) -> dict[str, Any]:
    """Checks the pending upload; when it is a good template it becomes the one in use (the previous shop
    template is deleted), in one write conditioned on the upload still being the pending one."""
    definicion_ = definicion(segmento)
    formato = definicion_.formato
    registro = _registro(formato, consistente=True)
    pendiente = (registro or {}).get("pendiente")
    if not pendiente:
        raise Conflicto(SIN_CARGA.format(formato=formato.value))
    objeto = storage.cabecera(str(pendiente["s3_key"]))
    if objeto is None:
        raise Conflicto(NO_SUBIDA)
    tamano = int(objeto.get("ContentLength") or 0)
    version = objeto.get("VersionId")
    if tamano > MAX_BYTES:
        _rechazar(formato, pendiente, f"La plantilla excede {MAX_BYTES // 2**20} MB", [])
    try:
        datos = storage.leer(str(pendiente["s3_key"]), MAX_BYTES, version=version)
    except ValueError:
        datos = None
    if datos is None:
        raise Conflicto(NO_SUBIDA)
    motivo = _revisar(definicion_, datos)
    if motivo is not None:
        _rechazar(formato, pendiente, *motivo)
    anterior = (registro or {}).get("s3_key")
    try:
        actualizado = table.update(
            keys.plantilla_formato(formato.value),
            "SET s3_key = :clave, version_s3 = :version, tamano = :tamano, subida_por = :quien, subida_en = :cuando,"
            " digesto = :digesto REMOVE pendiente",
            {
                ":clave": pendiente["s3_key"],
                ":version": version,
                ":tamano": len(datos),
                ":quien": expedientes.persona(principal),
                ":cuando": dates.ahora(),
                ":digesto": hashlib.sha256(datos).hexdigest(),
                ":id": pendiente["id"],
            },
            condicion="pendiente.id = :id",
        )
    except CondicionFallida:
        raise Conflicto(OTRA_CARGA) from None
    if anterior and anterior != pendiente["s3_key"]:
        storage.borrar_prefijo(str(anterior), exacta=True)
    logger.info("Plantilla del taller en uso", extra={"formato": formato.value, "tamano": len(datos)})
    return a_respuesta(formato, actualizado)


def descripcion(segmento: str) -> dict[str, Any]:
    """The template in use and a short-lived URL to download it (the project's own is put in the bucket under a
    name made of its digest, so the URL always serves these bytes)."""
    formato = definicion(segmento).formato
    registro = _registro(formato)
    respuesta = a_respuesta(formato, registro)
    if respuesta["origen"] == TALLER:
        assert registro is not None
        clave = str(registro["s3_key"])
    else:
        datos = propia(formato)
        clave = keys.plantilla_s3(formato.value, f"{PROPIA}-{hashlib.sha256(datos).hexdigest()[:16]}")
        if storage.cabecera(clave) is None:
            storage.subir(clave, datos, XLSX)
    nombre = f"plantilla-{formato.value}-{respuesta['origen']}.xlsx"
    url = storage.url_descarga(clave, XLSX, nombre, VIGENCIA_SEGUNDOS, adjunto=True)
    expira = iso(dates.reloj() + timedelta(seconds=VIGENCIA_SEGUNDOS))
    return {**respuesta, "url": url, "nombre_archivo": nombre, "expira_en": expira}


def restablecer(segmento: str) -> dict[str, Any]:
    """Back to the project's own template: the item and the shop's file (every version) go."""
    formato = definicion(segmento).formato
    registro = _registro(formato, consistente=True)
    if registro is not None:
        if registro.get("s3_key"):
            storage.borrar_prefijo(str(registro["s3_key"]), exacta=True)
        table.delete(keys.plantilla_formato(formato.value))
        logger.info("Plantilla propia restablecida", extra={"formato": formato.value})
    return a_respuesta(formato, None)


# ---- the trial fill of an upload
_EJEMPLOS: dict[Tipo, Any] = {
    Tipo.TEXTO: "Texto de prueba",
    Tipo.FECHA: "2024-03-15T12:00:00.000Z",
    Tipo.FECHA_LOCAL: "2024-03-15T18:30:00.000Z",
    Tipo.HORA: "10:30",
    Tipo.HORA_LOCAL: "2024-03-15T18:30:00.000Z",
    Tipo.MARCA: True,
    Tipo.DINERO: Decimal("1234.56"),
    Tipo.ENTERO: 3,
    Tipo.TASA: Decimal("0.16"),
}


def ejemplo(definicion_: Definicion) -> Datos:
    """Values of every kind for every name, and three rows per block (with a group row): what a trial fill of an
    uploaded template prints."""
    valores = {n.nombre: _EJEMPLOS[n.tipo] for n in definicion_.campos}
    bloques = {}
    for bloque in definicion_.bloques:
        fila = Fila({c.nombre: _EJEMPLOS[c.tipo] for c in bloque.columnas})
        grupo = Fila({c.nombre: _EJEMPLOS[c.tipo] for c in bloque.columnas_grupo}, grupo=True)
        bloques[bloque.nombre] = [grupo, fila, fila, grupo, fila] if bloque.grupo else [fila, fila, fila]
    return Datos(valores, bloques)
