"""GET /api/reportes/ciclo: keys-to-keys days of the units delivered in a range of the shop's days, from the
`Entregas` index alone (one Query per page of delivered units; docs/reportes.md)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from monitor.core import dates, keys, table
from monitor.core.errors import SolicitudInvalida
from monitor.core.settings import settings
from monitor.reportes import cifras

# Items per Query page: a page of the report indexes (a few hundred bytes per unit) stays well under DynamoDB's
# 1 MB, so the number of requests is a plain function of the units read (docs/data-model.md).
TAMANO_PAGINA = 1000
MAX_DIAS = 366
ANIOS = (1900, 9998)  # any real shop's range; the day after `hasta` must still be a date in every zone
VIGENCIA_SEGUNDOS = 900  # the download URL's lifetime, as for evidence
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Rango:
    desde: date
    hasta: date

    @classmethod
    def de(cls, desde: str, hasta: str) -> Rango:
        """Both ends are the shop's calendar days (AAAA-MM-DD), included; at most `MAX_DIAS` days."""
        inicio, fin = _fecha("desde", desde), _fecha("hasta", hasta)
        if inicio > fin:
            raise SolicitudInvalida(
                "Rango de fechas inválido",
                detalles=[{"campo": "hasta", "mensaje": "Debe ser igual o posterior a desde"}],
            )
        if (fin - inicio).days + 1 > MAX_DIAS:
            raise SolicitudInvalida(
                "Rango de fechas demasiado amplio",
                detalles=[{"campo": "hasta", "mensaje": f"El rango admite como máximo {MAX_DIAS} días"}],
            )
        return cls(inicio, fin)


def _fecha(campo: str, texto: str) -> date:
    try:
        fecha = date.fromisoformat(texto)
    except ValueError:
        fecha = None
    if fecha is None or not ANIOS[0] <= fecha.year <= ANIOS[1]:
        raise SolicitudInvalida(
            "Fecha inválida",
            detalles=[{"campo": campo, "mensaje": f"Use una fecha AAAA-MM-DD existente, de {ANIOS[0]} a {ANIOS[1]}"}],
        )
    return fecha


def unidades(rango: Rango, id_aseguradora: int | None) -> list[cifras.Unidad]:
    """The `Entregas` entries whose first entry into Salida falls in the range (as instants: from the start of
    `desde` to the start of the day after `hasta`, in the shop's zone), optionally one insurer's."""
    valores: dict[str, Any] = {
        ":pk": keys.ENTREGADOS,
        ":desde": dates.inicio_dia(rango.desde),
        ":hasta": dates.inicio_dia(rango.hasta + timedelta(days=1)),
    }
    filtro = None
    if id_aseguradora is not None:
        filtro, valores[":aseguradora"] = "id_aseguradora = :aseguradora", id_aseguradora
    items = table.query_todo(
        "EntregasPK = :pk AND EntregasSK BETWEEN :desde AND :hasta",
        valores,
        indice="Entregas",
        filtro=filtro,
        limite=TAMANO_PAGINA,
    )
    return [u for u in map(cifras.unidad, items) if rango.desde <= u.entrega <= rango.hasta]


def reporte(rango: Rango, id_aseguradora: int | None, encontradas: list[cifras.Unidad]) -> dict[str, Any]:
    return {
        "desde": rango.desde.isoformat(),
        "hasta": rango.hasta.isoformat(),
        "zona_horaria": settings().zona_horaria,
        "id_aseguradora": id_aseguradora,
        "general": cifras.resumen(encontradas),
        "por_aseguradora": cifras.por_aseguradora(encontradas),
    }


def ciclo(desde: str, hasta: str, id_aseguradora: int | None) -> dict[str, Any]:
    rango = Rango.de(desde, hasta)
    return reporte(rango, id_aseguradora, unidades(rango, id_aseguradora))


def hoja_de_calculo(desde: str, hasta: str, id_aseguradora: int | None) -> dict[str, Any]:
    """The same figures as an .xlsx in the bucket (under `reportes/`) and a short-lived download URL."""
    from monitor.core import storage
    from monitor.reportes import hoja

    rango = Rango.de(desde, hasta)
    encontradas = unidades(rango, id_aseguradora)
    datos = hoja.libro_ciclo(reporte(rango, id_aseguradora, encontradas), encontradas, hoja.nombres_aseguradoras())
    sufijo = f"_aseguradora-{id_aseguradora}" if id_aseguradora is not None else ""
    nombre = f"ciclo_{rango.desde.isoformat()}_{rango.hasta.isoformat()}{sufijo}.xlsx"
    clave = keys.reporte_s3(f"ciclo/{uuid.uuid4().hex}/{nombre}")
    storage.subir(clave, datos, XLSX)
    return {
        "url": storage.url_descarga(clave, XLSX, nombre, VIGENCIA_SEGUNDOS, adjunto=True),
        "nombre_archivo": nombre,
        "expira_en": dates.iso(dates.reloj() + timedelta(seconds=VIGENCIA_SEGUNDOS)),
    }
