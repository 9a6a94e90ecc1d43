"""The checklist's header fields and texts: plain data shared by the request model and the logic, free of
Pydantic so that the functions that only read or delete never load it."""

from __future__ import annotations

# The shop's form's header, in its order (the response keeps it; docs/checklists.md).
CAMPOS = (
    "fecha_inspeccion",
    "hora",
    "inspeccionado_por",
    "ubicacion",
    "aprobada",
    "detallado",
    "carroceo_asignado",
    "mecanico_asignado",
    "pintor",
    "area_detallado",
    "marca_tipo",
    "anio",
    "serie",
    "areas_danadas",
    "seguro",
    "fecha_vencimiento_seguro",
    "deducible",
    "demerito",
    "lugar_entrega",
    "fecha_entrega",
    "nombre_quien_recibe",
    "firma_quien_recibe",
    "observaciones_adicionales",
)
SEGUROS = ("Asegurado", "Tercero")
PREFIJO_PUNTO = "items"  # audit names a point `items.<sistema>.<nombre_item>`
TIPO = "checklist"  # the item's `tipo` and the audit's `recurso`

NO_ENCONTRADO = "Checklist de salida no encontrado"
CAMBIO = "El checklist cambió desde su última lectura"
SIN_CAMBIOS = "No hay campos para actualizar"


def campo_punto(sistema: str, nombre_item: str) -> str:
    return f"{PREFIJO_PUNTO}.{sistema}.{nombre_item}"
