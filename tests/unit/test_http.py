"""The one error-mapping place and the API's role rules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from monitor.auth.roles import ADMIN, ADMIN_OPERADOR, INTEGRACION, PERSONAL, Permiso
from monitor.core import jsoncodec
from monitor.core.errors import SolicitudInvalida
from monitor.core.validation import detalles_de_validacion
from monitor.expedientes.campos import no_siniestro_valido
from monitor.usuarios.campos import Rol


@pytest.mark.parametrize(
    ("permitidos", "rol", "mensaje"),
    [
        (ADMIN, Rol.OPERADOR, "Acceso restringido a administradores"),
        (ADMIN, Rol.TECNICO, "Acceso restringido a administradores"),
        (ADMIN_OPERADOR, Rol.TECNICO, "Acceso restringido a administradores y operadores"),
        (ADMIN_OPERADOR, Rol.INTEGRACION, "Acceso restringido a usuarios del taller"),
        (PERSONAL, Rol.INTEGRACION, "Acceso restringido a usuarios del taller"),
        (ADMIN, Rol.INTEGRACION, "Acceso restringido a usuarios del taller"),
        (INTEGRACION, Rol.ADMINISTRADOR, "Acceso restringido a integraciones de aseguradoras"),
        (INTEGRACION, Rol.TECNICO, "Acceso restringido a integraciones de aseguradoras"),
    ],
)
def test_each_refusal_has_the_designed_body(permitidos: Permiso, rol: Rol, mensaje: str) -> None:
    evento = {"requestContext": {"authorizer": {"principalId": "7", "username": "u", "rol": rol.value}}}
    assert permitidos.rechazo(evento) == (403, mensaje)
    assert permitidos.rechazo({"requestContext": {}}) == (401, "Token requerido")


def test_all_missing_fields_are_named_in_one_message() -> None:
    errores = [
        {"type": "missing", "loc": ("body", "marca"), "msg": "Field required"},
        {"type": "missing", "loc": ("body", "placas"), "msg": "Field required"},
    ]
    mensaje, detalles = detalles_de_validacion(errores)
    assert mensaje == "Faltan campos obligatorios: marca, placas"
    assert detalles == [
        {"campo": "marca", "mensaje": "Campo obligatorio"},
        {"campo": "placas", "mensaje": "Campo obligatorio"},
    ]


def test_mixed_errors_are_reported_field_by_field_in_spanish() -> None:
    errores = [
        {"type": "missing", "loc": ("body", "marca")},
        {"type": "string_too_long", "loc": ("body", "dato1"), "ctx": {"max_length": 500}},
        {"type": "extra_forbidden", "loc": ("body", "color_favorito")},
        {"type": "value_error", "loc": ("body", "fecha_ingreso"), "ctx": {"error": ValueError("Fecha inválida")}},
    ]
    mensaje, detalles = detalles_de_validacion(errores)
    assert mensaje == "Datos inválidos"
    assert {"campo": "dato1", "mensaje": "Excede el máximo de 500 caracteres"} in detalles
    assert {"campo": "color_favorito", "mensaje": "Campo no permitido"} in detalles
    assert {"campo": "fecha_ingreso", "mensaje": "Fecha inválida"} in detalles


def test_invalid_json_points_at_the_body_not_at_a_character_offset() -> None:
    _, detalles = detalles_de_validacion([{"type": "json_invalid", "loc": ("body", 17), "ctx": {"error": "x"}}])
    assert detalles == [{"campo": "body", "mensaje": "El cuerpo no es JSON válido"}]


def test_invalid_json_and_missing_body_have_their_own_message() -> None:
    assert detalles_de_validacion([{"type": "json_invalid", "loc": ("body", 1)}])[0] == "El cuerpo no es JSON válido"
    assert (
        detalles_de_validacion([{"type": "missing", "loc": ("body",)}])[0] == "El cuerpo de la solicitud es obligatorio"
    )


def test_money_round_trips_exactly_through_json() -> None:
    texto = '{"a": 1234567890123.4567, "b": -0.01, "c": 0.1, "d": 3}'
    datos = jsoncodec.loads(texto)
    assert datos["a"] == Decimal("1234567890123.4567")
    assert jsoncodec.dumps(datos) == '{"a":1234567890123.4567,"b":-0.01,"c":0.1,"d":3}'


def test_output_keeps_accents_readable() -> None:
    assert jsoncodec.dumps({"nombre": "Peña"}) == '{"nombre":"Peña"}'


@pytest.mark.parametrize("valor", ["SIN-2024-001", "  AXA 123.45_b  ", "x" * 64])
def test_claim_numbers_in_the_design_format_are_accepted_trimmed(valor: str) -> None:
    assert no_siniestro_valido(valor) == valor.strip()


@pytest.mark.parametrize("valor", ["x" * 65, "SIN/001", "SIN#1", "../etc", "ñandú"])
def test_claim_numbers_outside_the_format_are_400(valor: str) -> None:
    with pytest.raises(SolicitudInvalida) as error:
        no_siniestro_valido(valor)
    assert error.value.status == 400


@pytest.mark.parametrize("valor", [None, "", "   "])
def test_a_missing_claim_number_gets_the_seed_message(valor: str | None) -> None:
    with pytest.raises(SolicitudInvalida, match=r"No\. Siniestro requerido"):
        no_siniestro_valido(valor)
