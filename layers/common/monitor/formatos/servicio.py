"""A printable form of an expediente: the data read through its owners' own read functions (the expediente's,
the checklist's, the survey's), the template in use filled, the file written under the expediente's prefix
in the evidence bucket (so deleting the expediente deletes it) and a short-lived download URL answered, as
evidence downloads are: Lambda's response size never matters."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from monitor.aseguradoras import servicio as aseguradoras
from monitor.checklists import servicio as checklists
from monitor.core import dates, keys, storage
from monitor.core.dates import iso
from monitor.core.errors import NoEncontrado
from monitor.core.observability import logger
from monitor.evidencias.reglas import nombre_seguro
from monitor.expedientes import servicio as expedientes
from monitor.formatos import datos as datos_formato
from monitor.formatos import llenado, plantilla
from monitor.formatos.campos import Formato
from monitor.formatos.valores import local
from monitor.levantamientos import servicio as levantamientos

SIN_CHECKLIST = "El expediente no tiene checklist de salida"
SIN_LEVANTAMIENTO = "El expediente no tiene levantamiento de daños"
# Generated files are tagged so a lifecycle rule expires them wherever the expediente's prefix puts them.
ETIQUETAS = {"monitor-tipo": "formato"}


def _propio(exc: NoEncontrado, mensaje: str) -> NoEncontrado:
    """The owner's 404 when the expediente itself is missing; otherwise the form's own words for what is."""
    return exc if exc.mensaje == expedientes.NO_ENCONTRADO else NoEncontrado(mensaje)


def _datos_expediente(no_siniestro: str, impreso_en: str) -> datos_formato.Datos:
    item = expedientes.obtener(no_siniestro)
    nombre = None
    if item.get("id_aseguradora") is not None:
        try:
            nombre = aseguradoras.obtener(int(item["id_aseguradora"]))["nombre"]
        except NoEncontrado:
            nombre = None
    return datos_formato.expediente(expedientes.a_respuesta(item), nombre, impreso_en)


def _datos_checklist(no_siniestro: str, impreso_en: str) -> datos_formato.Datos:
    try:
        item = checklists.obtener(no_siniestro)
    except NoEncontrado as exc:
        raise _propio(exc, SIN_CHECKLIST) from None
    return datos_formato.checklist(checklists.a_respuesta(item), impreso_en)


def _datos_levantamiento(no_siniestro: str, impreso_en: str) -> datos_formato.Datos:
    try:
        levantamiento = levantamientos.obtener(no_siniestro)
    except NoEncontrado as exc:
        raise _propio(exc, SIN_LEVANTAMIENTO) from None
    return datos_formato.levantamiento(levantamientos.a_respuesta(levantamiento), impreso_en)


LECTURAS = {
    Formato.EXPEDIENTE: _datos_expediente,
    Formato.CHECKLIST: _datos_checklist,
    Formato.LEVANTAMIENTO: _datos_levantamiento,
}


def generar(no_siniestro: str, segmento: str) -> dict[str, Any]:
    """Reads, fills, writes, signs: `{"url", "nombre_archivo", "expira_en"}`."""
    definicion = plantilla.definicion(segmento)
    formato = definicion.formato
    momento = dates.reloj()
    impreso_en = iso(momento)
    datos = LECTURAS[formato](no_siniestro, impreso_en)
    archivo = llenado.llenar(plantilla.en_uso(formato), definicion, datos)
    marca = f"{momento.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(4)}"
    clave = keys.formato_s3(no_siniestro, formato.value, marca)
    storage.subir(clave, archivo, plantilla.XLSX, etiquetas=ETIQUETAS)
    nombre = nombre_seguro(f"{formato.value}-{no_siniestro}-{local(impreso_en).strftime('%Y%m%d-%H%M')}.xlsx")
    url = storage.url_descarga(clave, plantilla.XLSX, nombre, plantilla.VIGENCIA_SEGUNDOS, adjunto=True)
    logger.info(
        "Formato generado", extra={"no_siniestro": no_siniestro, "formato": formato.value, "bytes": len(archivo)}
    )
    return {
        "url": url,
        "nombre_archivo": nombre,
        "expira_en": iso(momento + timedelta(seconds=plantilla.VIGENCIA_SEGUNDOS)),
    }
