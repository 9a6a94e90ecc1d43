"""Fills a template: every value goes to the cell an Excel defined name points at, every repeated block grows
by inserting rows, and whatever lies below a block moves with it (cells, merged areas, row heights, names,
print area, images, validations, conditional formats, page breaks, formulas). Nothing here knows an address.

openpyxl (and Pillow, which it needs to keep a template's images) comes with the spreadsheet layer that only
the functions filling forms attach; this module is the one that imports it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from copy import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.formula.translate import Translator
from openpyxl.utils.cell import get_column_letter, quote_sheetname, range_boundaries
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange

from monitor.formatos import valores
from monitor.formatos.campos import Bloque, Definicion, Nombre
from monitor.formatos.datos import Datos, Fila

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.worksheet import Worksheet

# What a template may weigh: compressed (the upload), uncompressed (all its parts) and in parts. A zip bomb
# or a sheet of millions of cells is refused before openpyxl reads it.
MAX_COMPRIMIDO = 5 * 2**20
MAX_DESCOMPRIMIDO = 40 * 2**20
MAX_PARTES = 2_000
_REFERENCIA_HOJA = re.compile(r"^(?:(?:'(?P<citada>(?:[^']|'')+)'|(?P<simple>[^'!]+))!)?(?P<celdas>[^!]+)$")


class PlantillaInvalida(ValueError):
    """The bytes are not a workbook this module can fill (the message says why, in Spanish)."""


# ---- opening and saving
def revisar_paquete(datos: bytes) -> None:
    """A zip within the bounds above whose parts declare sane sizes. zipfile never inflates a part past its
    declared size (a lie fails its CRC), so the declared total bounds the work."""
    if len(datos) > MAX_COMPRIMIDO:
        raise PlantillaInvalida(f"La plantilla excede {MAX_COMPRIMIDO // 2**20} MB")
    try:
        with zipfile.ZipFile(io.BytesIO(datos)) as paquete:
            partes = paquete.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise PlantillaInvalida("El archivo no es un libro de Excel (.xlsx)") from None
    if len(partes) > MAX_PARTES:
        raise PlantillaInvalida("La plantilla tiene demasiadas partes")
    if sum(p.file_size for p in partes) > MAX_DESCOMPRIMIDO:
        raise PlantillaInvalida(f"La plantilla descomprimida excede {MAX_DESCOMPRIMIDO // 2**20} MB")
    if "xl/workbook.xml" not in {p.filename for p in partes}:
        raise PlantillaInvalida("El archivo no es un libro de Excel (.xlsx)")


def abrir(datos: bytes) -> Workbook:
    revisar_paquete(datos)
    try:
        return load_workbook(io.BytesIO(datos), keep_links=False, rich_text=False)
    except Exception:
        raise PlantillaInvalida("El archivo no es un libro de Excel válido") from None


def guardar(libro: Workbook) -> bytes:
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


# ---- names
@dataclass(frozen=True)
class Area:
    """Where a name points: one rectangle of one sheet."""

    hoja: Worksheet
    min_col: int
    min_row: int
    max_col: int
    max_row: int


def _areas(libro: Workbook, definido: DefinedName) -> list[Area] | None:
    """The rectangles a name points at; None when it is not a plain reference to existing sheets."""
    if definido.type != "RANGE":
        return None
    areas = []
    for parte in str(definido.value or "").split(","):
        encontrada = _REFERENCIA_HOJA.match(parte.strip())
        if not encontrada or not (encontrada.group("citada") or encontrada.group("simple")):
            return None
        titulo = encontrada.group("citada") or encontrada.group("simple")
        titulo = titulo.replace("''", "'")
        if titulo not in libro.sheetnames:
            return None
        try:
            min_col, min_row, max_col, max_row = range_boundaries(encontrada.group("celdas").replace("$", ""))
        except (ValueError, TypeError):
            return None
        if None in (min_col, min_row, max_col, max_row):
            return None  # whole rows or columns are no place for a value
        areas.append(Area(libro[titulo], int(min_col), int(min_row), int(max_col), int(max_row)))
    return areas or None


def _definidos(libro: Workbook) -> Iterator[DefinedName]:
    """Every defined name: the workbook's and each sheet's own."""
    yield from libro.defined_names.values()
    for hoja in libro.worksheets:
        yield from hoja.defined_names.values()


class Nombres:
    """The template's defined names, case-insensitive as Excel's."""

    def __init__(self, libro: Workbook) -> None:
        self.libro = libro
        self._por_nombre: dict[str, DefinedName] = {}
        for definido in _definidos(libro):
            self._por_nombre.setdefault(definido.name.lower(), definido)

    def existe(self, nombre: str) -> bool:
        return nombre.lower() in self._por_nombre

    def areas(self, nombre: str) -> list[Area] | None:
        definido = self._por_nombre.get(nombre.lower())
        return _areas(self.libro, definido) if definido is not None else None

    def area(self, nombre: str) -> Area | None:
        areas = self.areas(nombre)
        return areas[0] if areas else None

    def apuntar(self, nombre: str, area: Area) -> None:
        definido = self._por_nombre[nombre.lower()]
        definido.value = _referencia(area.hoja.title, area.min_col, area.min_row, area.max_col, area.max_row)


def _referencia(titulo: str, min_col: int, min_row: int, max_col: int, max_row: int) -> str:
    inicio = f"${get_column_letter(min_col)}${min_row}"
    fin = f"${get_column_letter(max_col)}${max_row}"
    return f"{quote_sheetname(titulo)}!{inicio}" + (f":{fin}" if fin != inicio else "")


# ---- checking a template against a form
@dataclass
class Revision:
    faltantes: list[str] = field(default_factory=list)
    errores: list[str] = field(default_factory=list)

    @property
    def valida(self) -> bool:
        return not self.faltantes and not self.errores


def revisar(libro: Workbook, definicion: Definicion) -> Revision:
    """Every required name present and pointing at cells; each block's columns inside its model row; a group
    row right above its block."""
    nombres = Nombres(libro)
    revision = Revision()
    for nombre in definicion.nombres():
        if not nombres.existe(nombre.nombre):
            if nombre.obligatorio:
                revision.faltantes.append(nombre.nombre)
        elif nombres.area(nombre.nombre) is None:
            revision.errores.append(f"{nombre.nombre} no apunta a celdas de una hoja del libro")
    if revision.faltantes or revision.errores:
        return revision
    for bloque in definicion.bloques:
        revision.errores += _revisar_bloque(nombres, bloque)
    return revision


def _revisar_bloque(nombres: Nombres, bloque: Bloque) -> list[str]:
    modelo = nombres.area(bloque.nombre)
    assert modelo is not None
    errores = []
    if modelo.min_row != modelo.max_row:
        errores.append(f"{bloque.nombre} debe ser una sola fila (la fila modelo)")
    grupo = nombres.area(bloque.grupo) if bloque.grupo else None
    if grupo is not None and (
        grupo.hoja is not modelo.hoja or grupo.min_row != grupo.max_row or grupo.min_row != modelo.min_row - 1
    ):
        errores.append(f"{bloque.grupo} debe ser la fila justo encima de {bloque.nombre}")
    for columnas, fila in ((bloque.columnas, modelo), (bloque.columnas_grupo, grupo)):
        for columna in columnas:
            area = nombres.area(columna.nombre)
            if area is None:
                continue
            if fila is None:
                errores.append(f"{columna.nombre} necesita la fila {bloque.grupo}")
            elif area.hoja is not fila.hoja or area.min_row != fila.min_row:
                errores.append(f"{columna.nombre} debe estar en la fila de {bloque.grupo or bloque.nombre}")
    return errores


# ---- filling
def llenar(plantilla: bytes, definicion: Definicion, datos: Datos) -> bytes:
    """The filled workbook's bytes. The template must pass `revisar` (the shop's are checked on upload)."""
    libro = abrir(plantilla)
    nombres = Nombres(libro)
    for bloque in definicion.bloques:
        _repetir(libro, nombres, bloque, datos.bloques.get(bloque.nombre, ()))
    for nombre in definicion.campos:
        area = nombres.area(nombre.nombre)
        if area is not None:
            _escribir(area.hoja, area.min_row, area.min_col, nombre, datos.campos.get(nombre.nombre))
    return guardar(libro)


def _escribir(hoja: Worksheet, fila: int, columna: int, nombre: Nombre, dato: Any) -> None:
    celda = hoja.cell(fila, columna)
    if isinstance(celda, MergedCell):  # a name inside a merged area: its top-left cell holds the value
        for rango in hoja.merged_cells.ranges:
            if (fila, columna) in rango:
                celda = hoja.cell(rango.min_row, rango.min_col)
                break
    valor, formato = valores.celda(nombre.tipo, dato)
    celda.value = valor
    if isinstance(valor, str):
        celda.data_type = "s"  # text that starts with "=" stays text, never a formula
    if formato is not None:
        celda.number_format = formato


@dataclass
class _Modelo:
    """A model row as the template has it: each cell's style and fixed content, its height, its merges."""

    fila: int
    celdas: list[tuple[int, Any, Any]]  # column, style, value
    alto: float | None
    uniones: list[tuple[int, int]]

    @classmethod
    def de(cls, hoja: Worksheet, fila: int) -> _Modelo:
        celdas = []
        for columna in range(1, hoja.max_column + 1):
            celda = hoja._cells.get((fila, columna))
            if celda is not None and not isinstance(celda, MergedCell):
                celdas.append((columna, copy(celda._style), celda.value))
            elif isinstance(celda, MergedCell):
                celdas.append((columna, copy(celda._style), None))
        uniones = [(r.min_col, r.max_col) for r in hoja.merged_cells.ranges if r.min_row == r.max_row == fila]
        return cls(fila, celdas, hoja.row_dimensions[fila].height, uniones)

    def aplicar(self, hoja: Worksheet, fila: int, columnas_de_datos: set[int]) -> None:
        for min_col, max_col in self.uniones:
            if min_col != max_col:
                _unir(hoja, fila, min_col, max_col)
        for columna, estilo, valor in self.celdas:
            celda = hoja.cell(fila, columna)
            celda._style = copy(estilo)
            if isinstance(celda, MergedCell):
                continue
            if columna in columnas_de_datos:
                celda.value = None
            elif isinstance(valor, str) and valor.startswith("=") and fila != self.fila:
                origen = f"{get_column_letter(columna)}{self.fila}"
                celda.value = Translator(valor, origin=origen).translate_formula(f"{get_column_letter(columna)}{fila}")
            else:
                celda.value = valor
        hoja.row_dimensions[fila].height = self.alto


def _unir(hoja: Worksheet, fila: int, min_col: int, max_col: int) -> None:
    """`merge_cells` without its border bookkeeping (the model row's cell styles are copied whole right after),
    which would cost more than the rest of a 300-row fill. The writer needs only the range's coordinates."""
    hoja.merged_cells.add(CellRange(min_col=min_col, min_row=fila, max_col=max_col, max_row=fila))
    for columna in range(min_col + 1, max_col + 1):
        hoja._cells[(fila, columna)] = MergedCell(hoja, fila, columna)


def _repetir(libro: Workbook, nombres: Nombres, bloque: Bloque, filas: Sequence[Fila]) -> None:
    modelo = nombres.area(bloque.nombre)
    if modelo is None:
        return
    hoja = modelo.hoja
    grupo = nombres.area(bloque.grupo) if bloque.grupo else None
    modelos = {False: _Modelo.de(hoja, modelo.min_row)}
    if grupo is not None:
        modelos[True] = _Modelo.de(hoja, grupo.min_row)
    salida = [f for f in filas if grupo is not None or not f.grupo]
    while len(salida) < len(modelos):
        salida.append(Fila({}))
    primera, ultima = min(m.fila for m in modelos.values()), modelo.min_row
    columnas = {c.nombre: a.min_col for c in bloque.columnas if (a := nombres.area(c.nombre)) is not None}
    columnas_grupo = {c.nombre: a.min_col for c in bloque.columnas_grupo if (a := nombres.area(c.nombre)) is not None}
    # The model rows are re-drawn from their snapshots: their merges go first.
    for rango in [r for r in hoja.merged_cells.ranges if primera <= r.min_row and r.max_row <= ultima]:
        hoja.unmerge_cells(rango.coord)
    extra = len(salida) - len(modelos)
    if extra:
        hoja.insert_rows(ultima + 1, extra)
        desplazar(libro, hoja, ultima, extra)
    definiciones = {False: (bloque.columnas, columnas), True: (bloque.columnas_grupo, columnas_grupo)}
    for indice, fila in enumerate(salida):
        numero = primera + indice
        lista, posiciones = definiciones[fila.grupo]
        modelos[fila.grupo].aplicar(hoja, numero, set(posiciones.values()))
        for columna in lista:
            if columna.nombre in posiciones:
                _escribir(hoja, numero, posiciones[columna.nombre], columna, fila.valores.get(columna.nombre))
    # The names of the block now cover every row it printed (so a formula can still sum a column).
    final = primera + len(salida) - 1
    for nombre in (bloque.nombre, bloque.grupo, *columnas, *columnas_grupo):
        if nombre and (area := nombres.area(nombre)) is not None:
            nombres.apuntar(nombre, Area(hoja, area.min_col, primera, area.max_col, final))


# ---- moving what lies below a block
def _fila_movida(fila: int, despues_de: int, delta: int) -> int:
    return fila + delta if fila > despues_de else fila


def _rango_movido(min_row: int, max_row: int, despues_de: int, delta: int) -> tuple[int, int]:
    """A rectangle below moves; one that spans the insertion point grows (as in Excel)."""
    return _fila_movida(min_row, despues_de, delta), _fila_movida(max_row, despues_de, delta)


def _texto_rango(texto: str, despues_de: int, delta: int) -> str:
    min_col, min_row, max_col, max_row = range_boundaries(texto.replace("$", ""))
    if min_row is None or max_row is None or min_col is None or max_col is None:
        return texto
    min_row, max_row = _rango_movido(int(min_row), int(max_row), despues_de, delta)
    inicio, fin = f"{get_column_letter(int(min_col))}{min_row}", f"{get_column_letter(int(max_col))}{max_row}"
    return inicio if inicio == fin else f"{inicio}:{fin}"


def desplazar(libro: Workbook, hoja: Worksheet, despues_de: int, delta: int) -> None:
    """After `hoja.insert_rows(despues_de + 1, delta)` (which moves only the cells): everything else of the
    workbook that points below `despues_de` on that sheet moves by `delta` too."""
    _mover_filas(hoja, despues_de, delta)
    for definido in _definidos(libro):
        _mover_nombre(libro, definido, hoja, despues_de, delta)
    _mover_hoja(hoja, despues_de, delta)
    for otra in libro.worksheets:
        for fila in otra.iter_rows():
            for celda in fila:
                if celda.data_type == "f" and isinstance(celda.value, str):
                    celda.value = _formula_movida(celda.value, otra is hoja, hoja.title, despues_de, delta)


def _mover_filas(hoja: Worksheet, despues_de: int, delta: int) -> None:
    """Merged areas and row heights."""
    uniones = list(hoja.merged_cells.ranges)
    for rango in uniones:
        min_row, max_row = _rango_movido(rango.min_row, rango.max_row, despues_de, delta)
        rango.shift(0, min_row - rango.min_row)
        if max_row != rango.max_row:
            rango.expand(down=max_row - rango.max_row)
    hoja.merged_cells = MultiCellRange(uniones)  # a set: rebuilt, since moving changed the ranges' hashes
    dimensiones = sorted((i, d) for i, d in hoja.row_dimensions.items() if i > despues_de)
    for indice, dimension in reversed(dimensiones):
        del hoja.row_dimensions[indice]
        dimension.index = indice + delta
        hoja.row_dimensions[indice + delta] = dimension


def _mover_hoja(hoja: Worksheet, despues_de: int, delta: int) -> None:
    """Print area, images and charts, validations, conditional formats, page breaks."""
    if hoja.print_area:
        areas = [a.split("!")[-1] for a in str(hoja.print_area).split(",")]
        hoja.print_area = [_texto_rango(a, despues_de, delta) for a in areas]
    for objeto in [*hoja._images, *hoja._charts]:  # openpyxl keeps them only there
        _mover_ancla(objeto, despues_de, delta)
    for validacion in hoja.data_validations.dataValidation:
        validacion.sqref = MultiCellRange([_texto_rango(r.coord, despues_de, delta) for r in validacion.sqref.ranges])
    formatos = ConditionalFormattingList()
    for rango in hoja.conditional_formatting:
        destino = " ".join(_texto_rango(r.coord, despues_de, delta) for r in rango.sqref.ranges)
        for regla in rango.rules:
            formatos.add(destino, regla)
    hoja.conditional_formatting = formatos
    for corte in hoja.row_breaks.brk:
        corte.id = _fila_movida(corte.id, despues_de, delta)


def _mover_nombre(libro: Workbook, definido: DefinedName, hoja: Worksheet, despues_de: int, delta: int) -> None:
    areas = _areas(libro, definido)
    if not areas or all(a.hoja is not hoja for a in areas):
        return
    partes = []
    for area in areas:
        min_row, max_row = area.min_row, area.max_row
        if area.hoja is hoja:
            min_row, max_row = _rango_movido(min_row, max_row, despues_de, delta)
        partes.append(_referencia(area.hoja.title, area.min_col, min_row, area.max_col, max_row))
    definido.value = ",".join(partes)


def _mover_ancla(objeto: Any, despues_de: int, delta: int) -> None:
    ancla = objeto.anchor
    if isinstance(ancla, str):
        objeto.anchor = _texto_rango(ancla, despues_de, delta)
        return
    for punto in (getattr(ancla, "_from", None), getattr(ancla, "to", None)):
        if punto is not None and punto.row >= despues_de:  # 0-based: row index r is sheet row r + 1
            punto.row += delta


_CELDAS = re.compile(r"^(\$?[A-Za-z]{1,3})?(\$?)(\d+)?$")


def _formula_movida(formula: str, misma_hoja: bool, titulo: str, despues_de: int, delta: int) -> str:
    """Row numbers of references below the insertion point, in a formula of that sheet (plain references) or
    of any sheet (references naming it), move by `delta`."""
    try:
        fichas = Tokenizer(formula).items
    except Exception:
        return formula
    cambio = False
    for ficha in fichas:
        if ficha.type != Token.OPERAND or ficha.subtype != Token.RANGE:
            continue
        hoja_ref, _, celdas = ficha.value.rpartition("!")
        nombre_hoja = hoja_ref.strip("'").replace("''", "'") if hoja_ref else None
        if (nombre_hoja is None and not misma_hoja) or (nombre_hoja is not None and nombre_hoja != titulo):
            continue
        nuevas = [_mover_celda(parte, despues_de, delta) for parte in celdas.split(":")]
        if None in nuevas:
            continue
        texto = ":".join(str(n) for n in nuevas)
        if texto != celdas:
            ficha.value = f"{hoja_ref}!{texto}" if hoja_ref else texto
            cambio = True
    return "=" + "".join(f.value for f in fichas) if cambio else formula


def _mover_celda(parte: str, despues_de: int, delta: int) -> str | None:
    encontrada = _CELDAS.match(parte)
    if not encontrada or not encontrada.group(3):
        return None if not encontrada else parte
    columna, ancla, fila = encontrada.group(1) or "", encontrada.group(2), int(encontrada.group(3))
    return f"{columna}{ancla}{_fila_movida(fila, despues_de, delta)}"
