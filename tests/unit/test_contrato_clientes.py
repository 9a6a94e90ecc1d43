"""The merged OpenAPI document as clients read it: valid OpenAPI, every operation under a tag, every header
the API reads or sets declared, descriptions in Spanish, and nothing that points outside the repository (the
docs included)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

from tools import openapi_local, plantilla

RAIZ = Path(__file__).resolve().parents[2]
# Common English words that no Spanish sentence of this API uses (a heuristic: code spans are left out).
INGLES = {
    "the", "of", "and", "with", "for", "is", "are", "every", "which", "when", "from", "this", "that", "be", "by",
    "to", "an", "or", "not", "its", "only", "body", "output", "input", "field", "fields", "may", "our", "seed",
    "must", "should", "will", "returns", "page", "value", "values", "request", "response", "user", "successful",
    "validation", "required", "string", "missing",
}  # fmt: skip
FUERA_DEL_REPOSITORIO = re.compile(r"\.\./|seeds/|shared/|DESIGN(\.md|\s*§)")


@pytest.fixture(scope="module")
def documento() -> dict[str, Any]:
    return openapi_local.documento(plantilla.rutas())


def _operaciones(documento: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(ruta, metodo, op) for ruta, ops in documento["paths"].items() for metodo, op in ops.items()]


def _textos(nodo: Any, camino: str = "") -> list[tuple[str, str]]:
    """Every description and summary of the document, with where it is."""
    encontrados = []
    if isinstance(nodo, dict):
        for clave, valor in nodo.items():
            if clave in ("description", "summary") and isinstance(valor, str):
                encontrados.append((f"{camino}/{clave}", valor))
            else:
                encontrados += _textos(valor, f"{camino}/{clave}")
    elif isinstance(nodo, list):
        for i, valor in enumerate(nodo):
            encontrados += _textos(valor, f"{camino}[{i}]")
    return encontrados


def _palabras_en_ingles(texto: str) -> set[str]:
    sin_codigo = re.sub(r"`[^`]*`|\{[^}]*\}|\S*[_/]\S*", " ", texto)
    return set(re.findall(r"[a-záéíóúñü]+", sin_codigo.lower())) & INGLES


def test_the_merged_document_is_valid_openapi(documento: dict[str, Any]) -> None:
    validate(documento)


def test_every_operation_is_under_a_declared_tag(documento: dict[str, Any]) -> None:
    declaradas = {t["name"] for t in documento["tags"]}
    for ruta, metodo, operacion in _operaciones(documento):
        assert operacion.get("tags"), f"{metodo.upper()} {ruta} quedaría bajo 'default'"
        assert set(operacion["tags"]) <= declaradas, f"{metodo.upper()} {ruta}"
    assert "default" not in declaradas


def test_no_description_is_in_english(documento: dict[str, Any]) -> None:
    en_ingles = {camino: texto for camino, texto in _textos(documento) if _palabras_en_ingles(texto)}

    assert en_ingles == {}


def test_only_links_into_the_repository_are_left_out() -> None:
    docs = RAIZ / "docs"

    assert _sin_enlaces_propios("[r](../bench/results.md)", docs) == "[r]()"
    assert FUERA_DEL_REPOSITORIO.findall(_sin_enlaces_propios("[d](../../shared/DESIGN.md)", docs))
    assert FUERA_DEL_REPOSITORIO.findall(_sin_enlaces_propios("[n](../bench/no_existe.md)", docs))


def test_the_english_heuristic_catches_english(documento: dict[str, Any]) -> None:
    assert _palabras_en_ingles("Every error body of the API")
    assert not _palabras_en_ingles("Una página de expedientes y el cursor de la siguiente (`next_cursor`)")


def _sin_enlaces_propios(texto: str, carpeta: Path) -> str:
    """The text without its relative links to files of the repository (`](../bench/results.md)` from docs/)."""

    def propio(enlace: re.Match[str]) -> str:
        destino = (carpeta / enlace.group(1)).resolve()
        return "]()" if destino.is_relative_to(RAIZ) and destino.exists() else enlace.group(0)

    return re.sub(r"\]\(([^)\s#]+)(#[^)\s]*)?\)", propio, texto)


def test_nothing_points_outside_the_repository(documento: dict[str, Any]) -> None:
    import json

    texto = json.dumps(documento, ensure_ascii=False)
    assert not FUERA_DEL_REPOSITORIO.findall(texto)
    for documentacion in [RAIZ / "README.md", *sorted((RAIZ / "docs").glob("*.md"))]:
        propio = _sin_enlaces_propios(documentacion.read_text(encoding="utf-8"), documentacion.parent)
        hallados = FUERA_DEL_REPOSITORIO.findall(propio)
        assert not hallados, f"{documentacion.name}: {hallados}"


def _cabeceras(operacion: dict[str, Any]) -> set[str]:
    return {p["name"] for p in operacion.get("parameters", []) if p["in"] == "header"}


def test_the_headers_the_api_reads_are_parameters_where_taken(documento: dict[str, Any]) -> None:
    detalle = documento["paths"]["/api/expedientes/{no_siniestro}"]
    firmas = {"X-Infopiezas-Hmac-Sha256", "X-Infopiezas-Topic"}

    assert "If-None-Match" in _cabeceras(detalle["get"])
    assert "If-Match" in _cabeceras(detalle["put"])
    assert "If-Match" in _cabeceras(detalle["delete"])
    assert "If-Match" in _cabeceras(documento["paths"]["/api/expedientes/{no_siniestro}/estado"]["patch"])
    assert firmas <= _cabeceras(documento["paths"]["/serviceOrders"]["post"])
    assert firmas <= _cabeceras(documento["paths"]["/serviceOrders/{serviceOrderId}/cancel"]["post"])
    for _, _, operacion in _operaciones(documento):
        for parametro in operacion.get("parameters", []):
            assert parametro.get("description") or parametro["in"] != "header"


def test_the_headers_the_api_sets_are_declared_on_its_answers(documento: dict[str, Any]) -> None:
    detalle = documento["paths"]["/api/expedientes/{no_siniestro}"]
    con_etag = [
        documento["paths"]["/api/expedientes"]["post"]["responses"]["201"],
        detalle["get"]["responses"]["200"],
        detalle["get"]["responses"]["304"],
        detalle["put"]["responses"]["200"],
        detalle["put"]["responses"]["412"],
        detalle["delete"]["responses"]["412"],
        documento["paths"]["/api/expedientes/{no_siniestro}/estado"]["patch"]["responses"]["200"],
    ]

    assert all("ETag" in r.get("headers", {}) for r in con_etag)
    assert "Retry-After" in documento["paths"]["/api/auth/login"]["post"]["responses"]["429"]["headers"]
    for ruta, metodo, operacion in _operaciones(documento):
        assert "Retry-After" in operacion["responses"]["503"].get("headers", {}), f"{metodo} {ruta}"


def test_answers_without_a_body_declare_none(documento: dict[str, Any]) -> None:
    logout = documento["paths"]["/api/auth/logout"]["post"]["responses"]["204"]
    no_modificado = documento["paths"]["/api/expedientes/{no_siniestro}"]["get"]["responses"]["304"]

    assert "content" not in logout
    assert "content" not in no_modificado
