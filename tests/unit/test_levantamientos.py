"""The damage survey's pure rules: totals, amounts, line-item ids and audit diffs, the IVA rate setting and the
stack parameter it comes from."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from monitor.core.settings import Settings
from monitor.levantamientos import servicio
from monitor.levantamientos.campos import id_concepto
from tools import plantilla

ENTORNO = {"MONITOR_TABLE": "t", "MONITOR_JWT_SECRET_ID": "s"}


def _lineas(*costos: str) -> list[dict[str, Any]]:
    return [{"id": i, "claves": None, "concepto": f"c{i}", "costo": Decimal(c)} for i, c in enumerate(costos, 1)]


@pytest.mark.parametrize(
    ("costos", "tasa", "esperado"),
    [
        ((), "0.16", ("0.00", "0.00", "0.00")),
        (("0.01",), "0.5", ("0.01", "0.01", "0.02")),  # 0.005 → 0.01 (half-up; half-even would give 0.00)
        (("0.05",), "0.5", ("0.05", "0.03", "0.08")),  # 0.025 → 0.03 (half-even: 0.02)
        (("0.03",), "0.16", ("0.03", "0.00", "0.03")),  # 0.0048
        (("0.1", "0.2"), "0.16", ("0.30", "0.05", "0.35")),  # 0.048; 0.1 + 0.2 is exactly 0.3 here
        (("100",), "0", ("100.00", "0.00", "100.00")),
        (("100",), "1", ("100.00", "100.00", "200.00")),
        (("9999999.99",) * 300, "0.16", ("2999999997.00", "479999999.52", "3479999996.52")),
    ],
)
def test_totals_are_exact_and_iva_is_rounded_half_up_to_cents(
    costos: tuple[str, ...], tasa: str, esperado: tuple[str, str, str]
) -> None:
    totales = servicio.totales(_lineas(*costos), Decimal(tasa))

    assert totales == {
        "subtotal": Decimal(esperado[0]),
        "tasa_iva": Decimal(tasa),
        "iva": Decimal(esperado[1]),
        "total": Decimal(esperado[2]),
    }
    assert all(v.as_tuple().exponent == -2 for k, v in totales.items() if k != "tasa_iva")


@pytest.mark.parametrize(
    ("valor", "texto"),
    [(Decimal("100.5"), "100.50"), (Decimal("1E+2"), "100.00"), (Decimal("-0"), "0.00"), (Decimal("-0.00"), "0.00")],
)
def test_amounts_go_out_with_two_decimals_and_never_as_negative_zero(valor: Decimal, texto: str) -> None:
    assert str(servicio.dinero(valor)) == texto


@pytest.mark.parametrize(
    ("segmento", "esperado"),
    [
        ("1", 1),
        ("42", 42),
        (" 7 ", 7),
        ("0", None),
        ("-1", None),
        ("abc", None),
        ("1.0", None),
        ("", None),
        (None, None),
        ("１", None),
        ("9" * 10, None),
    ],
)
def test_a_path_segment_names_a_line_item_only_as_a_positive_integer(
    segmento: str | None, esperado: int | None
) -> None:
    assert id_concepto(segmento) == esperado


def test_line_item_diffs_name_each_line_by_its_id() -> None:
    antes = [
        {"id": 1, "claves": "A", "concepto": "Uno", "costo": Decimal("10")},
        {"id": 2, "claves": None, "concepto": "Dos", "costo": Decimal("20.5")},
        {"id": 3, "claves": None, "concepto": "Tres", "costo": Decimal("30")},
    ]
    despues = [
        {"id": 3, "claves": None, "concepto": "Tres", "costo": Decimal("30.00")},  # same value, moved
        {"id": 2, "claves": "B", "concepto": "Dos", "costo": Decimal("20.50")},
        {"id": 4, "claves": None, "concepto": "Cuatro", "costo": Decimal("4")},
    ]

    assert servicio.diferencias_conceptos(antes, despues) == [
        {
            "campo": "conceptos[1]",
            "anterior": {"claves": "A", "concepto": "Uno", "costo": Decimal("10.00")},
            "nuevo": None,
        },
        {"campo": "conceptos[2].claves", "anterior": None, "nuevo": "B"},
        {
            "campo": "conceptos[4]",
            "anterior": None,
            "nuevo": {"claves": None, "concepto": "Cuatro", "costo": Decimal("4.00")},
        },
        {"campo": "conceptos.orden", "anterior": [2, 3], "nuevo": [3, 2]},
    ]
    assert servicio.diferencias_conceptos(antes, antes) == []


# ---- the rate: an environment variable from a stack parameter
@pytest.mark.parametrize(("texto", "tasa"), [(None, "0.16"), ("", "0.16"), ("0.08", "0.08"), ("0", "0"), ("1", "1")])
def test_the_iva_rate_is_read_as_a_decimal(texto: str | None, tasa: str) -> None:
    entorno = ENTORNO if texto is None else {**ENTORNO, "MONITOR_IVA_TASA": texto}

    assert Settings.desde(entorno).tasa_iva == Decimal(tasa)


@pytest.mark.parametrize("texto", ["16%", "abc", "-0.1", "1.5", "NaN", "Infinity"])
def test_an_unusable_iva_rate_stops_the_function_at_start(texto: str) -> None:
    with pytest.raises(RuntimeError, match="MONITOR_IVA_TASA"):
        Settings.desde({**ENTORNO, "MONITOR_IVA_TASA": texto})


def test_the_stack_parameter_feeds_the_rate_and_admits_only_rates() -> None:
    parametro = plantilla.cargar()["Parameters"]["IvaTasa"]
    variables = plantilla.cargar()["Globals"]["Function"]["Environment"]["Variables"]
    patron = re.compile(parametro["AllowedPattern"])

    assert variables["MONITOR_IVA_TASA"] == {"Ref": "IvaTasa"}
    assert Settings.desde({**ENTORNO, "MONITOR_IVA_TASA": parametro["Default"]}).tasa_iva == Decimal("0.16")
    assert all(patron.fullmatch(t) for t in ("0.16", "0.08", "0", "1", "1.0", "0.1234"))
    assert not any(patron.fullmatch(t) for t in ("16", "1.5", "-0.1", ".16", "0.12345", "0,16", "1.01"))
