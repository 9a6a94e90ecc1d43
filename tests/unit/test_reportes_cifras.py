"""The cycle report's arithmetic on docs/reportes.md's worked example, and its edge cases."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from monitor.reportes import cifras


def entregada(no: str, aseguradora: int | None, ingreso: str, *momentos: str) -> dict[str, Any]:
    restauracion, pendiente, salida = momentos
    return {
        "no_siniestro": no,
        "id_aseguradora": aseguradora,
        "fecha_ingreso": f"{ingreso}T12:00:00.000Z",
        "hitos": {"Restauracion": restauracion, "Pendiente_de_salida": pendiente, "Salida": salida},
    }


# docs/reportes.md: A, B and C in Mexico City (UTC-6)
EJEMPLO = [
    entregada("A", 1, "2024-03-01", "2024-03-04T16:00:00.000Z", "2024-03-12T00:00:00.000Z", "2024-03-14T05:30:00.000Z"),
    entregada("B", 1, "2024-03-05", "2024-03-06T18:00:00.000Z", "2024-03-20T15:00:00.000Z", "2024-03-22T19:00:00.000Z"),
    entregada(
        "C", None, "2024-03-10", "2024-03-10T23:00:00.000Z", "2024-03-15T15:00:00.000Z", "2024-03-18T17:00:00.000Z"
    ),
]


def test_the_worked_example_of_the_docs() -> None:
    unidades = [cifras.unidad(i) for i in EJEMPLO]

    assert [(u.dias, list(u.por_etapa.values())) for u in unidades] == [
        (12, [3, 7, 2]),
        (17, [1, 14, 2]),
        (8, [0, 5, 3]),
    ]
    assert str(unidades[0].entrega) == "2024-03-13"  # 05:30 UTC on the 14th is the evening of the 13th
    assert cifras.resumen(unidades) == {
        "unidades": 3,
        "dias_llave_a_llave": {"promedio": Decimal("12.33"), "mediana": Decimal(12), "p90": 17},
        "dias_por_etapa": {
            "Ingreso": {"promedio": Decimal("1.33"), "unidades": 3},
            "Restauracion": {"promedio": Decimal("8.67"), "unidades": 3},
            "Pendiente_de_salida": {"promedio": Decimal("2.33"), "unidades": 3},
        },
    }
    grupos = cifras.por_aseguradora(unidades)
    assert [g["id_aseguradora"] for g in grupos] == [1, None]
    assert grupos[0]["dias_llave_a_llave"] == {"promedio": Decimal("14.50"), "mediana": Decimal("14.50"), "p90": 17}


def test_median_and_p90_by_nearest_rank() -> None:
    assert cifras.mediana([5, 1, 3]) == 3
    assert cifras.mediana([4, 1, 3, 2]) == Decimal("2.50")
    assert cifras.p90(list(range(1, 11))) == 9  # ⌈0.9 × 10⌉ = 9th
    assert cifras.p90(list(range(1, 12))) == 10  # ⌈9.9⌉ = 10th
    assert cifras.p90([7]) == 7
    assert cifras.promedio([1, 2]) == Decimal("1.50")
    assert cifras.promedio([1, 1, 2]) == Decimal("1.33")
    assert cifras.promedio([2, 2, 1]) == Decimal("1.67")  # half-up


def test_an_empty_range_has_no_figures() -> None:
    assert cifras.resumen([]) == {
        "unidades": 0,
        "dias_llave_a_llave": {"promedio": None, "mediana": None, "p90": None},
        "dias_por_etapa": {
            e: {"promedio": None, "unidades": 0} for e in ("Ingreso", "Restauracion", "Pendiente_de_salida")
        },
    }


def test_a_unit_without_a_stage_boundary_is_left_out_of_that_stage_only() -> None:
    item = entregada("D", 2, "2024-03-01", "2024-03-02T18:00:00.000Z", "", "2024-03-09T18:00:00.000Z")
    del item["hitos"]["Pendiente_de_salida"]
    del item["fecha_ingreso"]
    item["hitos"]["Ingreso"] = "2024-03-01T18:00:00.000Z"  # no fecha_ingreso: the expediente's creation

    unidad = cifras.unidad(item)

    assert unidad.dias == 8
    assert unidad.por_etapa == {"Ingreso": 1, "Restauracion": None, "Pendiente_de_salida": None}
