"""The damage survey's field catalog, limits and the line-item id rule: plain data shared by the request
models and the logic, free of Pydantic so that the functions which only read or delete never load it."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum


class AseguradoTercero(StrEnum):
    ASEGURADO = "Asegurado"
    TERCERO = "Tercero"


CAMPOS_TEXTO = (
    "orden",
    "marca",
    "tipo",
    "modelo",
    "placas",
    "color",
    "serie",
    "eco",
    "nombre_propietario",
    "telefono",
    "direccion",
    "pega",
)
CAMPOS_ENTEROS = ("kilometraje", "no_puertas")
# Condition of the unit when it arrived (docs/levantamientos.md): true = fine / present.
CAMPOS_CONDICION = ("cristales", "aire", "vestiduras", "rin", "direccion_veh", "tipo_pintura", "trasmision")

# Every field a client writes, in the order of the shop's paper form (and of the response).
CAMPOS = (
    "fecha",
    "orden",
    "marca",
    "tipo",
    "modelo",
    "placas",
    "kilometraje",
    "no_puertas",
    "color",
    "serie",
    "eco",
    "asegurado_tercero",
    "nombre_propietario",
    "telefono",
    "direccion",
    "pega",
    *CAMPOS_CONDICION,
)
# Copied from the expediente when the survey is created and the body leaves them out: survey ← expediente.
COPIADOS_DEL_EXPEDIENTE = {
    "marca": "marca",
    "tipo": "tipo",
    "modelo": "modelo",
    "placas": "placas",
    "color": "color",
    "nombre_propietario": "nombre_cliente",
    "telefono": "telefono_cliente",
}
# Silently dropped from write bodies, so a client can send back what it read: the server owns them.
SOLO_LECTURA = frozenset({"no_siniestro", "version", "creado_por", "creado_en", "actualizado_en", "totales"})

MAX_TEXTO = 255
MAX_CLAVES = 100
MAX_CONCEPTO = 300
MAX_CONCEPTOS = 300
# JSON size of the whole list: keeps the line-item item, and the audit entry of a replacement (old and new
# lists together), well under DynamoDB's 400 KB per item.
MAX_BYTES_CONCEPTOS = 160_000
MAX_KILOMETRAJE = 100_000_000
MAX_PUERTAS = 20
COSTO_MAXIMO = Decimal("9999999.99")
CENTAVO = Decimal("0.01")


def id_concepto(segmento: str | None) -> int | None:
    """The `{id}` path segment as a line-item id (a positive integer), or None when it cannot name one."""
    texto = (segmento or "").strip()
    if not texto.isascii() or not texto.isdigit() or len(texto) > 9:
        return None
    valor = int(texto)
    return valor if valor >= 1 else None
