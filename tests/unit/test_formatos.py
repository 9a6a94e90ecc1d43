"""The printable forms without AWS: how each kind of value prints, which names each form has, the committed
templates against their builder, and the filler (blocks that grow, what moves below them, images kept, text
that stays text, refused uploads)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.drawing.image import Image
from openpyxl.workbook.defined_name import DefinedName

from monitor.core.dates import zona as zona_del_taller
from monitor.core.settings import settings
from monitor.expedientes.campos import CAMPOS_SALIDA
from monitor.formatos import campos, llenado, plantilla, valores
from monitor.formatos.campos import Formato, Tipo
from monitor.formatos.datos import Datos, Fila
from tests.apoyo import lectura_xlsx
from tools import plantillas_formatos

LEV = campos.LEVANTAMIENTO


@pytest.fixture
def zona(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Sets the shop's time zone for one test."""

    def poner(nombre: str) -> None:
        monkeypatch.setenv("MONITOR_ZONA_HORARIA", nombre)
        settings.cache_clear()

    yield poner
    monkeypatch.delenv("MONITOR_ZONA_HORARIA", raising=False)
    settings.cache_clear()


# ---------------------------------------------------------------- how values print
def test_the_default_zone_is_mexico_city() -> None:
    assert str(zona_del_taller()) == "America/Mexico_City"


@pytest.mark.parametrize("nombre", ["America/Mexico_City", "Pacific/Kiritimati", "Pacific/Pago_Pago", "UTC"])
def test_a_date_stored_at_noon_utc_prints_as_that_day_in_any_zone(zona: Any, nombre: str) -> None:
    zona(nombre)
    assert valores.celda(Tipo.FECHA, "2024-03-15T12:00:00.000Z") == (date(2024, 3, 15), "DD/MM/YYYY")


def test_a_timestamp_near_midnight_prints_the_shops_day_and_hour(zona: Any) -> None:
    zona("America/Mexico_City")
    # 05:30 UTC on the 16th is 23:30 on the 15th in Mexico City (UTC-6).
    assert valores.celda(Tipo.FECHA_LOCAL, "2024-03-16T05:30:00.000Z") == (date(2024, 3, 15), "DD/MM/YYYY")
    assert valores.celda(Tipo.HORA_LOCAL, "2024-03-16T05:30:00.000Z") == (time(23, 30), "HH:MM")
    # And a minute after local midnight is already the next day.
    assert valores.celda(Tipo.FECHA_LOCAL, "2024-03-16T06:01:00.000Z")[0] == date(2024, 3, 16)
    zona("Europe/Madrid")
    assert valores.celda(Tipo.FECHA_LOCAL, "2024-03-16T05:30:00.000Z")[0] == date(2024, 3, 16)


def test_a_date_field_sent_as_a_full_instant_prints_the_shops_day(zona: Any) -> None:
    zona("America/Mexico_City")
    assert valores.celda(Tipo.FECHA, "2024-03-16T03:00:00.000Z")[0] == date(2024, 3, 15)


def test_times_money_marks_and_numbers() -> None:
    assert valores.celda(Tipo.HORA, "07:05") == (time(7, 5), "HH:MM")
    assert valores.celda(Tipo.HORA, "25:00") == (None, "HH:MM")
    assert valores.celda(Tipo.DINERO, Decimal("1234567.5")) == (Decimal("1234567.50"), "#,##0.00")
    assert valores.celda(Tipo.DINERO, 0) == (Decimal("0.00"), "#,##0.00")
    assert valores.celda(Tipo.MARCA, True) == ("X", None)
    assert valores.celda(Tipo.MARCA, False) == (None, None)
    assert valores.celda(Tipo.ENTERO, Decimal("120000")) == (120000, "#,##0")
    assert valores.celda(Tipo.TASA, Decimal("0.16")) == (Decimal("0.16"), "0.00%")
    for tipo in Tipo:
        assert valores.celda(tipo, None)[0] is None


def test_text_loses_the_characters_xml_cannot_carry() -> None:
    assert valores.celda(Tipo.TEXTO, "Peña\x00\x07 \u00e9\ttab") == ("Peña é\ttab", None)
    assert len(valores.celda(Tipo.TEXTO, "x" * 40_000)[0]) == valores.MAX_TEXTO


# ---------------------------------------------------------------- the forms' names
_NOMBRE_EXCEL = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")
_PARECE_CELDA = re.compile(r"^[A-Za-z]{1,3}\d+$")


@pytest.mark.parametrize("formato", list(Formato))
def test_names_are_valid_excel_names_and_unique(formato: Formato) -> None:
    nombres = [n.nombre for n in campos.DEFINICIONES[formato].nombres()]
    assert len(nombres) == len(set(nombres))
    for nombre in nombres:
        assert _NOMBRE_EXCEL.match(nombre), nombre
        assert not _PARECE_CELDA.match(nombre), nombre


def test_every_field_of_the_expediente_is_printed() -> None:
    impresos = {n.campo for n in campos.EXPEDIENTE.campos}
    faltan = set(CAMPOS_SALIDA) - impresos - campos.NO_IMPRESOS_EXPEDIENTE
    assert not faltan, f"Campos del expediente sin nombre en el formato: {sorted(faltan)}"
    assert {"tecnico", "unidad_terminada", "fecha_entrega", "id_aseguradora"} <= impresos | {"id_aseguradora"}
    assert {f"dato{n}_fecha_hora" for n in range(1, 5)} <= impresos


def test_every_field_of_the_checklist_and_the_survey_is_printed() -> None:
    from monitor.checklists.campos import CAMPOS as CAMPOS_CHECKLIST
    from monitor.levantamientos.campos import CAMPOS as CAMPOS_LEVANTAMIENTO

    assert set(CAMPOS_CHECKLIST) <= {n.campo for n in campos.CHECKLIST.campos}
    assert set(CAMPOS_LEVANTAMIENTO) <= {n.campo for n in campos.LEVANTAMIENTO.campos}
    assert {"totales.subtotal", "totales.iva", "totales.total"} <= {n.campo for n in campos.LEVANTAMIENTO.campos}


def test_an_unknown_form_is_none() -> None:
    assert campos.definicion("factura") is None
    assert campos.definicion("checklist") is campos.CHECKLIST


# ---------------------------------------------------------------- the committed templates
def test_committed_templates_are_what_the_builder_makes() -> None:
    assert plantillas_formatos.main(["--revisar"]) == 0


def test_the_builder_is_deterministic() -> None:
    for formato in Formato:
        assert plantillas_formatos.construir(formato) == plantillas_formatos.construir(formato)


@pytest.mark.parametrize("formato", list(Formato))
def test_our_templates_hold_every_name_of_their_form(formato: Formato) -> None:
    libro = llenado.abrir(plantilla.propia(formato))
    revision = llenado.revisar(libro, campos.DEFINICIONES[formato])
    assert revision.valida, revision
    assert set(campos.DEFINICIONES[formato].obligatorios()) <= set(libro.defined_names)
    hoja = libro.worksheets[0]
    assert hoja.print_area
    assert hoja.page_setup.fitToWidth == 1


# ---------------------------------------------------------------- filling
def _conceptos(cuantos: int) -> list[Fila]:
    return [
        Fila(
            {
                "concepto_numero": i,
                "concepto_claves": f"K-{i}",
                "concepto_descripcion": f"Concepto {i}",
                "concepto_costo": Decimal(i) * Decimal("1000.25"),
            }
        )
        for i in range(1, cuantos + 1)
    ]


def _datos_levantamiento(cuantos: int, **campos_: Any) -> Datos:
    base = {n.nombre: None for n in LEV.campos} | {"no_siniestro": "SIN-1", "subtotal": Decimal("10.00")}
    return Datos(base | campos_, {"conceptos": _conceptos(cuantos)})


def test_three_hundred_line_items_all_print_and_the_totals_land_under_the_last() -> None:
    original = llenado.abrir(plantilla.propia(Formato.LEVANTAMIENTO))
    _, _, fila_modelo, _, _ = lectura_xlsx.area(original, "conceptos")
    _, _, fila_subtotal, _, _ = lectura_xlsx.area(original, "subtotal")
    impreso_antes = lectura_xlsx.area(original, "impreso_fecha")[2]

    salida = llenado.llenar(plantilla.propia(Formato.LEVANTAMIENTO), LEV, _datos_levantamiento(300))

    wb = lectura_xlsx.libro(salida)
    descripciones = lectura_xlsx.columna(wb, "concepto_descripcion")
    costos = lectura_xlsx.columna(wb, "concepto_costo")
    assert [c.valor for c in descripciones] == [f"Concepto {i}" for i in range(1, 301)]
    assert [c.valor for c in lectura_xlsx.columna(wb, "concepto_claves")] == [f"K-{i}" for i in range(1, 301)]
    assert [c.valor for c in lectura_xlsx.columna(wb, "concepto_numero")] == list(range(1, 301))
    assert [Decimal(str(c.valor)) for c in costos] == [Decimal(i) * Decimal("1000.25") for i in range(1, 301)]
    assert {c.formato for c in costos} == {"#,##0.00"}
    assert descripciones[0].fila == fila_modelo
    assert descripciones[-1].fila == fila_modelo + 299
    subtotal = lectura_xlsx.celda(wb, "subtotal")
    assert subtotal.fila == fila_subtotal + 299 == descripciones[-1].fila + 1
    assert (subtotal.valor, subtotal.formato) == (10, "#,##0.00")
    assert lectura_xlsx.area(wb, "impreso_fecha")[2] == impreso_antes + 299
    hoja = wb.worksheets[0]
    assert hoja.print_area.endswith(f"$H${impreso_antes + 299}")
    # Every printed row keeps the model row's merge (concept across C:G) and the label beside the totals moved.
    assert all(f"C{f}:G{f}" in hoja.merged_cells for f in range(fila_modelo, fila_modelo + 300))
    assert hoja.cell(subtotal.fila, 6).value == "Subtotal"
    lectura_xlsx.paquete_valido(salida)


def test_no_line_items_leave_one_empty_row_and_the_totals_where_they_were() -> None:
    original = llenado.abrir(plantilla.propia(Formato.LEVANTAMIENTO))
    fila_subtotal = lectura_xlsx.area(original, "subtotal")[2]

    wb = lectura_xlsx.libro(llenado.llenar(plantilla.propia(Formato.LEVANTAMIENTO), LEV, _datos_levantamiento(0)))

    assert [c.valor for c in lectura_xlsx.columna(wb, "concepto_descripcion")] == [None]
    assert lectura_xlsx.celda(wb, "subtotal").fila == fila_subtotal


def test_text_that_looks_like_a_formula_stays_text() -> None:
    salida = llenado.llenar(
        plantilla.propia(Formato.LEVANTAMIENTO),
        LEV,
        _datos_levantamiento(1, nombre_propietario='=HYPERLINK("http://x.example","clic")'),
    )
    escrita = lectura_xlsx.celda(lectura_xlsx.libro(salida), "nombre_propietario")
    assert (escrita.valor, escrita.tipo) == ('=HYPERLINK("http://x.example","clic")', "s")
    with zipfile.ZipFile(io.BytesIO(salida)) as paquete:
        assert b"<f>" not in paquete.read("xl/worksheets/sheet1.xml")


def _png() -> bytes:
    from PIL import Image as PilImage

    salida = io.BytesIO()
    PilImage.new("RGB", (40, 20), (200, 30, 30)).save(salida, format="PNG")
    return salida.getvalue()


def _plantilla_del_taller(*, sin: tuple[str, ...] = (), imagen: bool = True) -> bytes:
    """A survey template laid out differently from ours: two sheets, a logo above and one below the block, a
    formula that refers below the block, a conditional format and a validation below it."""
    libro = Workbook()
    hoja = libro.active
    hoja.title = "Levantamiento"
    otra = libro.create_sheet("Notas")
    hoja["A1"] = "TALLER EL RAYO"
    fila = 3
    for nombre in LEV.campos:
        hoja.cell(fila, 1, nombre.etiqueta)
        libro.defined_names.add(DefinedName(nombre.nombre, attr_text=f"Levantamiento!$B${fila}"))
        fila += 1
    modelo = fila + 1
    for columna, nombre in enumerate(("concepto_claves", "concepto_descripcion", "concepto_costo"), start=1):
        libro.defined_names.add(DefinedName(nombre, attr_text=f"Levantamiento!${'ABC'[columna - 1]}${modelo}"))
    libro.defined_names.add(DefinedName("conceptos", attr_text=f"Levantamiento!$A${modelo}:$C${modelo}"))
    abajo = modelo + 2
    hoja.cell(abajo, 1, "Firma")
    hoja.cell(abajo, 2, f"=B{abajo + 1}*2")
    hoja.cell(abajo + 1, 2, 21)
    otra["A1"] = f"=Levantamiento!B{abajo + 1}+1"
    hoja.merge_cells(f"A{abajo + 2}:C{abajo + 2}")
    hoja.conditional_formatting.add(
        f"B{abajo + 1}", __import__("openpyxl").formatting.rule.CellIsRule(operator="greaterThan", formula=["0"])
    )
    from openpyxl.worksheet.datavalidation import DataValidation

    validacion = DataValidation(type="whole")
    validacion.add(f"B{abajo + 1}")
    hoja.add_data_validation(validacion)
    if imagen:
        logo = Image(io.BytesIO(_png()))
        hoja.add_image(logo, "E1")
        sello = Image(io.BytesIO(_png()))
        hoja.add_image(sello, f"E{abajo}")
    for nombre in sin:
        del libro.defined_names[nombre]
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


def test_a_shop_template_keeps_its_images_and_what_is_below_the_block_moves_whole() -> None:
    datos = _plantilla_del_taller()
    antes = load_workbook(io.BytesIO(datos))
    abajo = lectura_xlsx.area(antes, "conceptos")[2] + 2

    salida = llenado.llenar(datos, LEV, _datos_levantamiento(50))

    wb = lectura_xlsx.libro(salida)
    hoja, otra = wb["Levantamiento"], wb["Notas"]
    assert [c.valor for c in lectura_xlsx.columna(wb, "concepto_descripcion")] == [
        f"Concepto {i}" for i in range(1, 51)
    ]
    assert len(hoja._images) == 2
    filas = sorted(img.anchor._from.row + 1 for img in hoja._images)
    assert filas == [1, abajo + 49]  # the logo above stays, the stamp below moved with the rows
    assert hoja.cell(abajo + 49, 1).value == "Firma"
    assert hoja.cell(abajo + 49, 2).value == f"=B{abajo + 50}*2"
    assert otra["A1"].value == f"=Levantamiento!B{abajo + 50}+1"
    assert f"A{abajo + 51}:C{abajo + 51}" in hoja.merged_cells
    assert [str(r.sqref) for r in hoja.conditional_formatting] == [f"B{abajo + 50}"]
    assert str(hoja.data_validations.dataValidation[0].sqref) == f"B{abajo + 50}"
    with zipfile.ZipFile(io.BytesIO(salida)) as paquete:
        assert sum(n.startswith("xl/media/") for n in paquete.namelist()) == 2
    lectura_xlsx.paquete_valido(salida)


def test_a_template_missing_names_is_refused_naming_them() -> None:
    libro = llenado.abrir(_plantilla_del_taller(sin=("total", "concepto_costo")))
    revision = llenado.revisar(libro, LEV)
    assert sorted(revision.faltantes) == ["concepto_costo", "total"]


def test_a_column_outside_its_block_row_is_refused() -> None:
    libro = llenado.abrir(_plantilla_del_taller())
    libro.defined_names["concepto_costo"].value = "Levantamiento!$C$2"
    assert llenado.revisar(libro, LEV).errores == ["concepto_costo debe estar en la fila de conceptos"]


def test_a_name_pointing_nowhere_is_refused() -> None:
    libro = llenado.abrir(_plantilla_del_taller())
    libro.defined_names["total"].value = "#REF!"
    assert llenado.revisar(libro, LEV).errores == ["total no apunta a celdas de una hoja del libro"]


def test_names_are_found_whatever_their_case_and_at_sheet_scope() -> None:
    libro = llenado.abrir(_plantilla_del_taller())
    definido = libro.defined_names.pop("total")
    libro.worksheets[0].defined_names.add(DefinedName("TOTAL", attr_text=definido.value))
    revision = llenado.revisar(libro, LEV)
    assert revision.valida, revision


def _zip(partes: dict[str, bytes], *, comprimir: int = zipfile.ZIP_DEFLATED) -> bytes:
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", comprimir) as paquete:
        for nombre, contenido in partes.items():
            paquete.writestr(nombre, contenido)
    return salida.getvalue()


_NO_LIBROS = {
    "pdf": (lambda: b"%PDF-1.7 not a workbook", "no es un libro de Excel"),
    "vacio": (lambda: b"", "no es un libro de Excel"),
    "zip-sin-libro": (lambda: _zip({"hola.txt": b"hola"}), "no es un libro de Excel"),
    "xml-roto": (
        lambda: _zip({"xl/workbook.xml": b"<not-xml", "[Content_Types].xml": b"<x/>"}),
        "no es un libro de Excel válido",
    ),
    "bomba": (lambda: _zip({"xl/workbook.xml": b"\0" * (llenado.MAX_DESCOMPRIMIDO + 1)}), "descomprimida excede"),
    "partes": (lambda: _zip({f"p{i}": b"" for i in range(llenado.MAX_PARTES + 1)}), "demasiadas partes"),
    "grande": (lambda: b"PK" + b"\0" * (llenado.MAX_COMPRIMIDO + 1), "excede"),
}


@pytest.mark.parametrize("caso", sorted(_NO_LIBROS))
def test_what_is_not_a_workbook_within_bounds_is_refused_before_openpyxl_reads_it(caso: str) -> None:
    datos, mensaje = _NO_LIBROS[caso]
    with pytest.raises(llenado.PlantillaInvalida, match=mensaje):
        llenado.abrir(datos())


def test_a_part_lying_about_its_size_never_inflates_past_what_it_declared() -> None:
    bomba = bytearray(_zip({"xl/workbook.xml": b"\0" * 1_000_000}))
    # Declare 10 bytes in both headers: zipfile stops there and the CRC check fails.
    for firma, desplazamiento in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        posicion = bomba.index(firma)
        bomba[posicion + desplazamiento : posicion + desplazamiento + 4] = (10).to_bytes(4, "little")
    with pytest.raises(llenado.PlantillaInvalida):
        llenado.abrir(bytes(bomba))


def test_the_trial_fill_of_an_upload_uses_every_name() -> None:
    for formato in Formato:
        definicion = campos.DEFINICIONES[formato]
        ejemplo = plantilla.ejemplo(definicion)
        assert set(ejemplo.campos) == {n.nombre for n in definicion.campos}
        lectura_xlsx.paquete_valido(llenado.llenar(plantilla.propia(formato), definicion, ejemplo))


def test_the_checklist_grid_puts_a_heading_before_each_system() -> None:
    filas = [
        Fila({"sistema_nombre": "MOTOR"}, grupo=True),
        Fila({"punto_nombre": "Aceite", "punto_ok": True}),
        Fila({"punto_nombre": "Filtro", "punto_na": True}),
        Fila({"sistema_nombre": "CABINA"}, grupo=True),
        Fila({"punto_nombre": "Radio", "punto_ma": True}),
    ]
    salida = llenado.llenar(plantilla.propia(Formato.CHECKLIST), campos.CHECKLIST, Datos({}, {"puntos": filas}))
    wb = lectura_xlsx.libro(salida)
    hoja, _, primera, _, ultima = lectura_xlsx.area(wb, "puntos")
    columnas = {v: lectura_xlsx.area(wb, f"punto_{v.lower()}")[1] for v in campos.VALORES_CHECKLIST}
    nombre = lectura_xlsx.area(wb, "punto_nombre")[1]
    assert ultima - primera == 4
    vistas = [
        (hoja.cell(f, 1).value, hoja.cell(f, nombre).value, [v for v, c in columnas.items() if hoja.cell(f, c).value])
        for f in range(primera, ultima + 1)
    ]
    assert vistas == [
        ("MOTOR", None, []),
        (None, "Aceite", ["OK"]),
        (None, "Filtro", ["NA"]),
        ("CABINA", None, []),
        (None, "Radio", ["MA"]),
    ]
    assert f"A{primera}:I{primera}" in hoja.merged_cells
    assert f"B{primera + 1}:E{primera + 1}" in hoja.merged_cells


def test_plantillas_folder_holds_only_the_three_templates() -> None:
    carpeta = Path(plantilla.DIRECTORIO)
    assert sorted(p.name for p in carpeta.iterdir()) == sorted(f"{f.value}.xlsx" for f in Formato)


def test_the_docs_list_every_defined_name_of_every_form() -> None:
    documento = (Path(__file__).resolve().parents[2] / "docs" / "formatos.md").read_text(encoding="utf-8")
    faltan = [
        n.nombre for d in campos.DEFINICIONES.values() for n in d.nombres() if f"| `{n.nombre}` |" not in documento
    ]
    assert not faltan, f"docs/formatos.md no lista: {faltan}"
