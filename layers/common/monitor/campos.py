"""The expediente's field catalog, its workflow states and the seeds' id range: plain data shared by the
request models and the logic, free of Pydantic so that functions which only read or delete never load it."""

from __future__ import annotations

import re
from enum import StrEnum


class Estado(StrEnum):
    INGRESO = "Ingreso"
    RESTAURACION = "Restauracion"
    PENDIENTE_DE_SALIDA = "Pendiente_de_salida"
    SALIDA = "Salida"


# ---- field catalog (the seed's response order, then our additions)
CAMPOS_TEXTO_CORTO = (
    "factura",
    "orden",
    "asesor",
    "tecnico",
    "mecanico",
    "vehiculo",
    "marca",
    "modelo",
    "tipo",
    "color",
    "placas",
    "nombre_cliente",
    "telefono_cliente",
    "correo_cliente",
)
CAMPOS_TEXTO_LARGO = ("observaciones", "comentarios_aseguradora")
CAMPOS_DATO = ("dato1", "dato2", "dato3", "dato4")
CAMPOS_FECHA = (
    "fecha_ingreso",
    "fecha_valuacion",
    "fecha_autorizacion",
    "fecha_pzas_completas",
    "unidad_terminada",
    "fecha_entrega",
)
CAMPOS_MARCA_TIEMPO = (
    "dato1_fecha_hora",
    "dato2_fecha_hora",
    "dato3_fecha_hora",
    "dato4_fecha_hora",
    "comentarios_aseguradora_fh",
)
CAMPOS_DOC = (
    "doc_orden_admision",
    "doc_identificacion",
    "doc_tarjeta_circulacion",
    "doc_caratula_poliza",
    "doc_carta_reparacion",
    "doc_comprobante_deducible",
    "doc_finiquito",
    "doc_encuesta_servicio",
)
CAMPOS_ENTEROS = ("id_aseguradora", "creado_por", "version")

# The seed's example response, key by key, plus fecha_entrega / version / timestamps.
CAMPOS_SALIDA = (
    "no_siniestro",
    "factura",
    "orden",
    "asesor",
    "fecha_ingreso",
    "fecha_valuacion",
    "fecha_autorizacion",
    "fecha_pzas_completas",
    "unidad_terminada",
    "fecha_entrega",
    "tecnico",
    "mecanico",
    "vehiculo",
    "observaciones",
    "marca",
    "modelo",
    "tipo",
    "color",
    "placas",
    "nombre_cliente",
    "telefono_cliente",
    "correo_cliente",
    "dato1",
    "dato1_fecha_hora",
    "dato2",
    "dato2_fecha_hora",
    "dato3",
    "dato3_fecha_hora",
    "dato4",
    "dato4_fecha_hora",
    "comentarios_aseguradora",
    "comentarios_aseguradora_fh",
    *CAMPOS_DOC,
    "estado",
    "ubicacion_almacenamiento",
    "id_aseguradora",
    "creado_por",
    "version",
    "creado_en",
    "actualizado_en",
)

OBLIGATORIOS = (
    "no_siniestro",
    "nombre_cliente",
    "telefono_cliente",
    "marca",
    "placas",
    "tipo",
    "modelo",
    "fecha_ingreso",
    "fecha_entrega",
)
# Claim numbers, in the path and in the POST body alike: trimmed, then this.
NO_SINIESTRO = re.compile(r"^[A-Za-z0-9 ._\-]{1,64}$")
REGLA_NO_SINIESTRO = "1 a 64 caracteres: letras, dígitos, espacio, . _ -"
# Silently dropped from write bodies: the server owns them (the seed strips `estado` the same way).
SOLO_LECTURA = frozenset({"estado", "creado_por", "ubicacion_almacenamiento", "version", "creado_en", "actualizado_en"})
UBICACION_INICIAL = "Local"
MAX_DATO = 500
MAX_CORTO = 255
MAX_LARGO = 5000


# ---- service orders: the seed's ids are Int32
INT32_MAX = 2_147_483_647
