"""The OpenAPI document's response bodies, named in the routes and turned into schemas only here.

Functions declare their answers by model name (`http.documentar("expedientes.Expediente", ...)`): each
business package keeps its response models in its own `respuestas` module, which only this module loads,
by the name the route gives. A `respuestas` module may also declare `PARAMETROS_DE_RUTA` (path parameter
name → JSON Schema): the rule its package applies to that segment in code, for routes whose functions
validate it themselves (`expedientes.campos.de_ruta`) rather than through Powertools.

A request never defines or builds a response model, and functions that take
no body or query never import Pydantic at all (docs/startup.md).
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from monitor.core import responses
from monitor.core.components import EXTENSION_CABECERAS, PAQUETES_DE_MODELOS, REFERENCIA

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler.openapi.models import OpenAPI

_REFERENCIA = re.compile(r"^#/components/schemas/(?P<nombre>[A-Za-z0-9_]+)$")


def modelo(nombre: str) -> type[BaseModel]:
    """A component named by a route: in `monitor.<paquete>.respuestas` when `documentar` was given
    `"paquete.Modelo"`, else in `monitor.core.responses`."""
    paquete = PAQUETES_DE_MODELOS.get(nombre)
    modulo = importlib.import_module(f"monitor.{paquete}.respuestas") if paquete else responses
    candidato = getattr(modulo, nombre, None)
    if isinstance(candidato, type) and issubclass(candidato, responses.Respuesta):
        return candidato
    raise LookupError(f"Modelo de respuesta desconocido: {nombre}")


def referidos(documento: Any) -> Iterator[str]:
    """Names of every component the document points at."""
    if isinstance(documento, dict):
        for clave, valor in documento.items():
            if clave == "$ref" and isinstance(valor, str) and (hallado := _REFERENCIA.match(valor)):
                yield hallado["nombre"]
            else:
                yield from referidos(valor)
    elif isinstance(documento, list):
        for valor in documento:
            yield from referidos(valor)


def esquemas(nombres: Iterable[str]) -> dict[str, Any]:
    """JSON Schemas of the named models and of the models they nest, keyed by component name."""
    modelos = [(modelo(n), "serialization") for n in dict.fromkeys(nombres)]
    if not modelos:
        return {}
    _, definiciones = models_json_schema(modelos, ref_template=REFERENCIA + "{model}")  # type: ignore[arg-type]
    return dict(definiciones.get("$defs", {}))


def parametros_de_ruta() -> dict[str, dict[str, Any]]:
    """`PARAMETROS_DE_RUTA` of every business package's `respuestas` module (document time only)."""
    import monitor

    reglas: dict[str, dict[str, Any]] = {}
    for paquete in pkgutil.iter_modules(monitor.__path__):
        if paquete.ispkg and importlib.util.find_spec(f"monitor.{paquete.name}.respuestas") is not None:
            modulo = importlib.import_module(f"monitor.{paquete.name}.respuestas")
            reglas |= getattr(modulo, "PARAMETROS_DE_RUTA", {})
    return reglas


# Pydantic's names for bounds that Powertools copies as they are when a validator wraps the type.
_LIMITES = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}


def _parametro(parametro: dict[str, Any], reglas: Mapping[str, Mapping[str, Any]]) -> None:
    """A parameter is text in the URL, never null (Powertools writes `X | None` as nullable), with its bounds
    in JSON Schema's words; a path segment gets its package's rule when Powertools knows none."""
    esquema = parametro.get("schema", {})
    variantes = [v for v in esquema.get("anyOf", ()) if v != {"type": "null"}]
    if "anyOf" in esquema and len(variantes) == 1:
        del esquema["anyOf"]
        esquema.update(variantes[0])
    for pydantic, json_schema in _LIMITES.items():
        if pydantic in esquema:
            esquema[json_schema] = esquema.pop(pydantic)
    regla = reglas.get(parametro.get("name", "")) if parametro.get("in") == "path" else None
    if regla and esquema.get("type") == "string" and "pattern" not in esquema:
        esquema.update(regla)


def _cuerpo_no_nulo(operacion: dict[str, Any]) -> None:
    """An optional body may be left out but is never JSON `null`: the resolver takes objects only."""
    contenido = operacion.get("requestBody", {}).get("content", {}).get("application/json", {})
    esquema = contenido.get("schema", {})
    variantes = [v for v in esquema.get("anyOf", ()) if v != {"type": "null"}]
    if "anyOf" in esquema and len(variantes) == 1:
        del esquema["anyOf"]
        esquema.update(variantes[0])


def completar(esquema: OpenAPI, comunes: Mapping[int, Any], cabeceras: Mapping[str, str] | None = None) -> OpenAPI:
    """Adds to every operation the answers the resolver itself gives on any route (`comunes`), the request
    headers a route names (`http.cabeceras`, described in `cabeceras`) as header parameters, and the
    components that the routes name but Powertools did not generate. Drops Powertools' 422 (the resolver
    answers validation errors with the 400 in `comunes`) and the body it gives 204 and 304, which have none.
    Parameters say what the server accepts."""
    documento = esquema.model_dump(by_alias=True, exclude_none=True, mode="json")
    reglas = parametros_de_ruta()
    for operaciones in documento.get("paths", {}).values():
        for operacion in operaciones.values():
            for parametro in operacion.get("parameters", ()):
                _parametro(parametro, reglas)
            _cuerpo_no_nulo(operacion)
            for nombre in operacion.pop(EXTENSION_CABECERAS, None) or []:
                operacion.setdefault("parameters", []).append(
                    {
                        "name": nombre,
                        "in": "header",
                        "required": False,
                        "description": (cabeceras or {}).get(nombre, ""),
                        "schema": {"type": "string"},
                    }
                )
            respuestas = operacion.setdefault("responses", {})
            respuestas.pop("422", None)
            for sin_cuerpo in ("204", "304"):  # no body by definition (Powertools adds the return type's)
                respuestas.get(sin_cuerpo, {}).pop("content", None)
            for estado, respuesta in comunes.items():
                respuestas.setdefault(str(estado), respuesta)
    componentes = documento.setdefault("components", {}).setdefault("schemas", {})
    faltan = [n for n in dict.fromkeys(referidos(documento)) if n not in componentes]
    for nombre, definicion in esquemas(faltan).items():
        componentes.setdefault(nombre, definicion)
    return type(esquema).model_validate(documento)
