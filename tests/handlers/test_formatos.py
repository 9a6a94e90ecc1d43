"""The printable forms through their handlers against moto: every printed value of each form checked against
the data, the file under the expediente in S3, the 404s and 400s, and the shop's templates (upload, confirm,
refusals, images, back to ours)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests
from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.workbook.defined_name import DefinedName

from monitor.checklists import catalogo
from monitor.core import dates, jsoncodec, keys, storage, table
from monitor.core.settings import settings
from monitor.formatos import campos, plantilla
from monitor.formatos.campos import Formato
from tests.apoyo import lectura_xlsx

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")

Invocar = Callable[..., dict[str, Any]]
RUTA_FORMATO = "/api/expedientes/{no_siniestro}/formatos/{formato}"
RUTA_PLANTILLA = "/api/formatos/plantillas/{formato}"
MEXICO = ZoneInfo("America/Mexico_City")
XLSX = plantilla.XLSX

EXPEDIENTE = {
    "nombre_cliente": "Juan García Peña",
    "telefono_cliente": "555-100-2000",
    "correo_cliente": "juan@example.com",
    "marca": "Kenworth",
    "modelo": "T680",
    "tipo": "Tractocamión",
    "color": "Blanco",
    "placas": "ABC-123",
    "vehiculo": "Tractocamión con cabina dormitorio",
    "fecha_ingreso": "2024-03-15",
    "fecha_entrega": "2024-04-01",
    "factura": "F-00123",
    "orden": "OT-2024-045",
    "asesor": "María López",
    "tecnico": "Carlos Pérez",
    "mecanico": "Luis Ortega",
    "observaciones": "Daño lateral derecho severo.",
    "fecha_valuacion": "2024-03-18",
    "fecha_autorizacion": "2024-03-20",
    "fecha_pzas_completas": "2024-03-22",
    "unidad_terminada": "2024-03-28",
    # 05:30 UTC on the 16th is 23:30 on the 15th in the shop: the form prints the shop's day and hour.
    "dato1": "Se avisó al cliente de la valuación",
    "dato1_fecha_hora": "2024-03-16T05:30:00.000Z",
    "dato2": "Piezas solicitadas",
    "dato2_fecha_hora": "2024-03-20T16:05:00.000Z",
    "dato3": "Unidad en pintura",
    "dato3_fecha_hora": "2024-03-25T06:00:00.000Z",
    "dato4": "Lista para entrega",
    "dato4_fecha_hora": "2024-03-28T23:59:00.000Z",
    "comentarios_aseguradora": "Autorizado sin deducible",
    "comentarios_aseguradora_fh": "2024-03-20T10:30:00.000Z",
    "doc_orden_admision": True,
    "doc_identificacion": True,
    "doc_tarjeta_circulacion": False,
    "doc_caratula_poliza": True,
    "doc_carta_reparacion": False,
    "doc_comprobante_deducible": None,
    "doc_finiquito": True,
    "doc_encuesta_servicio": None,
    "id_aseguradora": 1,
}


# ---------------------------------------------------------------- helpers
def _crear_expediente(invocar: Invocar, admin: Any, no: str, **cambios: Any) -> dict[str, Any]:
    cuerpo = {"no_siniestro": no, **EXPEDIENTE, **cambios}
    creado = invocar("expedientes_create", "POST", "/api/expedientes", llamante=admin, cuerpo=cuerpo)
    assert creado["statusCode"] == 201, creado["json"]
    return dict(creado["json"])


def _generar(invocar: Invocar, llamante: Any, no: str, formato: str) -> dict[str, Any]:
    return invocar(
        "formatos_get", "GET", RUTA_FORMATO, llamante=llamante, ruta_params={"no_siniestro": no, "formato": formato}
    )


def _descargar(respuesta: dict[str, Any]) -> bytes:
    assert respuesta["statusCode"] == 200, respuesta["json"]
    descarga = requests.get(respuesta["json"]["url"], timeout=10)
    assert descarga.status_code == 200
    assert descarga.headers["Content-Disposition"] == f'attachment; filename="{respuesta["json"]["nombre_archivo"]}"'
    return descarga.content


def _formatos_en_s3(no: str) -> list[str]:
    prefijo = keys.prefijo_expediente_s3(no) + "formatos/"
    listado = storage.cliente().list_objects_v2(Bucket=settings().bucket, Prefix=prefijo)
    return [o["Key"] for o in listado.get("Contents", [])]


def _local(instante: str) -> datetime:
    return datetime.fromisoformat(instante.replace("Z", "+00:00")).astimezone(MEXICO)


def _valores(datos: bytes, nombres: list[str]) -> dict[str, Any]:
    wb = lectura_xlsx.libro(datos)
    return {n: lectura_xlsx.celda(wb, n).valor for n in nombres}


# ---------------------------------------------------------------- the expediente
def test_the_expediente_form_prints_every_field_in_its_cell(
    invocar: Invocar, admin: Any, tecnico: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    no = siniestro()
    creado = _crear_expediente(invocar, admin, no)
    dynamo_requests.reiniciar()

    respuesta = _generar(invocar, tecnico, no, "expediente")

    assert dynamo_requests.llamadas == {"GetItem": 3}  # expediente, insurer, template in use
    archivo = _descargar(respuesta)
    lectura_xlsx.paquete_valido(archivo)
    creado_local, actualizado_local = _local(creado["creado_en"]), _local(creado["actualizado_en"])
    esperado: dict[str, Any] = {
        "no_siniestro": no,
        "estado": "Ingreso",
        "aseguradora": "Qualitas",
        "factura": "F-00123",
        "orden": "OT-2024-045",
        "asesor": "María López",
        "tecnico": "Carlos Pérez",
        "mecanico": "Luis Ortega",
        "ubicacion_almacenamiento": "Local",
        "fecha_ingreso": date(2024, 3, 15),
        "fecha_valuacion": date(2024, 3, 18),
        "fecha_autorizacion": date(2024, 3, 20),
        "fecha_pzas_completas": date(2024, 3, 22),
        "unidad_terminada": date(2024, 3, 28),
        "fecha_entrega": date(2024, 4, 1),
        "marca": "Kenworth",
        "modelo": "T680",
        "tipo": "Tractocamión",
        "color": "Blanco",
        "placas": "ABC-123",
        "vehiculo": "Tractocamión con cabina dormitorio",
        "nombre_cliente": "Juan García Peña",
        "telefono_cliente": "555-100-2000",
        "correo_cliente": "juan@example.com",
        "dato1": "Se avisó al cliente de la valuación",
        "dato1_fecha": date(2024, 3, 15),
        "dato1_hora": time(23, 30),
        "dato2": "Piezas solicitadas",
        "dato2_fecha": date(2024, 3, 20),
        "dato2_hora": time(10, 5),
        "dato3": "Unidad en pintura",
        "dato3_fecha": date(2024, 3, 25),
        "dato3_hora": time(0, 0),
        "dato4": "Lista para entrega",
        "dato4_fecha": date(2024, 3, 28),
        "dato4_hora": time(17, 59),
        "comentarios_aseguradora": "Autorizado sin deducible",
        "comentarios_aseguradora_fecha": date(2024, 3, 20),
        "comentarios_aseguradora_hora": time(4, 30),
        "doc_orden_admision": "X",
        "doc_identificacion": "X",
        "doc_tarjeta_circulacion": None,
        "doc_caratula_poliza": "X",
        "doc_carta_reparacion": None,
        "doc_comprobante_deducible": None,
        "doc_finiquito": "X",
        "doc_encuesta_servicio": None,
        "observaciones": "Daño lateral derecho severo.",
        "creado_fecha": creado_local.date(),
        "creado_hora": time(creado_local.hour, creado_local.minute),
        "actualizado_fecha": actualizado_local.date(),
        "actualizado_hora": time(actualizado_local.hour, actualizado_local.minute),
    }
    nombres = [n.nombre for n in campos.EXPEDIENTE.campos if not n.nombre.startswith("impreso_")]
    assert sorted(esperado) == sorted(nombres)  # every name of the form is checked, none skipped
    wb = lectura_xlsx.libro(archivo)
    for nombre in nombres:
        celda = lectura_xlsx.celda(wb, nombre)
        valor = celda.valor
        if isinstance(esperado[nombre], date) and isinstance(valor, datetime):
            assert (valor.date(), valor.time(), celda.formato) == (esperado[nombre], time(0), "DD/MM/YYYY"), nombre
        elif isinstance(esperado[nombre], time):
            assert (valor, celda.formato) == (esperado[nombre], "HH:MM"), nombre
        else:
            assert valor == esperado[nombre], nombre
    # The file lives under the expediente, tagged for expiry, and the URL is short-lived.
    (clave,) = _formatos_en_s3(no)
    assert clave.endswith(".xlsx")
    etiquetas = storage.cliente().get_object_tagging(Bucket=settings().bucket, Key=clave)["TagSet"]
    assert etiquetas == [{"Key": "monitor-tipo", "Value": "formato"}]
    assert respuesta["json"]["nombre_archivo"].startswith(f"expediente-{no}-")
    assert set(respuesta["json"]) == {"url", "nombre_archivo", "expira_en"}


def test_an_expediente_without_insurer_or_optional_fields_prints_blanks(
    invocar: Invocar, admin: Any, operador: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    no = siniestro()
    minimos = {k: EXPEDIENTE[k] for k in ("nombre_cliente", "telefono_cliente", "marca", "placas", "tipo", "modelo")}
    cuerpo = {"no_siniestro": no, **minimos, "fecha_ingreso": "2024-03-15", "fecha_entrega": "2024-04-01"}
    assert invocar("expedientes_create", "POST", "/api/expedientes", llamante=admin, cuerpo=cuerpo)["statusCode"] == 201
    dynamo_requests.reiniciar()

    archivo = _descargar(_generar(invocar, operador, no, "expediente"))

    assert dynamo_requests.llamadas == {"GetItem": 2}
    leidos = _valores(archivo, ["aseguradora", "tecnico", "unidad_terminada", "dato1_hora", "doc_finiquito"])
    assert leidos == dict.fromkeys(leidos)


def test_deleting_the_expediente_deletes_its_forms(invocar: Invocar, admin: Any, siniestro: Callable[[], str]) -> None:
    no = siniestro()
    _crear_expediente(invocar, admin, no)
    _descargar(_generar(invocar, admin, no, "expediente"))
    assert len(_formatos_en_s3(no)) == 1

    borrado = invocar(
        "expedientes_delete",
        "DELETE",
        "/api/expedientes/{no_siniestro}",
        llamante=admin,
        ruta_params={"no_siniestro": no},
    )

    assert borrado["statusCode"] == 200
    assert _formatos_en_s3(no) == []


# ---------------------------------------------------------------- the exit checklist
CABECERA_CHECKLIST = {
    "fecha_inspeccion": "2024-04-01",
    "hora": "09:05",
    "inspeccionado_por": "Carlos Pérez",
    "ubicacion": "Patio 2",
    "aprobada": True,
    "detallado": False,
    "carroceo_asignado": "Beto",
    "mecanico_asignado": "Carla",
    "pintor": "Diego",
    "area_detallado": "Área 3",
    "marca_tipo": "Kenworth T680",
    "anio": "2019",
    "serie": "1XKYD49X9KJ000001",
    "areas_danadas": "Costado derecho, defensa",
    "seguro": "Asegurado",
    "fecha_vencimiento_seguro": "2025-01-31",
    "deducible": Decimal("15000.50"),
    "demerito": Decimal("1234567.8"),
    "lugar_entrega": "Taller Monitor",
    "fecha_entrega": "2024-04-02T23:30:00-06:00",
    "nombre_quien_recibe": "Juan García",
    "firma_quien_recibe": "J. García",
    "observaciones_adicionales": "Se entrega con tanque a la mitad.",
}


def _poner_checklist(invocar: Invocar, llamante: Any, no: str, cuerpo: dict[str, Any]) -> None:
    r = invocar(
        "checklists_put",
        "PUT",
        "/api/expedientes/{no_siniestro}/checklist",
        llamante=llamante,
        ruta_params={"no_siniestro": no},
        cuerpo=jsoncodec.dumps(cuerpo),
    )
    assert r["statusCode"] in (200, 201), r["json"]


def test_the_checklist_form_puts_each_of_the_122_marks_under_its_value(
    invocar: Invocar, admin: Any, tecnico: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    no = siniestro()
    _crear_expediente(invocar, admin, no)
    puntos = list(catalogo.puntos())
    ciclo = ["OK", "RE", "MA", "NA", None]  # every value, and points left unchecked
    valores = {p: ciclo[i % 5] for i, p in enumerate(puntos)}
    items = [{"sistema": s, "nombre_item": n, "valor": v} for (s, n), v in valores.items()]
    _poner_checklist(invocar, tecnico, no, {**CABECERA_CHECKLIST, "items": items})
    dynamo_requests.reiniciar()

    archivo = _descargar(_generar(invocar, tecnico, no, "checklist"))

    assert dynamo_requests.llamadas == {"GetItem": 2}  # checklist, template in use
    lectura_xlsx.paquete_valido(archivo)
    wb = lectura_xlsx.libro(archivo)
    hoja, _, primera, _, ultima = lectura_xlsx.area(wb, "puntos")
    columnas = {v: lectura_xlsx.area(wb, f"punto_{v.lower()}")[1] for v in campos.VALORES_CHECKLIST}
    col_nombre = lectura_xlsx.area(wb, "punto_nombre")[1]
    sistemas = {s for s, _ in puntos}
    leidos: list[tuple[str, str, str | None]] = []
    sistema = None
    for fila in range(primera, ultima + 1):
        titulo = hoja.cell(fila, 1).value
        if titulo in sistemas and hoja.cell(fila, col_nombre).value is None:
            sistema = titulo
            continue
        marcas = [v for v, c in columnas.items() if hoja.cell(fila, c).value is not None]
        assert all(hoja.cell(fila, columnas[v]).value == "X" for v in marcas)
        assert len(marcas) <= 1, (fila, marcas)
        leidos.append((str(sistema), str(hoja.cell(fila, col_nombre).value), marcas[0] if marcas else None))
    assert leidos == [(s, n, valores[(s, n)]) for s, n in puntos]
    assert len(leidos) == 122
    assert ultima - primera + 1 == 122 + len(sistemas)
    cabecera = _valores(archivo, [n.nombre for n in campos.CHECKLIST.campos])
    assert cabecera | {"impreso_fecha": None, "impreso_hora": None} == {
        "no_siniestro": no,
        "fecha_inspeccion": datetime(2024, 4, 1),
        "hora": time(9, 5),
        "inspeccionado_por": "Carlos Pérez",
        "ubicacion": "Patio 2",
        "aprobada": "X",
        "detallado": None,
        "carroceo_asignado": "Beto",
        "mecanico_asignado": "Carla",
        "pintor": "Diego",
        "area_detallado": "Área 3",
        "marca_tipo": "Kenworth T680",
        "anio": "2019",
        "serie": "1XKYD49X9KJ000001",
        "areas_danadas": "Costado derecho, defensa",
        "seguro": "Asegurado",
        "fecha_vencimiento_seguro": datetime(2025, 1, 31),
        "deducible": 15000.5,
        "demerito": 1234567.8,
        "lugar_entrega": "Taller Monitor",
        "fecha_entrega": datetime(2024, 4, 2),  # 23:30 in the shop: still the 2nd
        "nombre_quien_recibe": "Juan García",
        "firma_quien_recibe": "J. García",
        "observaciones_adicionales": "Se entrega con tanque a la mitad.",
        "resumen_ok": 25,
        "resumen_re": 25,
        "resumen_ma": 24,
        "resumen_na": 24,
        "resumen_sin_revisar": 24,
        "impreso_fecha": None,
        "impreso_hora": None,
    }
    assert lectura_xlsx.celda(wb, "demerito").formato == "#,##0.00"
    assert lectura_xlsx.celda(wb, "impreso_fecha").formato == "DD/MM/YYYY"


def test_no_checklist_is_404_naming_it_and_nothing_is_written(
    invocar: Invocar, admin: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    _crear_expediente(invocar, admin, no)

    respuesta = _generar(invocar, admin, no, "checklist")

    assert (respuesta["statusCode"], respuesta["json"]) == (
        404,
        {"error": "El expediente no tiene checklist de salida"},
    )
    assert _formatos_en_s3(no) == []


# ---------------------------------------------------------------- the damage survey
def _poner_levantamiento(invocar: Invocar, llamante: Any, no: str, cuerpo: dict[str, Any]) -> dict[str, Any]:
    r = invocar(
        "levantamientos_put",
        "PUT",
        "/api/expedientes/{no_siniestro}/levantamiento",
        llamante=llamante,
        ruta_params={"no_siniestro": no},
        cuerpo=jsoncodec.dumps(cuerpo),
    )
    assert r["statusCode"] in (200, 201), r["json"]
    return dict(r["json"])


def test_the_survey_form_prints_all_300_line_items_and_the_totals_under_them(
    invocar: Invocar, admin: Any, tecnico: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    no = siniestro()
    _crear_expediente(invocar, admin, no)
    conceptos = [
        {
            "claves": None if i % 7 == 0 else f"CL-{i}",
            "concepto": f"Reparar pieza {i}",
            "costo": Decimal(i) * Decimal("1234.57"),
        }
        for i in range(1, 301)
    ]
    cabecera = {
        "fecha": "2024-03-16",
        "orden": "OT-9",
        "kilometraje": 1234567,
        "no_puertas": 2,
        "serie": "1XKYD49X9KJ000001",
        "eco": "ECO-12",
        "asegurado_tercero": "Tercero",
        "direccion": "Av. Siempre Viva 742",
        "pega": "Costado",
        "cristales": True,
        "aire": False,
        "vestiduras": True,
        "rin": None,
        "direccion_veh": True,
        "tipo_pintura": False,
        "trasmision": True,
    }
    guardado = _poner_levantamiento(invocar, tecnico, no, {**cabecera, "conceptos": conceptos})
    dynamo_requests.reiniciar()

    archivo = _descargar(_generar(invocar, tecnico, no, "levantamiento"))

    assert dynamo_requests.llamadas == {"BatchGetItem": 1, "GetItem": 1}  # the survey's two items, template
    lectura_xlsx.paquete_valido(archivo)
    wb = lectura_xlsx.libro(archivo)
    claves = lectura_xlsx.columna(wb, "concepto_claves")
    descripciones = lectura_xlsx.columna(wb, "concepto_descripcion")
    costos = lectura_xlsx.columna(wb, "concepto_costo")
    assert [c.valor for c in descripciones] == [c["concepto"] for c in conceptos]
    assert [c.valor for c in claves] == [c["claves"] for c in conceptos]
    assert [Decimal(str(c.valor)).quantize(Decimal("0.01")) for c in costos] == [c["costo"] for c in conceptos]
    assert {c.formato for c in costos} == {"#,##0.00"}
    totales = {k: Decimal(str(v)) for k, v in guardado["totales"].items()}
    subtotal, iva, total = (lectura_xlsx.celda(wb, n) for n in ("subtotal", "iva", "total"))
    assert Decimal(str(subtotal.valor)) == totales["subtotal"] == sum(c["costo"] for c in conceptos)
    assert Decimal(str(iva.valor)) == totales["iva"]
    assert Decimal(str(total.valor)) == totales["total"]
    assert Decimal(str(lectura_xlsx.celda(wb, "tasa_iva").valor)) == totales["tasa_iva"]
    assert subtotal.fila > descripciones[-1].fila
    assert {subtotal.formato, total.formato} == {"#,##0.00"}
    leidos = _valores(archivo, [n.nombre for n in campos.LEVANTAMIENTO.campos])
    assert {k: leidos[k] for k in ("no_siniestro", "fecha", "kilometraje", "asegurado_tercero", "marca")} == {
        "no_siniestro": no,
        "fecha": datetime(2024, 3, 16),
        "kilometraje": 1234567,
        "asegurado_tercero": "Tercero",
        "marca": "Kenworth",  # copied from the expediente when the survey was created
    }
    assert lectura_xlsx.celda(wb, "kilometraje").formato == "#,##0"
    marcas = {c: leidos[c] for c, _ in campos.CONDICIONES}
    assert marcas == {
        "cristales": "X",
        "aire": None,
        "vestiduras": "X",
        "rin": None,
        "direccion_veh": "X",
        "tipo_pintura": None,
        "trasmision": "X",
    }
    texto = ["orden", "modelo", "tipo", "placas", "color", "serie", "eco", "nombre_propietario", "telefono"]
    assert {k: leidos[k] for k in texto} == {k: guardado[k] for k in texto}
    assert {k: leidos[k] for k in ("no_puertas", "direccion", "pega")} == {
        "no_puertas": 2,
        "direccion": "Av. Siempre Viva 742",
        "pega": "Costado",
    }


@pytest.mark.parametrize("formato", ["expediente", "checklist", "levantamiento"])
def test_an_unknown_expediente_is_404_for_every_form(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], formato: str
) -> None:
    respuesta = _generar(invocar, operador, siniestro(), formato)
    assert (respuesta["statusCode"], respuesta["json"]) == (404, {"error": "Expediente no encontrado"})


def test_no_survey_is_404_naming_it(invocar: Invocar, admin: Any, siniestro: Callable[[], str]) -> None:
    no = siniestro()
    _crear_expediente(invocar, admin, no)
    respuesta = _generar(invocar, admin, no, "levantamiento")
    assert (respuesta["statusCode"], respuesta["json"]) == (
        404,
        {"error": "El expediente no tiene levantamiento de daños"},
    )


def test_an_unknown_form_is_400_before_reading_anything(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    respuesta = _generar(invocar, operador, siniestro(), "factura")
    assert respuesta["statusCode"] == 400
    assert respuesta["json"]["error"] == "Formato desconocido"
    assert respuesta["json"]["detalles"] == [
        {"campo": "formato", "mensaje": "Use expediente, checklist, levantamiento"}
    ]
    assert dynamo_requests.total == 0


def test_a_bad_claim_number_is_400(invocar: Invocar, operador: Any) -> None:
    assert _generar(invocar, operador, "no válido!", "expediente")["statusCode"] == 400


# ---------------------------------------------------------------- the shop's templates
def _png() -> bytes:
    from PIL import Image as PilImage

    salida = io.BytesIO()
    PilImage.new("RGB", (60, 30), (20, 90, 200)).save(salida, format="PNG")
    return salida.getvalue()


def plantilla_del_taller(formato: Formato, *, sin: tuple[str, ...] = (), logo: bool = True) -> bytes:
    """A plain template of the shop: one label and one value cell per name, the blocks at the bottom, a logo."""
    definicion = campos.DEFINICIONES[formato]
    libro = Workbook()
    hoja = libro.active
    hoja.title = "Formato del taller"
    hoja["A1"] = "TALLER EL RAYO, S.A."
    fila = 3
    for nombre in definicion.campos:
        hoja.cell(fila, 1, nombre.etiqueta)
        libro.defined_names.add(DefinedName(nombre.nombre, attr_text=f"'Formato del taller'!$B${fila}"))
        fila += 1
    for bloque in definicion.bloques:
        fila += 1
        if bloque.grupo:
            libro.defined_names.add(DefinedName(bloque.grupo, attr_text=f"'Formato del taller'!$A${fila}:$F${fila}"))
            for columna in bloque.columnas_grupo:
                libro.defined_names.add(DefinedName(columna.nombre, attr_text=f"'Formato del taller'!$A${fila}"))
            fila += 1
        libro.defined_names.add(DefinedName(bloque.nombre, attr_text=f"'Formato del taller'!$A${fila}:$F${fila}"))
        for indice, columna in enumerate(c for c in bloque.columnas if c.obligatorio):
            letra = "BCDEF"[indice]
            libro.defined_names.add(DefinedName(columna.nombre, attr_text=f"'Formato del taller'!${letra}${fila}"))
        fila += 2
    hoja.cell(fila, 1, "Firma del cliente")
    if logo:
        hoja.add_image(Image(io.BytesIO(_png())), "H1")
    for nombre in sin:
        del libro.defined_names[nombre]
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


def _plantilla(invocar: Invocar, llamante: Any, metodo: str, formato: str, sufijo: str = "") -> dict[str, Any]:
    funcion = {
        ("PUT", ""): "formatos_plantillas_put",
        ("POST", "/confirmar"): "formatos_plantillas_confirm",
        ("GET", ""): "formatos_plantillas_get",
        ("DELETE", ""): "formatos_plantillas_delete",
    }[(metodo, sufijo)]
    return invocar(funcion, metodo, RUTA_PLANTILLA + sufijo, llamante=llamante, ruta_params={"formato": formato})


def _subir_plantilla(invocar: Invocar, admin: Any, formato: str, datos: bytes) -> dict[str, Any]:
    """PUT, the upload through the presigned POST form as a browser would send it, then the confirmation."""
    carga = _plantilla(invocar, admin, "PUT", formato)
    assert carga["statusCode"] == 200, carga["json"]
    formulario = carga["json"]["upload"]
    enviado = requests.post(
        formulario["url"], data=formulario["fields"], files={"file": ("plantilla.xlsx", datos, XLSX)}, timeout=10
    )
    assert enviado.status_code in (200, 204), enviado.text
    return _plantilla(invocar, admin, "POST", formato, "/confirmar")


@pytest.fixture
def propia() -> Callable[[str], None]:
    """Each test that uploads a shop template leaves the project's own in use afterwards."""
    usados: list[str] = []

    def usar(formato: str) -> None:
        usados.append(formato)

    yield usar  # type: ignore[misc]
    for formato in usados:
        plantilla.restablecer(formato)


def test_a_shop_template_is_used_with_its_logo_until_deleted(
    invocar: Invocar, admin: Any, tecnico: Any, siniestro: Callable[[], str], propia: Callable[[str], None]
) -> None:
    propia("expediente")
    no = siniestro()
    _crear_expediente(invocar, admin, no)
    datos = plantilla_del_taller(Formato.EXPEDIENTE)

    confirmada = _subir_plantilla(invocar, admin, "expediente", datos)

    assert confirmada["statusCode"] == 200, confirmada["json"]
    assert confirmada["json"]["origen"] == "taller"
    assert confirmada["json"]["subida_por"] == {
        "id": admin.principal.id_usuario,
        "username": admin.principal.username,
        "nombre": admin.principal.nombre,
    }
    assert confirmada["json"]["tamano"] == len(datos)
    archivo = _descargar(_generar(invocar, tecnico, no, "expediente"))
    wb = lectura_xlsx.libro(archivo)
    assert wb.sheetnames == ["Formato del taller"]
    assert wb.active["A1"].value == "TALLER EL RAYO, S.A."
    assert len(wb.active._images) == 1  # the shop's logo survives filling
    with zipfile.ZipFile(io.BytesIO(archivo)) as paquete:
        (imagen,) = [n for n in paquete.namelist() if n.startswith("xl/media/")]
        assert paquete.read(imagen) == _png()
    assert _valores(archivo, ["tecnico", "fecha_ingreso", "dato1_hora"]) == {
        "tecnico": "Carlos Pérez",
        "fecha_ingreso": datetime(2024, 3, 15),
        "dato1_hora": time(23, 30),
    }
    en_uso = _plantilla(invocar, admin, "GET", "expediente")
    assert en_uso["statusCode"] == 200
    assert requests.get(en_uso["json"]["url"], timeout=10).content == datos

    restablecida = _plantilla(invocar, admin, "DELETE", "expediente")

    assert restablecida["json"] == {
        "formato": "expediente",
        "origen": "propia",
        "subida_por": None,
        "subida_en": None,
        "tamano": None,
    }
    propia_otra_vez = _descargar(_generar(invocar, tecnico, no, "expediente"))
    assert lectura_xlsx.libro(propia_otra_vez).sheetnames == [campos.EXPEDIENTE.titulo]
    descargada = _plantilla(invocar, admin, "GET", "expediente")
    assert requests.get(descargada["json"]["url"], timeout=10).content == plantilla.propia(Formato.EXPEDIENTE)
    assert table.get(keys.plantilla_formato("expediente"), consistente=True) is None


def test_shop_templates_for_the_checklist_and_the_survey_fill_their_blocks(
    invocar: Invocar, admin: Any, siniestro: Callable[[], str], propia: Callable[[str], None]
) -> None:
    no = siniestro()
    _crear_expediente(invocar, admin, no)
    _poner_checklist(
        invocar,
        admin,
        no,
        {"aprobada": True, "items": [{"sistema": s, "nombre_item": n, "valor": "OK"} for s, n in catalogo.puntos()]},
    )
    _poner_levantamiento(invocar, admin, no, {"conceptos": [{"concepto": f"C{i}", "costo": 10} for i in range(40)]})
    for formato in (Formato.CHECKLIST, Formato.LEVANTAMIENTO):
        propia(formato.value)
        assert _subir_plantilla(invocar, admin, formato.value, plantilla_del_taller(formato))["statusCode"] == 200

    checklist = lectura_xlsx.libro(_descargar(_generar(invocar, admin, no, "checklist")))
    levantamiento = lectura_xlsx.libro(_descargar(_generar(invocar, admin, no, "levantamiento")))

    assert [c.valor for c in lectura_xlsx.columna(checklist, "punto_ok")].count("X") == 122
    assert [c.valor for c in lectura_xlsx.columna(levantamiento, "concepto_descripcion")] == [
        f"C{i}" for i in range(40)
    ]
    assert Decimal(str(lectura_xlsx.celda(levantamiento, "subtotal").valor)) == Decimal(400)


def test_a_template_missing_names_is_refused_naming_them_and_the_one_in_use_stays(
    invocar: Invocar, admin: Any, propia: Callable[[str], None]
) -> None:
    propia("levantamiento")
    buena = plantilla_del_taller(Formato.LEVANTAMIENTO)
    assert _subir_plantilla(invocar, admin, "levantamiento", buena)["statusCode"] == 200
    antes = table.get(keys.plantilla_formato("levantamiento"), consistente=True)

    rechazada = _subir_plantilla(
        invocar, admin, "levantamiento", plantilla_del_taller(Formato.LEVANTAMIENTO, sin=("total", "concepto_costo"))
    )

    assert rechazada["statusCode"] == 400
    assert rechazada["json"]["error"] == (
        "A la plantilla le faltan nombres definidos: total, concepto_costo; la plantilla en uso no cambió"
    )
    assert rechazada["json"]["detalles"] == [
        {"campo": "total", "mensaje": "Falta este nombre definido"},
        {"campo": "concepto_costo", "mensaje": "Falta este nombre definido"},
    ]
    despues = table.get(keys.plantilla_formato("levantamiento"), consistente=True)
    assert despues == antes  # same key, version, who and when; no pending upload left
    en_uso = _plantilla(invocar, admin, "GET", "levantamiento")
    assert requests.get(en_uso["json"]["url"], timeout=10).content == buena


def _zip_bomba() -> bytes:
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED) as paquete:
        paquete.writestr("[Content_Types].xml", b"<Types/>")
        paquete.writestr("xl/workbook.xml", b"\0" * (200 * 2**20))  # 200 MB of zeros: about 200 KB packed
    return salida.getvalue()


@pytest.mark.parametrize(
    ("contenido", "mensaje"),
    [
        (lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 not a workbook", "El archivo no es un libro de Excel (.xlsx)"),
        (_zip_bomba, "La plantilla descomprimida excede 40 MB"),
        (lambda: b"PK\x03\x04" + b"\x00" * 100, "El archivo no es un libro de Excel (.xlsx)"),
    ],
    ids=["pdf", "bomba-zip", "zip-roto"],
)
def test_what_is_not_a_sound_workbook_is_400_and_its_upload_is_deleted(
    invocar: Invocar, admin: Any, propia: Callable[[str], None], contenido: Callable[[], bytes], mensaje: str
) -> None:
    propia("checklist")
    respuesta = _subir_plantilla(invocar, admin, "checklist", contenido())

    assert respuesta["statusCode"] == 400
    assert respuesta["json"]["error"] == f"{mensaje}; la plantilla en uso no cambió"
    registro = table.get(keys.plantilla_formato("checklist"), consistente=True) or {}
    assert "s3_key" not in registro
    assert "pendiente" not in registro
    listado = storage.cliente().list_objects_v2(Bucket=settings().bucket, Prefix="plantillas/checklist/")
    assert [o["Key"] for o in listado.get("Contents", []) if "propia" not in o["Key"]] == []


def test_confirming_without_an_upload_is_409(invocar: Invocar, admin: Any, propia: Callable[[str], None]) -> None:
    propia("expediente")
    sin_pedir = _plantilla(invocar, admin, "POST", "expediente", "/confirmar")
    assert sin_pedir["statusCode"] == 409
    assert _plantilla(invocar, admin, "PUT", "expediente")["statusCode"] == 200
    sin_subir = _plantilla(invocar, admin, "POST", "expediente", "/confirmar")
    assert (sin_subir["statusCode"], sin_subir["json"]) == (409, {"error": "La plantilla aún no se ha subido"})


def test_the_upload_form_pins_the_key_type_and_size(
    invocar: Invocar, admin: Any, propia: Callable[[str], None]
) -> None:
    propia("checklist")
    carga = _plantilla(invocar, admin, "PUT", "checklist")["json"]
    campos_form = carga["upload"]["fields"]
    assert campos_form["key"].startswith("plantillas/checklist/")
    assert campos_form["key"].endswith(".xlsx")
    assert campos_form["Content-Type"] == XLSX
    assert carga["tamano_maximo"] == plantilla.MAX_BYTES
    # The template in use is still ours while the upload is pending.
    assert _plantilla(invocar, admin, "GET", "checklist")["json"]["origen"] == "propia"


@pytest.mark.parametrize(("metodo", "sufijo"), [("PUT", ""), ("POST", "/confirmar"), ("GET", ""), ("DELETE", "")])
def test_template_routes_refuse_an_unknown_form(invocar: Invocar, admin: Any, metodo: str, sufijo: str) -> None:
    respuesta = _plantilla(invocar, admin, metodo, "factura", sufijo)
    assert (respuesta["statusCode"], respuesta["json"]["error"]) == (400, "Formato desconocido")


def test_the_form_uses_the_template_recorded_in_the_table_without_listing_s3(
    invocar: Invocar, admin: Any, siniestro: Callable[[], str], propia: Callable[[str], None]
) -> None:
    """The item says which key and version: a newer object put under the same key by hand is not used."""
    propia("expediente")
    no = siniestro()
    _crear_expediente(invocar, admin, no)
    assert _subir_plantilla(invocar, admin, "expediente", plantilla_del_taller(Formato.EXPEDIENTE))["statusCode"] == 200
    registro = table.get(keys.plantilla_formato("expediente"), consistente=True)
    assert registro is not None
    assert registro["version_s3"]
    storage.cliente().put_object(
        Bucket=settings().bucket, Key=registro["s3_key"], Body=plantilla.propia(Formato.EXPEDIENTE), ContentType=XLSX
    )

    archivo = _descargar(_generar(invocar, admin, no, "expediente"))

    assert lectura_xlsx.libro(archivo).sheetnames == ["Formato del taller"]


def test_a_template_recorded_before_names_were_stored_answers_null(
    invocar: Invocar, admin: Any, propia: Callable[[str], None]
) -> None:
    propia("levantamiento")
    # Given the item as older code wrote it: who uploaded it with id and username only
    antiguo = {"id": admin.principal.id_usuario, "username": admin.principal.username}
    table.put(
        {
            **keys.plantilla_formato("levantamiento"),
            "tipo": plantilla.TIPO,
            "formato": "levantamiento",
            "s3_key": keys.plantilla_s3("levantamiento", "antigua"),
            "tamano": 1000,
            "subida_por": antiguo,
            "subida_en": "2024-01-01T00:00:00.000Z",
        }
    )

    r = _plantilla(invocar, admin, "GET", "levantamiento")

    assert r["statusCode"] == 200, r["json"]
    assert r["json"]["origen"] == "taller"
    assert r["json"]["subida_por"] == {**antiguo, "nombre": None}


def test_the_print_time_is_the_shops_day_and_hour(
    invocar: Invocar, admin: Any, siniestro: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    no = siniestro()
    _crear_expediente(invocar, admin, no)
    monkeypatch.setattr(dates, "reloj", lambda: datetime(2024, 3, 16, 5, 45, tzinfo=UTC))

    respuesta = _generar(invocar, admin, no, "expediente")

    wb = lectura_xlsx.libro(_descargar(respuesta))
    assert lectura_xlsx.celda(wb, "impreso_fecha").valor == datetime(2024, 3, 15)
    assert lectura_xlsx.celda(wb, "impreso_hora").valor == time(23, 45)
    assert respuesta["json"]["nombre_archivo"] == f"expediente-{no}-20240315-2345.xlsx"
    assert respuesta["json"]["expira_en"] == "2024-03-16T06:00:00.000Z"


# ---------------------------------------------------------------- dependencies failing
def test_s3_unreachable_is_503_and_no_form_is_answered(
    invocar: Invocar, admin: Any, siniestro: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    no = siniestro()
    _crear_expediente(invocar, admin, no)
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9")
    storage.cliente.cache_clear()
    try:
        respuesta = _generar(invocar, admin, no, "expediente")
    finally:
        monkeypatch.delenv("AWS_ENDPOINT_URL_S3")
        storage.cliente.cache_clear()

    assert respuesta["statusCode"] == 503
    assert respuesta["headers"]["Retry-After"]
    assert "url" not in respuesta["json"]
    assert _formatos_en_s3(no) == []


def test_a_table_failure_while_confirming_keeps_the_template_in_use_and_the_upload_for_a_retry(
    invocar: Invocar, admin: Any, propia: Callable[[str], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    from monitor.core.errors import ServicioNoDisponible

    propia("expediente")
    carga = _plantilla(invocar, admin, "PUT", "expediente")["json"]["upload"]
    datos = plantilla_del_taller(Formato.EXPEDIENTE)
    files = {"file": ("plantilla.xlsx", datos, XLSX)}
    assert requests.post(carga["url"], data=carga["fields"], files=files, timeout=10).status_code in (200, 204)
    original = table.update

    def fallar(*args: Any, **kwargs: Any) -> Any:
        raise ServicioNoDisponible()

    monkeypatch.setattr(table, "update", fallar)
    fallida = _plantilla(invocar, admin, "POST", "expediente", "/confirmar")
    monkeypatch.setattr(table, "update", original)

    assert fallida["statusCode"] == 503
    registro = table.get(keys.plantilla_formato("expediente"), consistente=True) or {}
    assert "s3_key" not in registro  # still ours
    assert registro["pendiente"]["s3_key"] == carga["fields"]["key"]
    reintento = _plantilla(invocar, admin, "POST", "expediente", "/confirmar")
    assert (reintento["statusCode"], reintento["json"]["origen"]) == (200, "taller")
