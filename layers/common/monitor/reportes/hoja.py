"""The cycle report as a workbook: a summary sheet with the same figures as the JSON answer (overall, then
per insurer, by name) and one row per delivered unit, so the manager can check any figure by hand."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from monitor.aseguradoras import servicio as aseguradoras
from monitor.core import xlsx
from monitor.reportes import cifras

ETIQUETAS_ETAPA = {"Ingreso": "Ingreso", "Restauracion": "Restauración", "Pendiente_de_salida": "Pendiente de salida"}


def nombres_aseguradoras() -> dict[int, str]:
    """The insurer catalog (one Query of its small partition): names for the sheet's rows."""
    return {int(a["id"]): str(a["nombre"]) for a in aseguradoras.listar()}


def _nombre(id_aseguradora: int | None, nombres: Mapping[int, str]) -> str:
    if id_aseguradora is None:
        return "Sin aseguradora"
    return nombres.get(id_aseguradora, f"Aseguradora {id_aseguradora}")


def _fila(grupo: str, resumen: Mapping[str, Any]) -> list[Any]:
    dias = resumen["dias_llave_a_llave"]
    etapas = resumen["dias_por_etapa"]
    return [
        grupo,
        resumen["unidades"],
        dias["promedio"],
        dias["mediana"],
        dias["p90"],
        *(etapas[etapa]["promedio"] for etapa in ETIQUETAS_ETAPA),
    ]


def libro_ciclo(reporte: Mapping[str, Any], unidades: Sequence[cifras.Unidad], nombres: Mapping[int, str]) -> bytes:
    etapas = [f"Días {e} (promedio)" for e in ETIQUETAS_ETAPA.values()]
    resumen = xlsx.Hoja(
        "Resumen",
        ["Grupo", "Unidades", "Días llave a llave (promedio)", "Mediana", "P90", *etapas],
        [
            ["Periodo", f"{reporte['desde']} a {reporte['hasta']} ({reporte['zona_horaria']})"],
            _fila("General", reporte["general"]),
            *(_fila(_nombre(g["id_aseguradora"], nombres), g) for g in reporte["por_aseguradora"]),
        ],
        anchos=(28, 12, 16, 10, 8, 16, 16, 16),
    )
    detalle = xlsx.Hoja(
        "Unidades",
        ["No. Siniestro", "Aseguradora", "Ingreso", "Entrega", "Días llave a llave", *ETIQUETAS_ETAPA.values()],
        (
            [
                u.no_siniestro,
                _nombre(u.id_aseguradora, nombres),
                u.ingreso,
                u.entrega,
                u.dias,
                *(u.por_etapa[e] for e in ETIQUETAS_ETAPA),
            ]
            for u in sorted(unidades, key=lambda u: (u.entrega, u.no_siniestro))
        ),
        anchos=(22, 20, 12, 12, 12, 12, 14, 14),
    )
    return xlsx.libro([resumen, detalle])
