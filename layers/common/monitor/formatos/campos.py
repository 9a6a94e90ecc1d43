"""The three printable forms as plain data: for each one, the Excel defined names a template must hold, what
each prints and how (a date, a time, an X, money...), and its repeated blocks. Free of openpyxl and of
Pydantic: the template routes that only sign URLs, the docs test and the template builder read it too.

A name is what ties a value to a cell: the filler never knows an address. A scalar name points at one cell (or
a merged area: its top-left cell). A repeated block is a one-row range (the model row) holding one cell per
column name; the filler repeats the model row once per item, inserting rows, and moves everything below.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Formato(StrEnum):
    EXPEDIENTE = "expediente"
    CHECKLIST = "checklist"
    LEVANTAMIENTO = "levantamiento"


class Tipo(StrEnum):
    """How a value is printed (`monitor.formatos.valores`)."""

    TEXTO = "texto"
    FECHA = "fecha"  # a date field (noon UTC): that day
    FECHA_LOCAL = "fecha_local"  # the shop's calendar day of a timestamp
    HORA = "hora"  # an "HH:MM" field
    HORA_LOCAL = "hora_local"  # the shop's wall-clock time of a timestamp
    MARCA = "marca"  # a boolean: X when true
    DINERO = "dinero"
    ENTERO = "entero"
    TASA = "tasa"  # 0.16 printed as 16.00 %


@dataclass(frozen=True)
class Nombre:
    """One defined name: the value it prints (`origen`, a field of the data read), how, and the label the
    paper form gives it."""

    nombre: str
    tipo: Tipo
    etiqueta: str
    origen: str = ""
    obligatorio: bool = True

    @property
    def campo(self) -> str:
        return self.origen or self.nombre


@dataclass(frozen=True)
class Bloque:
    """A repeated block: `nombre` is the model row; `columnas` the cells of that row that receive an item's
    values. `grupo`, when the template has it, is a model row right above `nombre` repeated once per group
    (the checklist's systems), with `columnas_grupo` in it."""

    nombre: str
    etiqueta: str
    columnas: tuple[Nombre, ...]
    grupo: str | None = None
    columnas_grupo: tuple[Nombre, ...] = ()

    def nombres(self) -> tuple[Nombre, ...]:
        propios = [Nombre(self.nombre, Tipo.TEXTO, self.etiqueta)]
        if self.grupo:
            propios.append(Nombre(self.grupo, Tipo.TEXTO, f"{self.etiqueta}: fila de grupo", obligatorio=False))
        return (*propios, *self.columnas, *self.columnas_grupo)


@dataclass(frozen=True)
class Definicion:
    formato: Formato
    titulo: str
    campos: tuple[Nombre, ...]
    bloques: tuple[Bloque, ...] = ()

    def nombres(self) -> tuple[Nombre, ...]:
        return (*self.campos, *(n for b in self.bloques for n in b.nombres()))

    def obligatorios(self) -> tuple[str, ...]:
        return tuple(n.nombre for n in self.nombres() if n.obligatorio)


def _texto(nombre: str, etiqueta: str, origen: str = "") -> Nombre:
    return Nombre(nombre, Tipo.TEXTO, etiqueta, origen)


IMPRESO = (
    Nombre("impreso_fecha", Tipo.FECHA_LOCAL, "Fecha de impresión", "impreso_en", obligatorio=False),
    Nombre("impreso_hora", Tipo.HORA_LOCAL, "Hora de impresión", "impreso_en", obligatorio=False),
)

# ---- the expediente: every field of its answer, in the paper form's sections
DOCUMENTOS = (
    ("doc_orden_admision", "Orden de admisión"),
    ("doc_identificacion", "Identificación"),
    ("doc_tarjeta_circulacion", "Tarjeta de circulación"),
    ("doc_caratula_poliza", "Carátula de póliza"),
    ("doc_carta_reparacion", "Carta de reparación"),
    ("doc_comprobante_deducible", "Comprobante de deducible"),
    ("doc_finiquito", "Finiquito"),
    ("doc_encuesta_servicio", "Encuesta de servicio"),
)
PASOS_SEGUIMIENTO = (1, 2, 3, 4)

EXPEDIENTE = Definicion(
    Formato.EXPEDIENTE,
    "Expediente de reparación",
    (
        _texto("no_siniestro", "No. Siniestro"),
        _texto("estado", "Estado"),
        _texto("aseguradora", "Aseguradora"),
        _texto("factura", "Factura"),
        _texto("orden", "Orden"),
        _texto("asesor", "Asesor"),
        _texto("tecnico", "Técnico"),
        _texto("mecanico", "Mecánico"),
        _texto("ubicacion_almacenamiento", "Ubicación"),
        Nombre("fecha_ingreso", Tipo.FECHA, "Ingreso"),
        Nombre("fecha_valuacion", Tipo.FECHA, "Valuación"),
        Nombre("fecha_autorizacion", Tipo.FECHA, "Autorización"),
        Nombre("fecha_pzas_completas", Tipo.FECHA, "Piezas completas"),
        Nombre("unidad_terminada", Tipo.FECHA, "Unidad terminada"),
        Nombre("fecha_entrega", Tipo.FECHA, "Entrega prometida"),
        _texto("marca", "Marca"),
        _texto("modelo", "Modelo"),
        _texto("tipo", "Tipo"),
        _texto("color", "Color"),
        _texto("placas", "Placas"),
        _texto("vehiculo", "Descripción del vehículo"),
        _texto("nombre_cliente", "Cliente"),
        _texto("telefono_cliente", "Teléfono"),
        _texto("correo_cliente", "Correo"),
        *(
            nombre
            for n in PASOS_SEGUIMIENTO
            for nombre in (
                _texto(f"dato{n}", f"Seguimiento {n}"),
                Nombre(f"dato{n}_fecha", Tipo.FECHA_LOCAL, f"Seguimiento {n}: fecha", f"dato{n}_fecha_hora"),
                Nombre(f"dato{n}_hora", Tipo.HORA_LOCAL, f"Seguimiento {n}: hora", f"dato{n}_fecha_hora"),
            )
        ),
        _texto("comentarios_aseguradora", "Comentarios de la aseguradora"),
        Nombre("comentarios_aseguradora_fecha", Tipo.FECHA_LOCAL, "Comentarios: fecha", "comentarios_aseguradora_fh"),
        Nombre("comentarios_aseguradora_hora", Tipo.HORA_LOCAL, "Comentarios: hora", "comentarios_aseguradora_fh"),
        *(Nombre(campo, Tipo.MARCA, etiqueta) for campo, etiqueta in DOCUMENTOS),
        _texto("observaciones", "Observaciones"),
        Nombre("creado_fecha", Tipo.FECHA_LOCAL, "Alta: fecha", "creado_en"),
        Nombre("creado_hora", Tipo.HORA_LOCAL, "Alta: hora", "creado_en"),
        Nombre("actualizado_fecha", Tipo.FECHA_LOCAL, "Última modificación: fecha", "actualizado_en"),
        Nombre("actualizado_hora", Tipo.HORA_LOCAL, "Última modificación: hora", "actualizado_en"),
        *IMPRESO,
    ),
)
# Fields of the expediente's answer the form does not print as such: internal numbers (the insurer is
# printed by name, `aseguradora`), who keyed it in (`creado_por` and its name: the paper form has no such box),
# `hitos`, the reports' record of when each state was first reached (derived by the server), and the customer
# e-mails' switch and record (`notificar_cliente`, `notificaciones`: how the shop reached the customer, not part
# of the claim). A test holds every other field of the answer printed.
NO_IMPRESOS_EXPEDIENTE = frozenset(
    {"id_aseguradora", "creado_por", "creado_por_nombre", "version", "hitos", "notificar_cliente", "notificaciones"}
)

# ---- the exit checklist: header, summary and the grid of the catalog's points
VALORES_CHECKLIST = ("OK", "RE", "MA", "NA")

CHECKLIST = Definicion(
    Formato.CHECKLIST,
    "Checklist de salida",
    (
        _texto("no_siniestro", "No. Siniestro"),
        Nombre("fecha_inspeccion", Tipo.FECHA, "Fecha de inspección"),
        Nombre("hora", Tipo.HORA, "Hora"),
        _texto("inspeccionado_por", "Inspeccionado por"),
        _texto("ubicacion", "Ubicación"),
        Nombre("aprobada", Tipo.MARCA, "Aprobada"),
        Nombre("detallado", Tipo.MARCA, "Detallado"),
        _texto("carroceo_asignado", "Carrocero asignado"),
        _texto("mecanico_asignado", "Mecánico asignado"),
        _texto("pintor", "Pintor"),
        _texto("area_detallado", "Área de detallado"),
        _texto("marca_tipo", "Marca / tipo"),
        _texto("anio", "Año"),
        _texto("serie", "Serie"),
        _texto("areas_danadas", "Áreas dañadas"),
        _texto("seguro", "Seguro"),
        Nombre("fecha_vencimiento_seguro", Tipo.FECHA, "Vencimiento del seguro"),
        Nombre("deducible", Tipo.DINERO, "Deducible"),
        Nombre("demerito", Tipo.DINERO, "Demérito"),
        _texto("lugar_entrega", "Lugar de entrega"),
        Nombre("fecha_entrega", Tipo.FECHA, "Fecha de entrega"),
        _texto("nombre_quien_recibe", "Nombre de quien recibe"),
        _texto("firma_quien_recibe", "Firma de quien recibe"),
        _texto("observaciones_adicionales", "Observaciones adicionales"),
        *(Nombre(f"resumen_{v.lower()}", Tipo.ENTERO, f"Puntos {v}", f"resumen.{v}") for v in VALORES_CHECKLIST),
        Nombre("resumen_sin_revisar", Tipo.ENTERO, "Puntos sin revisar", "resumen.sin_revisar"),
        *IMPRESO,
    ),
    (
        Bloque(
            "puntos",
            "Puntos del checklist",
            (
                _texto("punto_nombre", "Punto"),
                *(Nombre(f"punto_{v.lower()}", Tipo.MARCA, v) for v in VALORES_CHECKLIST),
                Nombre("punto_sistema", Tipo.TEXTO, "Sistema (en cada punto)", obligatorio=False),
                Nombre("punto_numero", Tipo.ENTERO, "Número del punto", obligatorio=False),
            ),
            grupo="puntos_sistema",
            columnas_grupo=(Nombre("sistema_nombre", Tipo.TEXTO, "Sistema (fila de grupo)", obligatorio=False),),
        ),
    ),
)

# ---- the damage survey: header, condition flags, every line item and the totals
CONDICIONES = (
    ("cristales", "Cristales"),
    ("aire", "Aire acondicionado"),
    ("vestiduras", "Vestiduras"),
    ("rin", "Rin"),
    ("direccion_veh", "Dirección"),
    ("tipo_pintura", "Tipo de pintura"),
    ("trasmision", "Transmisión"),
)

LEVANTAMIENTO = Definicion(
    Formato.LEVANTAMIENTO,
    "Levantamiento de daños",
    (
        _texto("no_siniestro", "No. Siniestro"),
        Nombre("fecha", Tipo.FECHA, "Fecha"),
        _texto("orden", "Orden"),
        _texto("marca", "Marca"),
        _texto("tipo", "Tipo"),
        _texto("modelo", "Modelo"),
        _texto("placas", "Placas"),
        Nombre("kilometraje", Tipo.ENTERO, "Kilometraje"),
        Nombre("no_puertas", Tipo.ENTERO, "No. de puertas"),
        _texto("color", "Color"),
        _texto("serie", "Serie"),
        _texto("eco", "Económico"),
        _texto("asegurado_tercero", "Asegurado / tercero"),
        _texto("nombre_propietario", "Propietario"),
        _texto("telefono", "Teléfono"),
        _texto("direccion", "Dirección"),
        _texto("pega", "Pega"),
        *(Nombre(campo, Tipo.MARCA, etiqueta) for campo, etiqueta in CONDICIONES),
        Nombre("subtotal", Tipo.DINERO, "Subtotal", "totales.subtotal"),
        Nombre("tasa_iva", Tipo.TASA, "Tasa de IVA", "totales.tasa_iva"),
        Nombre("iva", Tipo.DINERO, "IVA", "totales.iva"),
        Nombre("total", Tipo.DINERO, "Total", "totales.total"),
        *IMPRESO,
    ),
    (
        Bloque(
            "conceptos",
            "Conceptos",
            (
                _texto("concepto_claves", "Claves", "claves"),
                _texto("concepto_descripcion", "Concepto", "concepto"),
                Nombre("concepto_costo", Tipo.DINERO, "Costo", "costo"),
                Nombre("concepto_numero", Tipo.ENTERO, "Número de renglón", "numero", obligatorio=False),
            ),
        ),
    ),
)

DEFINICIONES: dict[Formato, Definicion] = {d.formato: d for d in (EXPEDIENTE, CHECKLIST, LEVANTAMIENTO)}
FORMATOS = tuple(f.value for f in Formato)
NO_EXISTE = "Formato desconocido"


def definicion(formato: str) -> Definicion | None:
    """The form a path segment names, or None."""
    try:
        return DEFINICIONES[Formato(formato)]
    except ValueError:
        return None
