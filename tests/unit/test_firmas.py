"""Webhook signatures: the .NET ASCII form, hex case, constant-time comparison of every accepted form."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from monitor.ordenes import firmas

CLAVE = "c0ffee" * 10
CUERPO = '{"createdByDisplayName":"María Peña","comments":"Ñandú 😀"}'


def _hex(datos: bytes, clave: str = CLAVE) -> str:
    return hmac.new(clave.encode(), datos, hashlib.sha256).hexdigest()


def test_ascii_dotnet_replaces_each_non_ascii_char_with_a_question_mark() -> None:
    assert firmas.ascii_dotnet("Peña") == b"Pe?a"
    assert firmas.ascii_dotnet("María Núñez") == b"Mar?a N??ez"
    assert firmas.ascii_dotnet("plain ascii {}") == b"plain ascii {}"


def test_characters_outside_the_bmp_are_two_utf16_units_so_two_question_marks() -> None:
    assert firmas.ascii_dotnet("a😀b") == b"a??b"


def test_calcular_is_hex_hmac_sha256_over_the_utf8_bytes_of_the_key() -> None:
    assert firmas.calcular(b"abc", CLAVE) == _hex(b"abc")
    assert firmas.calcular(b"abc", CLAVE) == firmas.calcular(b"abc", CLAVE).lower()


def test_variantes_adds_the_ascii_form_only_when_it_differs() -> None:
    assert firmas.variantes(b'{"a":1}') == [b'{"a":1}']
    assert firmas.variantes("Peña".encode()) == ["Peña".encode(), b"Pe?a"]


def test_invalid_utf8_is_only_checked_raw() -> None:
    assert firmas.variantes(b"\xff\xfe") == [b"\xff\xfe"]


@pytest.mark.parametrize(
    "firma",
    [
        _hex(CUERPO.encode("utf-8")),
        _hex(CUERPO.encode("utf-8")).upper(),
        _hex(firmas.ascii_dotnet(CUERPO)),
        _hex(firmas.ascii_dotnet(CUERPO)).upper(),
        "  " + _hex(CUERPO.encode("utf-8")) + " ",
    ],
    ids=["utf8-min", "utf8-may", "ascii-min", "ascii-may", "espacios"],
)
def test_accepted_forms(firma: str) -> None:
    assert firmas.es_valida(CUERPO.encode("utf-8"), CLAVE, firma)


@pytest.mark.parametrize(
    "firma",
    [
        None,
        "",
        "0" * 64,
        _hex(CUERPO.encode("utf-8"))[:-1],
        _hex(CUERPO.encode("utf-8"), "otra-clave"),
        _hex(CUERPO.encode("latin-1", errors="replace")),
        "ñ" * 64,
        "sha256=" + _hex(CUERPO.encode("utf-8")),
    ],
    ids=["none", "vacia", "ceros", "truncada", "otra-clave", "latin1", "no-ascii", "prefijo"],
)
def test_refused_forms(firma: str | None) -> None:
    assert not firmas.es_valida(CUERPO.encode("utf-8"), CLAVE, firma)


def test_a_client_without_a_key_never_validates() -> None:
    assert not firmas.es_valida(b"{}", "", _hex(b"{}", ""))


def test_the_pena_example_from_the_design() -> None:
    cuerpo = '{"workshopPersonName":"Peña"}'
    ascii_firma = hmac.new(CLAVE.encode(), b'{"workshopPersonName":"Pe?a"}', hashlib.sha256).hexdigest()
    assert firmas.es_valida(cuerpo.encode("utf-8"), CLAVE, ascii_firma)
    assert firmas.es_valida(cuerpo.encode("utf-8"), CLAVE, firmas.calcular(cuerpo.encode("utf-8"), CLAVE))
