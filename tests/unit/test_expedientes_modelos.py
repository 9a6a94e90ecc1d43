"""Expediente models and pure rules: strict inputs, stripped server fields, search text, workflow rules."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from monitor.core.errors import AccesoDenegado, Conflicto, SolicitudInvalida
from monitor.expedientes import busqueda, estados
from monitor.expedientes import servicio as expedientes
from monitor.expedientes.campos import CAMPOS_SALIDA, Estado
from monitor.expedientes.modelos import CambiosExpediente, ComentarioNuevo, ExpedienteNuevo
from monitor.expedientes.respuestas import Expediente
from monitor.usuarios.campos import Rol

BASE = {
    "no_siniestro": " SIN-2024-001 ",
    "nombre_cliente": "Juan García",
    "telefono_cliente": "555-100-2000",
    "marca": "Toyota",
    "placas": "ABC-123",
    "tipo": "Sedán",
    "modelo": "Corolla",
    "fecha_ingreso": "2024-03-15",
    "fecha_entrega": "2024-04-15",
}


def test_create_model_normalises_and_trims() -> None:
    modelo = ExpedienteNuevo.model_validate({**BASE, "estado": "Salida", "version": 9, "creado_por": 3})

    assert modelo.no_siniestro == "SIN-2024-001"
    assert modelo.fecha_ingreso == "2024-03-15T12:00:00.000Z"
    assert "estado" not in modelo.model_dump()


def test_update_model_strips_estado_and_read_only_fields_before_validation() -> None:
    modelo = CambiosExpediente.model_validate(
        {"estado": 5, "no_siniestro": [], "creado_por": "x", "ubicacion_almacenamiento": 1, "color": "Rojo"}
    )

    assert modelo.cambios() == {"color": "Rojo"}


def test_update_model_keeps_nulls_as_clears_and_omits_what_was_not_sent() -> None:
    assert CambiosExpediente.model_validate({"color": None, "doc_finiquito": False}).cambios() == {
        "color": None,
        "doc_finiquito": False,
    }


@pytest.mark.parametrize(
    "cuerpo",
    [
        {"doc_finiquito": "yes"},
        {"doc_finiquito": "true"},
        {"doc_finiquito": 1},
        {"id_aseguradora": True},
        {"id_aseguradora": "2"},
        {"id_aseguradora": 0},
        {"marca": 7},
        {"dato4": "á" * 501},
        {"inventado": None},
        {"marca": None},
        {"fecha_entrega": None},
    ],
)
def test_update_model_is_strict(cuerpo: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        CambiosExpediente.model_validate(cuerpo)


def test_dato_of_exactly_500_characters_is_accepted() -> None:
    assert CambiosExpediente.model_validate({"dato1": "x" * 500}).cambios() == {"dato1": "x" * 500}


def test_output_model_lists_every_output_field() -> None:
    assert list(Expediente.model_fields) == list(CAMPOS_SALIDA)


def test_publica_fills_every_field_and_turns_dynamo_numbers_into_ints() -> None:
    from decimal import Decimal

    salida = expedientes.a_respuesta(
        {"no_siniestro": "X", "version": Decimal(3), "creado_por": Decimal(2), "id_aseguradora": Decimal(1), "PK": "p"}
    )

    assert list(salida) == list(CAMPOS_SALIDA)
    assert salida["version"] == 3
    assert type(salida["version"]) is int
    assert salida["color"] is None
    assert "PK" not in salida


def test_comment_text_rules() -> None:
    assert ComentarioNuevo.model_validate({"texto": " hola\n\tmundo "}).texto == "hola\n\tmundo"
    for malo in ("", " ", "x" * 2001, "a\x1bb", "\x7f"):
        with pytest.raises(ValidationError):
            ComentarioNuevo.model_validate({"texto": malo})


@pytest.mark.parametrize(
    ("no", "nombre", "placas", "esperados"),
    [
        ("SIN-2024-01", "José Peña", "ABC-123", ["sin202401", "abc123", "123", "jose", "pena"]),
        ("X", "ÁLVARO  de la O'Brien", "xyz 9", ["xyz9", "9", "alvaro", "de", "la", "brien", "obrien"]),
        ("A1", "Ana Anabel María-José", None, ["a1", "anabel", "jose", "mariajose"]),
    ],
)
def test_search_tokens_fold_case_accents_and_punctuation(
    no: str, nombre: str, placas: str | None, esperados: list[str]
) -> None:
    # A token that begins another ("abc" of "abc123", "x" of "xyz9", "ana" of "anabel") is left out.
    assert busqueda.tokens(no, placas, nombre) == esperados
    assert busqueda.normalizar_texto("PEÑA Ü") == "pena u"


@pytest.mark.parametrize(
    ("q", "esperado"),
    [("pena", ("pena", [])), ("ABC-1", ("abc1", [])), ("  José  PEÑA ", ("jose", ["pena"])), ("a b", ("a", ["b"]))],
)
def test_a_query_looks_up_its_longest_word_and_filters_by_the_others(q: str, esperado: tuple[str, list[str]]) -> None:
    assert busqueda.consulta(q) == esperado


@pytest.mark.parametrize("q", ["", "   ", "¿?", "---", "日本"])
def test_a_query_without_letters_or_digits_is_refused(q: str) -> None:
    with pytest.raises(SolicitudInvalida):
        busqueda.consulta(q)


def test_a_long_name_is_capped_so_the_transaction_stays_small() -> None:
    nombre = " ".join(f"palabra{i}" for i in range(60))

    assert len(busqueda.tokens("X", "Y", nombre)) == busqueda.MAX_TOKENS


@pytest.mark.parametrize(
    ("cabecera", "version"),
    [(None, None), ("*", None), ("", None), ("3", 3), ('"3"', 3), ('W/"3"', 3), ("abc", -1)],
)
def test_if_match_forms(cabecera: str | None, version: int | None) -> None:
    assert expedientes.version_esperada(cabecera) == version


def _item(estado: Estado, **campos: Any) -> dict[str, Any]:
    return {"estado": estado.value, **campos}


def test_workflow_rules() -> None:
    listo = {"unidad_terminada": "x", "fecha_entrega": "y"}
    checklist = {"aprobada": True, "fecha_entrega": "z", "nombre_quien_recibe": "Juan"}
    assert estados.validar_transicion(_item(Estado.INGRESO), Estado.RESTAURACION, Rol.OPERADOR) == Estado.INGRESO
    assert estados.validar_transicion(_item(Estado.RESTAURACION), Estado.INGRESO, Rol.OPERADOR)
    assert estados.validar_transicion(
        _item(Estado.PENDIENTE_DE_SALIDA, **listo), Estado.SALIDA, Rol.OPERADOR, checklist
    )
    assert estados.validar_transicion(_item(Estado.SALIDA), Estado.PENDIENTE_DE_SALIDA, Rol.ADMINISTRADOR)
    with pytest.raises(AccesoDenegado):
        estados.validar_transicion(_item(Estado.SALIDA), Estado.PENDIENTE_DE_SALIDA, Rol.OPERADOR)
    with pytest.raises(Conflicto, match="ya se encuentra"):
        estados.validar_transicion(_item(Estado.SALIDA), Estado.SALIDA, Rol.ADMINISTRADOR)
    with pytest.raises(Conflicto, match="no permitida"):
        estados.validar_transicion(_item(Estado.INGRESO), Estado.SALIDA, Rol.ADMINISTRADOR)
    with pytest.raises(Conflicto, match=r"falta doc_finiquito$"):
        estados.validar_transicion(
            _item(Estado.PENDIENTE_DE_SALIDA, id_aseguradora=1, **listo), Estado.SALIDA, Rol.ADMINISTRADOR, checklist
        )
