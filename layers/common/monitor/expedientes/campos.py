"""The expediente's field catalog, its workflow states and the claim-number rule: plain data shared by the
request models and the logic, free of Pydantic so that functions which only read or delete never load it."""

from __future__ import annotations

import re
from enum import StrEnum
from urllib.parse import unquote

from monitor.core.errors import SolicitudInvalida


class Estado(StrEnum):
    INGRESO = "Ingreso"
    RESTAURACION = "Restauracion"
    PENDIENTE_DE_SALIDA = "Pendiente_de_salida"
    SALIDA = "Salida"


# ---- field catalog (the seed's response order, then our additions)
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

# The seed's example response, key by key, plus fecha_entrega / version / timestamps / milestones.
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
    "creado_por_nombre",
    "version",
    "creado_en",
    "actualizado_en",
    "hitos",
    # The customer's follow-up e-mails (docs/seguimiento.md): the flag, and what was sent for each step.
    "notificar_cliente",
    "notificaciones",
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
# At least one letter or digit: a claim of dots or spaces only ("..", "   ") could never be reached by URL.
NO_SINIESTRO = re.compile(r"^[ ._\-]*[A-Za-z0-9][A-Za-z0-9 ._\-]*$")
MAX_NO_SINIESTRO = 64
REGLA_NO_SINIESTRO = "1 a 64 caracteres: letras, dígitos, espacio, . _ -; al menos una letra o dígito"
# Ids of the expediente's sub-resources in a path (comments, evidence): what the server ever gives.
ESQUEMA_ID_HIJO = {"type": "string", "pattern": r"^[0-9A-Za-z_-]{1,64}$"}
# The same rule for the OpenAPI document, for the path segment as sent (before trimming).
ESQUEMA_NO_SINIESTRO = {
    "type": "string",
    "pattern": NO_SINIESTRO.pattern,
    "minLength": 1,
    "maxLength": MAX_NO_SINIESTRO,
}
# Silently dropped from write bodies: the server owns them (the seed strips `estado` the same way).
SOLO_LECTURA = frozenset(
    {
        "estado",
        "creado_por",
        "creado_por_nombre",
        "ubicacion_almacenamiento",
        "version",
        "creado_en",
        "actualizado_en",
        "hitos",
        "notificaciones",
    }
)
UBICACION_INICIAL = "Local"
MAX_DATO = 500
MAX_CORTO = 255
MAX_LARGO = 5000


def no_siniestro_valido(valor: str | None) -> str:
    """Claim numbers from a path: trimmed, then `NO_SINIESTRO`."""
    texto = (valor or "").strip()
    if not texto:
        raise SolicitudInvalida("No. Siniestro requerido")
    if len(texto) > MAX_NO_SINIESTRO or not NO_SINIESTRO.fullmatch(texto):
        raise SolicitudInvalida(
            "No. Siniestro inválido", detalles=[{"campo": "no_siniestro", "mensaje": REGLA_NO_SINIESTRO}]
        )
    return texto


def de_ruta(segmento: str | None) -> str:
    """The `{no_siniestro}` path segment, percent-decoded if the router left it encoded, then validated."""
    return no_siniestro_valido(unquote(segmento or ""))
