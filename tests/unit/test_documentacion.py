"""Response models named by string: the document stays whole (the cold-start side: test_arranque.py)."""

from __future__ import annotations

from typing import Any

import pytest

from monitor.auth import clientes
from monitor.auth import respuestas as respuestas_auth
from monitor.core import http, openapi
from monitor.expedientes import respuestas as respuestas_expedientes
from tools import funciones, openapi_local, plantilla


@pytest.fixture(scope="module")
def documento() -> dict[str, Any]:
    return openapi_local.documento(plantilla.rutas())


def test_every_reference_of_the_document_resolves(documento: dict[str, Any]) -> None:
    referidos = set(openapi.referidos(documento))
    assert {"Error", "ErrorValidacion", "Expediente", "Salud"} <= referidos
    assert referidos <= set(documento["components"]["schemas"])


def test_every_operation_declares_what_the_resolver_answers_on_any_route(documento: dict[str, Any]) -> None:
    operaciones = [(r, m, o) for r, ops in documento["paths"].items() for m, o in ops.items()]
    assert len(operaciones) == len(plantilla.rutas())
    for ruta, metodo, operacion in operaciones:
        assert {"400", "413", "500"} <= set(operacion["responses"]), f"{metodo} {ruta}"
    update = documento["paths"]["/api/expedientes/{no_siniestro}"]["put"]["responses"]
    assert update["500"]["description"] == "Error interno al actualizar expediente"
    assert update["413"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_a_function_s_own_schema_declares_400_for_validation_never_422() -> None:
    """What one function documents by itself, before the local tool merges the rest."""
    app = funciones.cargar("expedientes_update").app
    documento = app.get_openapi_schema().model_dump(by_alias=True, exclude_none=True)
    respuestas_put = documento["paths"]["/api/expedientes/{no_siniestro}"]["put"]["responses"]
    assert "422" not in respuestas_put
    assert {"400", "413", "500"} <= set(respuestas_put)


def test_component_schemas_are_the_models_serialization_schemas(documento: dict[str, Any]) -> None:
    componentes = documento["components"]["schemas"]
    esperado = openapi.esquemas(["DetalleExpediente"])
    for nombre in ("DetalleExpediente", "AseguradoraResumen"):  # nested models come along
        assert componentes[nombre]["required"] == esperado[nombre]["required"]
        assert componentes[nombre]["properties"].keys() == esperado[nombre]["properties"].keys()
    assert componentes["Salud"]["required"] == ["status", "tabla", "fecha"]


def test_several_names_document_any_of_them() -> None:
    entrada = http.documentar(("auth.Token", "auth.TokenOAuth"), "Token")
    assert entrada["content"]["application/json"]["schema"] == {
        "anyOf": [{"$ref": "#/components/schemas/Token"}, {"$ref": "#/components/schemas/TokenOAuth"}]
    }
    assert openapi.modelo("TokenOAuth") is respuestas_auth.TokenOAuth


def test_an_unknown_model_name_fails_loudly() -> None:
    with pytest.raises(LookupError, match="Expedient"):
        openapi.modelo("Expedient")


def test_only_response_models_are_documented_as_answers() -> None:
    http.documentar("expedientes.DetalleExpediente", "Detalle")
    assert openapi.modelo("DetalleExpediente") is respuestas_expedientes.DetalleExpediente
    with pytest.raises(LookupError, match="CambiosExpediente"):
        openapi.modelo("CambiosExpediente")  # a request body, not an answer
    with pytest.raises(LookupError, match="Rol"):
        openapi.modelo("Rol")  # imported into the module, not a model


def test_the_integration_client_answer_is_the_documented_one() -> None:
    assert tuple(respuestas_auth.ClienteCreado.model_fields) == clientes.CAMPOS_CREADO
