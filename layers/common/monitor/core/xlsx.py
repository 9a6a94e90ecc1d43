"""Workbooks written from plain rows (reports, and any generated sheet that needs no template).

openpyxl is not in the common layer: it comes with the `XlsxLayer` that only the functions writing
spreadsheets attach (template.yaml), and it is imported here at the first workbook, never at init.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

FORMATO_FECHA = "DD/MM/YYYY"  # the shop's paper forms
FORMATO_DECIMAL = "0.00"


@dataclass(frozen=True)
class Hoja:
    """One sheet: a bold header row, then the rows as given (dates shown DD/MM/AAAA, decimals with two places;
    None is an empty cell)."""

    nombre: str
    encabezados: Sequence[str]
    filas: Iterable[Sequence[Any]]
    anchos: Sequence[int] = field(default_factory=tuple)


def libro(hojas: Sequence[Hoja]) -> bytes:
    from decimal import Decimal

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    # write_only streams rows: memory stays flat however many units a report has.
    wb = Workbook(write_only=True)
    negrita = Font(bold=True)
    for hoja in hojas:
        ws = wb.create_sheet(hoja.nombre[:31])
        for indice, ancho in enumerate(hoja.anchos, start=1):
            ws.column_dimensions[_columna(indice)].width = ancho
        encabezado = []
        for texto in hoja.encabezados:
            celda = WriteOnlyCell(ws, value=texto)
            celda.font = negrita
            encabezado.append(celda)
        ws.append(encabezado)
        for fila in hoja.filas:
            celdas = []
            for valor in fila:
                celda = WriteOnlyCell(ws, value=valor)
                if isinstance(valor, date):
                    celda.number_format = FORMATO_FECHA
                elif isinstance(valor, Decimal):
                    celda.number_format = FORMATO_DECIMAL
                celdas.append(celda)
            ws.append(celdas)
    salida = io.BytesIO()
    wb.save(salida)
    return salida.getvalue()


def _columna(indice: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(indice))
