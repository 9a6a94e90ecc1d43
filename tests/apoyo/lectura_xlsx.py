"""Reading a generated form back, for the tests: through its defined names (as a person would find a field by
its label), with the cell's number format, and checks that the file is a sound Office Open XML package."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils.cell import range_boundaries


@dataclass(frozen=True)
class Celda:
    valor: Any
    formato: str
    tipo: str
    fila: int
    columna: int


def libro(datos: bytes) -> Workbook:
    return load_workbook(io.BytesIO(datos))


def area(wb: Workbook, nombre: str) -> tuple[Any, int, int, int, int]:
    """(sheet, min_col, min_row, max_col, max_row) a name points at."""
    definido = wb.defined_names[nombre]
    ((titulo, celdas),) = list(definido.destinations)
    min_col, min_row, max_col, max_row = range_boundaries(celdas.replace("$", ""))
    return wb[titulo], int(min_col), int(min_row), int(max_col), int(max_row)  # type: ignore[arg-type]


def celda(wb: Workbook, nombre: str) -> Celda:
    hoja, col, fila, _, _ = area(wb, nombre)
    c = hoja.cell(fila, col)
    return Celda(c.value, c.number_format, c.data_type, fila, col)


def columna(wb: Workbook, nombre: str) -> list[Celda]:
    hoja, col, min_row, _, max_row = area(wb, nombre)
    return [
        Celda(hoja.cell(f, col).value, hoja.cell(f, col).number_format, hoja.cell(f, col).data_type, f, col)
        for f in range(min_row, max_row + 1)
    ]


def paquete_valido(datos: bytes) -> None:
    """A zip with every part intact, the OOXML content types and workbook part, that openpyxl loads and that
    loads again after being saved (a round trip)."""
    with zipfile.ZipFile(io.BytesIO(datos)) as paquete:
        assert paquete.testzip() is None
        nombres = set(paquete.namelist())
        assert {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"} <= nombres
        tipos = paquete.read("[Content_Types].xml").decode()
        assert "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml" in tipos
    primero = libro(datos)
    salida = io.BytesIO()
    primero.save(salida)
    segundo = libro(salida.getvalue())
    assert segundo.sheetnames == primero.sheetnames
    assert set(segundo.defined_names) == set(primero.defined_names)
    for hoja in primero.worksheets:
        otra = segundo[hoja.title]
        assert [[c.value for c in f] for f in hoja.iter_rows()] == [[c.value for c in f] for f in otra.iter_rows()]
