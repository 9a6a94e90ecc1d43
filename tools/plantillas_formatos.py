"""Builds the project's own templates of the three printable forms (layers/common/monitor/formatos/plantillas/)
from the names of `monitor.formatos.campos`, laid out like the shop's paper forms. Deterministic: the same
code gives the same bytes (fixed workbook properties, fixed zip timestamps), and a test fails when the
committed files differ from what this builds.

    .venv/bin/python tools/plantillas_formatos.py          # rewrites the three files
    .venv/bin/python tools/plantillas_formatos.py --revisar # exit 1 if a committed file is out of date
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ / "layers" / "common"))

from openpyxl import Workbook  # noqa: E402
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # noqa: E402
from openpyxl.workbook.defined_name import DefinedName  # noqa: E402
from openpyxl.worksheet.worksheet import Worksheet  # noqa: E402

from monitor.formatos import campos  # noqa: E402
from monitor.formatos.campos import Definicion, Formato, Nombre  # noqa: E402

DESTINO = RAIZ / "layers" / "common" / "monitor" / "formatos" / "plantillas"
FECHA_FIJA = datetime(2024, 1, 1)
ZIP_FIJO = (2024, 1, 1, 0, 0, 0)

_FINA = Side(style="thin", color="808080")
BORDE = Border(left=_FINA, right=_FINA, top=_FINA, bottom=_FINA)
RELLENO_ETIQUETA = PatternFill("solid", fgColor="E7EEF5")
RELLENO_SECCION = PatternFill("solid", fgColor="1F4E79")
NEGRITA = Font(bold=True, size=9)
NORMAL = Font(size=9)
SECCION = Font(bold=True, color="FFFFFF", size=10)
TITULO = Font(bold=True, size=14)
CENTRO = Alignment(horizontal="center", vertical="center")
IZQUIERDA = Alignment(horizontal="left", vertical="center", wrap_text=True)
COLUMNAS = 8


class Hoja:
    """A form sheet drawn top to bottom: sections, label/value pairs, tables. Every value cell gets its name."""

    def __init__(self, libro: Workbook, definicion: Definicion, anchos: Sequence[float]) -> None:
        self.libro = libro
        self.definicion = definicion
        self.nombres = {n.nombre: n for n in definicion.nombres()}
        self.hoja: Worksheet = libro.active  # type: ignore[assignment]
        self.hoja.title = definicion.titulo[:31]
        self.fila = 1
        self.ancho = len(anchos)
        for indice, ancho in enumerate(anchos, start=1):
            self.hoja.column_dimensions[_letra(indice)].width = ancho

    def nombrar(self, nombre: str, fila: int, col: int, hasta_col: int | None = None) -> None:
        assert nombre in self.nombres, nombre
        fin = f":${_letra(hasta_col)}${fila}" if hasta_col and hasta_col != col else ""
        referencia = f"'{self.hoja.title}'!${_letra(col)}${fila}{fin}"
        self.libro.defined_names.add(DefinedName(nombre, attr_text=referencia))

    def celda(self, fila: int, col: int, valor: object = None, *, hasta: int | None = None, **estilo: object) -> None:
        if hasta and hasta > col:
            self.hoja.merge_cells(start_row=fila, start_column=col, end_row=fila, end_column=hasta)
        for c in range(col, (hasta or col) + 1):
            celda = self.hoja.cell(fila, c)
            celda.border = BORDE
            celda.font = estilo.get("fuente", NORMAL)  # type: ignore[assignment]
            celda.alignment = estilo.get("alineacion", IZQUIERDA)  # type: ignore[assignment]
            if "relleno" in estilo:
                celda.fill = estilo["relleno"]  # type: ignore[assignment]
        if valor is not None:
            self.hoja.cell(fila, col).value = valor

    def titulo(self, texto: str) -> None:
        self.hoja.merge_cells(start_row=self.fila, start_column=1, end_row=self.fila, end_column=self.ancho)
        celda = self.hoja.cell(self.fila, 1, texto)
        celda.font = TITULO
        celda.alignment = CENTRO
        self.hoja.row_dimensions[self.fila].height = 24
        self.fila += 2

    def seccion(self, texto: str) -> None:
        self.celda(self.fila, 1, texto.upper(), hasta=self.ancho, fuente=SECCION, relleno=RELLENO_SECCION)
        self.fila += 1

    def pares(self, nombres: Sequence[str | None], *, por_fila: int = 2) -> None:
        """Label/value pairs, `por_fila` to a row; a value spans what the row leaves to it."""
        tramo = self.ancho // por_fila
        for inicio in range(0, len(nombres), por_fila):
            for posicion, nombre in enumerate(nombres[inicio : inicio + por_fila]):
                if nombre is None:
                    continue
                col = 1 + posicion * tramo
                self.celda(self.fila, col, self.nombres[nombre].etiqueta, fuente=NEGRITA, relleno=RELLENO_ETIQUETA)
                self.celda(self.fila, col + 1, hasta=col + tramo - 1)
                self.nombrar(nombre, self.fila, col + 1, col + tramo - 1)
            self.fila += 1

    def marcas(self, nombres: Sequence[str], *, por_fila: int = 2) -> None:
        """Check boxes: an X cell, then its label."""
        tramo = self.ancho // por_fila
        for inicio in range(0, len(nombres), por_fila):
            for posicion, nombre in enumerate(nombres[inicio : inicio + por_fila]):
                col = 1 + posicion * tramo
                self.celda(self.fila, col, alineacion=CENTRO, fuente=NEGRITA)
                self.nombrar(nombre, self.fila, col)
                self.celda(self.fila, col + 1, self.nombres[nombre].etiqueta, hasta=col + tramo - 1)
            self.fila += 1

    def texto_largo(self, nombre: str, filas: int = 3) -> None:
        self.celda(self.fila, 1, self.nombres[nombre].etiqueta, fuente=NEGRITA, relleno=RELLENO_ETIQUETA)
        self.hoja.merge_cells(start_row=self.fila, start_column=2, end_row=self.fila + filas - 1, end_column=self.ancho)
        for f in range(self.fila, self.fila + filas):
            for c in range(2, self.ancho + 1):
                self.hoja.cell(f, c).border = BORDE
        celda = self.hoja.cell(self.fila, 2)
        celda.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        celda.font = NORMAL
        self.nombrar(nombre, self.fila, 2)
        self.fila += filas

    def cerrar(self, *, titulos: tuple[int, int] | None = None) -> None:
        """Letter paper, one page wide, the form's own print area (and title rows repeated on every page)."""
        hoja = self.hoja
        hoja.print_area = f"A1:{_letra(self.ancho)}{self.fila - 1}"
        if titulos:
            hoja.print_title_rows = f"{titulos[0]}:{titulos[1]}"
        hoja.page_setup.paperSize = hoja.PAPERSIZE_LETTER
        hoja.page_setup.orientation = "portrait"
        hoja.page_setup.fitToWidth = 1
        hoja.page_setup.fitToHeight = 0
        hoja.sheet_properties.pageSetUpPr.fitToPage = True
        hoja.print_options.horizontalCentered = True
        hoja.page_margins.left = hoja.page_margins.right = 0.4
        hoja.page_margins.top = hoja.page_margins.bottom = 0.5
        hoja.oddFooter.center.text = "Página &P de &N"
        hoja.sheet_view.showGridLines = False


def _letra(columna: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(columna))


def _impreso(hoja: Hoja) -> None:
    hoja.fila += 1
    hoja.pares(["impreso_fecha", "impreso_hora"])


def expediente() -> Workbook:
    libro = Workbook()
    hoja = Hoja(libro, campos.EXPEDIENTE, [16, 14, 14, 14, 16, 14, 14, 14])
    hoja.titulo("EXPEDIENTE DE REPARACIÓN")
    hoja.pares(["no_siniestro", "estado"])
    hoja.seccion("Datos del siniestro")
    hoja.pares(["aseguradora", "ubicacion_almacenamiento", "factura", "orden", "asesor", "tecnico", "mecanico"])
    hoja.seccion("Fechas")
    fechas = ["fecha_ingreso", "fecha_valuacion", "fecha_autorizacion", "fecha_pzas_completas", "unidad_terminada"]
    hoja.pares([*fechas, "fecha_entrega"])
    hoja.seccion("Vehículo")
    hoja.pares(["marca", "modelo", "tipo", "color", "placas", None])
    hoja.texto_largo("vehiculo", 2)
    hoja.seccion("Cliente")
    hoja.pares(["nombre_cliente", "telefono_cliente", "correo_cliente"])
    hoja.seccion("Seguimiento al cliente")
    for col, texto, hasta in ((1, "Paso", 1), (2, "Descripción", 6), (7, "Fecha", 7), (8, "Hora", 8)):
        hoja.celda(hoja.fila, col, texto, hasta=hasta, fuente=NEGRITA, relleno=RELLENO_ETIQUETA, alineacion=CENTRO)
    hoja.fila += 1
    for paso in campos.PASOS_SEGUIMIENTO:
        hoja.celda(hoja.fila, 1, paso, alineacion=CENTRO)
        hoja.celda(hoja.fila, 2, hasta=6)
        hoja.nombrar(f"dato{paso}", hoja.fila, 2, 6)
        hoja.celda(hoja.fila, 7, alineacion=CENTRO)
        hoja.nombrar(f"dato{paso}_fecha", hoja.fila, 7)
        hoja.celda(hoja.fila, 8, alineacion=CENTRO)
        hoja.nombrar(f"dato{paso}_hora", hoja.fila, 8)
        hoja.hoja.row_dimensions[hoja.fila].height = 30
        hoja.fila += 1
    hoja.seccion("Seguimiento de la aseguradora")
    hoja.pares(["comentarios_aseguradora_fecha", "comentarios_aseguradora_hora"])
    hoja.texto_largo("comentarios_aseguradora", 3)
    hoja.seccion("Documentos (X = recibido)")
    hoja.marcas([campo for campo, _ in campos.DOCUMENTOS])
    hoja.seccion("Observaciones")
    hoja.texto_largo("observaciones", 4)
    hoja.seccion("Registro")
    hoja.pares(["creado_fecha", "creado_hora", "actualizado_fecha", "actualizado_hora"])
    _impreso(hoja)
    hoja.cerrar()
    return libro


def checklist() -> Workbook:
    libro = Workbook()
    hoja = Hoja(libro, campos.CHECKLIST, [6, 16, 16, 16, 16, 8, 8, 8, 8])
    ancho = hoja.ancho
    hoja.titulo("CHECKLIST DE SALIDA")
    hoja.pares(["no_siniestro", "fecha_inspeccion", "hora", "inspeccionado_por", "ubicacion", "marca_tipo"])
    hoja.pares(["anio", "serie", "seguro", "fecha_vencimiento_seguro", "deducible", "demerito"])
    hoja.seccion("Asignación")
    hoja.pares(["carroceo_asignado", "mecanico_asignado", "pintor", "area_detallado"])
    hoja.marcas(["aprobada", "detallado"])
    hoja.texto_largo("areas_danadas", 2)
    hoja.seccion("Resumen")
    hoja.pares(["resumen_ok", "resumen_re", "resumen_ma", "resumen_na", "resumen_sin_revisar", None])
    hoja.seccion("Puntos de inspección (X en la columna de su valor)")
    encabezado = hoja.fila
    hoja.celda(encabezado, 1, "No.", fuente=NEGRITA, relleno=RELLENO_ETIQUETA, alineacion=CENTRO)
    hoja.celda(encabezado, 2, "Punto", hasta=5, fuente=NEGRITA, relleno=RELLENO_ETIQUETA)
    for indice, valor in enumerate(campos.VALORES_CHECKLIST):
        hoja.celda(encabezado, 6 + indice, valor, fuente=NEGRITA, relleno=RELLENO_ETIQUETA, alineacion=CENTRO)
    hoja.fila += 1
    grupo = hoja.fila  # the model of a system's heading row
    hoja.celda(grupo, 1, hasta=ancho, fuente=NEGRITA, relleno=RELLENO_ETIQUETA)
    hoja.nombrar("puntos_sistema", grupo, 1, ancho)
    hoja.nombrar("sistema_nombre", grupo, 1)
    punto = grupo + 1  # the model of a point's row
    hoja.celda(punto, 1, alineacion=CENTRO)
    hoja.nombrar("punto_numero", punto, 1)
    hoja.celda(punto, 2, hasta=5)
    hoja.nombrar("punto_nombre", punto, 2)
    for indice, valor in enumerate(campos.VALORES_CHECKLIST):
        hoja.celda(punto, 6 + indice, alineacion=CENTRO, fuente=NEGRITA)
        hoja.nombrar(f"punto_{valor.lower()}", punto, 6 + indice)
    hoja.nombrar("puntos", punto, 1, ancho)
    hoja.fila = punto + 2
    hoja.seccion("Entrega")
    hoja.pares(["lugar_entrega", "fecha_entrega", "nombre_quien_recibe", "firma_quien_recibe"])
    hoja.texto_largo("observaciones_adicionales", 3)
    _impreso(hoja)
    hoja.cerrar(titulos=(encabezado, encabezado))
    return libro


def levantamiento() -> Workbook:
    libro = Workbook()
    hoja = Hoja(libro, campos.LEVANTAMIENTO, [6, 14, 14, 14, 14, 14, 14, 16])
    hoja.titulo("LEVANTAMIENTO DE DAÑOS")
    hoja.pares(["no_siniestro", "fecha", "orden", "asegurado_tercero"])
    hoja.seccion("Vehículo")
    hoja.pares(["marca", "tipo", "modelo", "placas", "color", "serie", "eco", "kilometraje", "no_puertas", None])
    hoja.seccion("Propietario")
    hoja.pares(["nombre_propietario", "telefono", "direccion", "pega"])
    hoja.seccion("Condiciones de la unidad (X = bien)")
    hoja.marcas([campo for campo, _ in campos.CONDICIONES])
    hoja.seccion("Conceptos")
    encabezado = hoja.fila
    for col, texto, hasta in ((1, "No.", 1), (2, "Claves", 2), (3, "Concepto", 7), (8, "Costo", 8)):
        hoja.celda(encabezado, col, texto, hasta=hasta, fuente=NEGRITA, relleno=RELLENO_ETIQUETA, alineacion=CENTRO)
    hoja.fila += 1
    modelo = hoja.fila
    hoja.celda(modelo, 1, alineacion=CENTRO)
    hoja.nombrar("concepto_numero", modelo, 1)
    hoja.celda(modelo, 2)
    hoja.nombrar("concepto_claves", modelo, 2)
    hoja.celda(modelo, 3, hasta=7)
    hoja.nombrar("concepto_descripcion", modelo, 3)
    hoja.celda(modelo, 8, alineacion=Alignment(horizontal="right", vertical="center"))
    hoja.nombrar("concepto_costo", modelo, 8)
    hoja.nombrar("conceptos", modelo, 1, hoja.ancho)
    hoja.fila = modelo + 1
    derecha = Alignment(horizontal="right", vertical="center")
    for nombre in ("subtotal", "tasa_iva", "iva", "total"):
        etiqueta = hoja.nombres[nombre].etiqueta
        hoja.celda(hoja.fila, 6, etiqueta, hasta=7, fuente=NEGRITA, relleno=RELLENO_ETIQUETA, alineacion=derecha)
        hoja.celda(hoja.fila, 8, alineacion=derecha, fuente=NEGRITA if nombre == "total" else NORMAL)
        hoja.nombrar(nombre, hoja.fila, 8)
        hoja.fila += 1
    _impreso(hoja)
    hoja.cerrar(titulos=(encabezado, encabezado))
    return libro


CONSTRUCTORES = {Formato.EXPEDIENTE: expediente, Formato.CHECKLIST: checklist, Formato.LEVANTAMIENTO: levantamiento}


def construir(formato: Formato) -> bytes:
    """The template's bytes, the same on every run."""
    libro = CONSTRUCTORES[formato]()
    libro.properties.creator = "Monitor"
    libro.properties.title = campos.DEFINICIONES[formato].titulo
    libro.properties.created = FECHA_FIJA
    crudo = io.BytesIO()
    libro.save(crudo)
    return _fijo(crudo.getvalue())


def _fijo(datos: bytes) -> bytes:
    """The same zip with fixed timestamps (entries and the core properties openpyxl stamps on save)."""
    salida = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(datos)) as origen, zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED) as destino:
        for info in origen.infolist():
            contenido = origen.read(info.filename)
            if info.filename == "docProps/core.xml":
                contenido = _sin_fecha_de_guardado(contenido)
            entrada = zipfile.ZipInfo(info.filename, date_time=ZIP_FIJO)
            entrada.compress_type = zipfile.ZIP_DEFLATED
            entrada.external_attr = 0o600 << 16
            destino.writestr(entrada, contenido, compresslevel=9)
    return salida.getvalue()


def _sin_fecha_de_guardado(core: bytes) -> bytes:
    import re

    fija = FECHA_FIJA.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + fija + rb"\g<2>", core)


def archivo(formato: Formato) -> Path:
    return DESTINO / f"{formato.value}.xlsx"


def contenido(datos: bytes) -> dict[str, bytes]:
    """Every part of a package, uncompressed: what two builds must share (deflate itself may differ between
    zlib builds; the parts never do)."""
    with zipfile.ZipFile(io.BytesIO(datos)) as paquete:
        return {nombre: paquete.read(nombre) for nombre in paquete.namelist()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--revisar", action="store_true", help="no escribe; falla si un archivo no está al día")
    args = parser.parse_args(argv)
    desactualizados = []
    for formato in Formato:
        datos = construir(formato)
        destino = archivo(formato)
        if args.revisar:
            if not destino.is_file() or contenido(destino.read_bytes()) != contenido(datos):
                desactualizados.append(destino.name)
            continue
        destino.parent.mkdir(parents=True, exist_ok=True)
        destino.write_bytes(datos)
        print(f"{destino.relative_to(RAIZ)}: {len(datos)} bytes")
    if desactualizados:
        print(f"Desactualizadas: {', '.join(desactualizados)} (ejecute tools/plantillas_formatos.py)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["Nombre", "construir", "contenido"]
