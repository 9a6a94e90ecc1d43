"""Validation errors in Spanish: Pydantic's error types turned into `{"error", "detalles"}` bodies, for the
resolver's request validation and for the few models that code validates outside a route."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from monitor.core.jsoncodec import ANIDAMIENTO, NUMERO_FUERA_DE_RANGO

# The JSON refusals of the resolver's own parser, recognised here by their text.
NO_ES_OBJETO = "Se esperaba un objeto JSON"
_RECHAZOS_JSON = (NO_ES_OBJETO, ANIDAMIENTO, NUMERO_FUERA_DE_RANGO)

# pydantic error type → Spanish text; {placeholders} come from the error's ctx.
_MENSAJES_VALIDACION = {
    "missing": "Campo obligatorio",
    "extra_forbidden": "Campo no permitido",
    "string_type": "Debe ser texto",
    "int_type": "Debe ser un número entero",
    "int_parsing": "Debe ser un número entero",
    "int_from_float": "Debe ser un número entero",
    "float_type": "Debe ser un número",
    "float_parsing": "Debe ser un número",
    "decimal_type": "Debe ser un número decimal",
    "decimal_parsing": "Debe ser un número decimal",
    "decimal_max_digits": "Tiene demasiados dígitos",
    "decimal_max_places": "Tiene demasiados decimales",
    "bool_type": "Debe ser verdadero o falso",
    "bool_parsing": "Debe ser verdadero o falso",
    "string_too_long": "Excede el máximo de {max_length} {caracteres_max}",
    "string_too_short": "Debe tener al menos {min_length} {caracteres_min}",
    "string_pattern_mismatch": "Formato inválido",
    "too_long": "Admite como máximo {max_length} {elementos_max}",
    "too_short": "Requiere al menos {min_length} {elementos_min}",
    "list_type": "Debe ser una lista",
    "dict_type": "Debe ser un objeto",
    "model_type": "Debe ser un objeto",
    "model_attributes_type": "Debe ser un objeto",
    "uuid_type": "Debe ser un GUID",
    "uuid_parsing": "Debe ser un GUID válido",
    "datetime_type": "Debe ser una fecha-hora ISO 8601",
    "datetime_parsing": "Debe ser una fecha-hora ISO 8601",
    "datetime_from_date_parsing": "Debe ser una fecha-hora ISO 8601",
    "greater_than_equal": "Debe ser mayor o igual que {ge}",
    "greater_than": "Debe ser mayor que {gt}",
    "less_than_equal": "Debe ser menor o igual que {le}",
    "less_than": "Debe ser menor que {lt}",
    "literal_error": "Debe ser uno de: {expected}",
    "enum": "Debe ser uno de: {expected}",
    "json_invalid": "El cuerpo no es JSON válido",
    "json_type": "El cuerpo no es JSON válido",
}


def _campo(loc: tuple[Any, ...]) -> str:
    partes = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(partes) or "body"


def _mensaje(error: Mapping[str, Any]) -> str:
    tipo = error.get("type", "")
    causa_json = (error.get("ctx") or {}).get("error")
    if tipo == "json_invalid" and causa_json in _RECHAZOS_JSON:
        return str(causa_json)
    if tipo == "value_error":
        # Our own validators raise ValueError with a Spanish text.
        ctx = error.get("ctx") or {}
        causa = ctx.get("error")
        return str(causa) if causa else "Valor inválido"
    plantilla = _MENSAJES_VALIDACION.get(tipo)
    if plantilla is None:
        return "Valor inválido"
    try:
        return plantilla.format(**_contexto_en_espanol(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return plantilla


def _contexto_en_espanol(ctx: Mapping[str, Any]) -> dict[str, Any]:
    """Pydantic's context made to read as Spanish: its list of choices joined with "o" (it says "or"), and the
    unit in singular or plural after a number ("1 carácter", "2 caracteres")."""
    datos = dict(ctx)
    if isinstance(datos.get("expected"), str):
        datos["expected"] = re.sub(r"(?<=['\"]) or (?=['\"])", " o ", datos["expected"])
    for limite, sufijo in (("max_length", "max"), ("min_length", "min")):
        uno = datos.get(limite) == 1
        datos[f"caracteres_{sufijo}"] = "carácter" if uno else "caracteres"
        datos[f"elementos_{sufijo}"] = "elemento" if uno else "elementos"
    return datos


def detalles_de_validacion(errores: list[Mapping[str, Any]]) -> tuple[str, list[dict[str, str]]]:
    detalles = [
        {
            "campo": "body" if e.get("type") == "json_invalid" else _campo(tuple(e.get("loc", ()))),
            "mensaje": _mensaje(e),
        }
        for e in errores
    ]
    if any(e.get("type") in ("json_invalid", "json_type") for e in errores):
        return "El cuerpo no es JSON válido", detalles
    if any(tuple(e.get("loc", ())) == ("body",) and e.get("type") == "missing" for e in errores):
        return "El cuerpo de la solicitud es obligatorio", detalles
    faltantes = [d["campo"] for d, e in zip(detalles, errores, strict=True) if e.get("type") == "missing"]
    if faltantes and len(faltantes) == len(errores):
        return f"Faltan campos obligatorios: {', '.join(faltantes)}", detalles
    return "Datos inválidos", detalles
