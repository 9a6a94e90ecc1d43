"""The document says what the server enforces: patterns and bounds on parameters, nullability only where
null is accepted, the text rule, and the bodies the routes really answer (the drift the fuzzing found)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from monitor.core.models import PATRON_TEXTO, PATRON_TEXTO_REQUERIDO
from monitor.expedientes.campos import NO_SINIESTRO, OBLIGATORIOS
from tools import openapi_local, plantilla


@pytest.fixture(scope="module")
def documento() -> dict[str, Any]:
    return openapi_local.documento(plantilla.rutas())


def _operaciones(documento: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(ruta, metodo, op) for ruta, ops in documento["paths"].items() for metodo, op in ops.items()]


def _componente(documento: dict[str, Any], nombre: str) -> dict[str, Any]:
    return dict(documento["components"]["schemas"][nombre])


def test_every_claim_number_in_a_path_declares_its_pattern(documento: dict[str, Any]) -> None:
    vistos = 0
    for ruta, metodo, operacion in _operaciones(documento):
        for parametro in operacion.get("parameters", ()):
            if parametro["name"] == "no_siniestro":
                vistos += 1
                assert parametro["schema"]["pattern"] == NO_SINIESTRO.pattern, f"{metodo} {ruta}"
                assert parametro["schema"]["maxLength"] == 64
    assert vistos >= 14


def test_parameters_use_json_schema_bounds_and_are_never_nullable(documento: dict[str, Any]) -> None:
    for ruta, metodo, operacion in _operaciones(documento):
        for parametro in operacion.get("parameters", ()):
            esquema = parametro["schema"]
            donde = f"{metodo} {ruta} {parametro['name']}"
            assert not {"ge", "le", "gt", "lt"} & esquema.keys(), donde
            assert {"type": "null"} not in esquema.get("anyOf", []), donde
            if esquema.get("type") == "integer":
                assert "minimum" in esquema, donde
                assert "maximum" in esquema, donde


def test_no_request_body_is_nullable(documento: dict[str, Any]) -> None:
    for ruta, metodo, operacion in _operaciones(documento):
        esquema = operacion.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
        assert {"type": "null"} not in esquema.get("anyOf", []), f"{metodo} {ruta}"


def test_fields_that_refuse_null_are_not_nullable(documento: dict[str, Any]) -> None:
    usuario = _componente(documento, "CambiosUsuario")
    assert usuario["minProperties"] == 1
    for campo in ("nombre", "rol", "password", "activo"):
        assert "anyOf" not in usuario["properties"][campo], campo
    expediente = _componente(documento, "CambiosExpediente")
    assert expediente["minProperties"] == 1
    for campo in OBLIGATORIOS:
        if campo == "no_siniestro":
            continue
        propiedad = expediente["properties"][campo]
        assert {"type": "null"} not in propiedad.get("anyOf", []), campo
    assert {"type": "null"} in expediente["properties"]["color"]["anyOf"]  # null clears an optional field


def test_free_text_carries_the_text_rule_and_it_compiles_in_python(documento: dict[str, Any]) -> None:
    comentario = _componente(documento, "ComentarioNuevo")["properties"]["texto"]
    assert comentario["pattern"] == PATRON_TEXTO_REQUERIDO  # required and trimmed: not only spaces
    color = _componente(documento, "CambiosExpediente")["properties"]["color"]["anyOf"][0]
    assert color["pattern"] == PATRON_TEXTO
    for patron in (re.compile(PATRON_TEXTO), re.compile(PATRON_TEXTO_REQUERIDO)):
        assert patron.fullmatch("José Peña\n")
        assert not patron.fullmatch("a\u202eb")
    assert re.compile(PATRON_TEXTO).fullmatch("  ")
    assert not re.compile(PATRON_TEXTO_REQUERIDO).fullmatch(" \u00a0 ")


def test_the_comment_delete_answers_the_documented_body(documento: dict[str, Any]) -> None:
    respuesta = documento["paths"]["/api/expedientes/{no_siniestro}/comentarios/{id}"]["delete"]["responses"]["200"]
    assert respuesta["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Eliminado"}
    assert _componente(documento, "Eliminado")["required"] == ["eliminado"]
