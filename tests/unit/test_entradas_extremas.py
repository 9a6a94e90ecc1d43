"""The input classes that used to end in a 500, at the level of the rule that now refuses each: the JSON
parser (absurd numbers, depth), the date rules (instants pushed out of the calendar by their offset), the
text rule (controls, bidi overrides, non-characters) and canonical integers in paths and queries."""

from __future__ import annotations

import contextlib
import json
from typing import Annotated, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from monitor.core import jsoncodec
from monitor.core.dates import normalizar_fecha, normalizar_marca_tiempo
from monitor.core.errors import SolicitudInvalida
from monitor.core.models import EnteroCanonico, Texto, texto_permitido
from monitor.expedientes.campos import NO_SINIESTRO, no_siniestro_valido
from monitor.expedientes.modelos import CambiosExpediente, ComentarioNuevo, ExpedienteNuevo
from monitor.usuarios.modelos import CambiosUsuario


@pytest.mark.parametrize(
    "texto",
    [
        '{"x": 1' + "0" * 5000 + "}",  # past Python's 4 300-digit int limit (ValueError, not JSONDecodeError)
        '{"x": -' + "9" * 1001 + "}",
        '{"x": 1e1001}',
        '{"x": -1E+999999999}',
        '{"x": 1e-1001}',
        '{"x": 0.' + "0" * 1000 + "1}",
    ],
)
def test_numbers_far_past_any_sensible_size_are_a_json_error(texto: str) -> None:
    with pytest.raises(json.JSONDecodeError) as error:
        jsoncodec.loads(texto)
    assert error.value.msg == jsoncodec.NUMERO_FUERA_DE_RANGO


@pytest.mark.parametrize("profundidad", [jsoncodec.MAX_ANIDAMIENTO + 1, 5_000, 200_000])
def test_nesting_past_the_limit_is_a_json_error(profundidad: int) -> None:
    with pytest.raises(json.JSONDecodeError) as error:
        jsoncodec.loads("[" * profundidad + "]" * profundidad)
    assert error.value.msg == jsoncodec.ANIDAMIENTO


def test_ordinary_numbers_and_depth_pass_unchanged() -> None:
    texto = (
        '{"a": 12345678901234567890, "b": -0.01, "c": 1.5e3, "d": 0E-500, "e": [[[{"f": 2.2250738585072014e-308}]]]}'
    )
    valor = jsoncodec.loads(texto)
    assert valor["a"] == 12345678901234567890
    assert str(valor["b"]) == "-0.01"
    assert jsoncodec.loads("[" * jsoncodec.MAX_ANIDAMIENTO + "]" * jsoncodec.MAX_ANIDAMIENTO) is not None


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.integers(min_value=-(10**400), max_value=10**400).map(str),
        st.builds(lambda m, e: f"{m}e{e}", st.integers(-(10**20), 10**20), st.integers(-2000, 2000)),
        st.builds(lambda n: "[" * n + "1" + "]" * n, st.integers(0, 3000)),
    )
)
def test_any_number_or_depth_parses_or_is_a_json_error(texto: str) -> None:
    rechazo = None
    try:
        jsoncodec.loads(texto)
    except json.JSONDecodeError as error:
        rechazo = error.msg
    assert rechazo in (None, jsoncodec.NUMERO_FUERA_DE_RANGO, jsoncodec.ANIDAMIENTO)


@pytest.mark.parametrize(
    "valor",
    [
        "0001-01-01T00:00:00+05:00",
        "9999-12-31T23:59:59-05:00",
        "0001-01-01T00:00:00+23:59",
        "9999-12-31T23:59:59.999-23:59",
    ],
)
def test_instants_pushed_out_of_the_calendar_by_their_offset_are_a_value_error(valor: str) -> None:
    for regla in (normalizar_fecha, normalizar_marca_tiempo):
        with pytest.raises(ValueError, match="inválida"):
            regla(valor)


@settings(max_examples=300, deadline=None)
@given(st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()))
def test_any_iso_date_time_normalises_or_is_a_value_error(valor: str) -> None:
    for regla in (normalizar_fecha, normalizar_marca_tiempo):
        with contextlib.suppress(ValueError):
            assert str(regla(valor)).endswith("Z")


PROHIBIDOS = [
    "\x00",
    "\x07",
    "\x1b",
    "\x7f",
    "\x85",
    "\u202a",
    "\u202e",
    "\u2066",
    "\u2069",
    "\ud800",
    "\ufdd0",
    "\ufffe",
    "\uffff",
    "\U0001fffe",
    "\U0010ffff",
]


@pytest.mark.parametrize("caracter", PROHIBIDOS, ids=[f"U+{ord(c):04X}" for c in PROHIBIDOS])
def test_the_text_rule_refuses_controls_bidi_overrides_and_non_characters(caracter: str) -> None:
    with pytest.raises(ValueError, match="caracteres no permitidos"):
        texto_permitido(f"Peña{caracter}")
    with pytest.raises(ValidationError):
        TypeAdapter(Texto).validate_python(f"a{caracter}b")
    with pytest.raises(ValidationError):
        ComentarioNuevo.model_validate({"texto": f"nota {caracter} fin"})
    with pytest.raises(ValidationError):
        CambiosExpediente.model_validate({"observaciones": f"x{caracter}y"})


def test_the_text_rule_keeps_ordinary_text_and_line_breaks() -> None:
    texto = "José Peña — «golpe» en la defensa\r\n\tlado izquierdo 🚗 \u200fok"
    assert texto_permitido(texto) == texto
    assert CambiosExpediente.model_validate({"observaciones": texto}).observaciones == texto.strip()


def test_every_text_field_of_a_request_model_follows_the_rule() -> None:
    campos = [c for c, info in CambiosExpediente.model_fields.items() if "str" in str(info.annotation)]
    assert len(campos) > 20
    for campo in campos:
        with pytest.raises(ValidationError):
            CambiosExpediente.model_validate({campo: "a\u202eb"})


@pytest.mark.parametrize("no", ["...", ".", "   ", "-_-", " . ", "a" * 65])
def test_claim_numbers_need_a_letter_or_digit(no: str) -> None:
    assert not NO_SINIESTRO.fullmatch(no.strip()) or len(no) > 64
    with pytest.raises(SolicitudInvalida):
        no_siniestro_valido(no)
    with pytest.raises(ValidationError):
        ExpedienteNuevo.model_validate({"no_siniestro": no})


def test_activo_is_a_strict_boolean() -> None:
    for valor in ("no", "false", 0, 1, "true"):
        with pytest.raises(ValidationError):
            CambiosUsuario.model_validate({"activo": valor})
    assert CambiosUsuario.model_validate({"activo": False}).activo is False


@pytest.mark.parametrize("texto", ["1.0", "01", "+1", "1_000", " 1", "١", "1e3", "-1", ""])
def test_integers_from_text_are_canonical_ascii_digits(texto: str) -> None:
    adaptador: TypeAdapter[Any] = TypeAdapter(Annotated[EnteroCanonico, "ruta"])
    with pytest.raises(ValidationError):
        adaptador.validate_python(texto)
    assert adaptador.validate_python("10") == 10
