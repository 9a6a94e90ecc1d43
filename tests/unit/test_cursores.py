"""Pagination cursors: opaque, signed for one listing, refused when tampered with or replayed elsewhere."""

from __future__ import annotations

import base64
import json
from decimal import Decimal

import pytest

from monitor.core import cursors
from monitor.core.errors import SolicitudInvalida

CLAVE = {"PK": "EXP#SIN-1", "SK": "HIST#2024-03-20T10:30:00.000Z#abcd", "GSI1SK": "x", "n": Decimal("12")}


def test_round_trip_keeps_the_key_exactly() -> None:
    cursor = cursors.codificar(CLAVE, "GET /api/expedientes")

    assert isinstance(cursor, str)
    assert "EXP#" not in cursor  # opaque: not the raw key
    assert cursors.decodificar(cursor, "GET /api/expedientes") == CLAVE


def test_no_key_means_no_cursor() -> None:
    assert cursors.codificar(None, "x") is None
    assert cursors.codificar({}, "x") is None
    assert cursors.decodificar(None, "x") is None
    assert cursors.decodificar("", "x") is None


def test_pagina_builds_the_list_body() -> None:
    cuerpo = cursors.pagina([1, 2], CLAVE, "a")

    assert cuerpo["items"] == [1, 2]
    assert cursors.decodificar(cuerpo["next_cursor"], "a") == CLAVE
    assert cursors.pagina([], None, "a") == {"items": [], "next_cursor": None}


def _alterar(cursor: str) -> str:
    carga, _, firma = cursor.partition(".")
    datos = json.loads(base64.urlsafe_b64decode(carga + "=" * (-len(carga) % 4)))
    datos["PK"] = "EXP#OTRO"
    nueva = base64.urlsafe_b64encode(json.dumps(datos).encode()).rstrip(b"=").decode()
    return f"{nueva}.{firma}"


@pytest.mark.parametrize(
    "alterar",
    [
        _alterar,
        lambda c: c[:-2] + ("AA" if not c.endswith("AA") else "BB"),
        lambda c: c.partition(".")[0],
        lambda c: "." + c.partition(".")[2],
        lambda c: "basura",
        lambda c: c + "x" * 3000,
        # Found by `make fuzz`: non-ASCII text made the signature comparison raise TypeError (a 500).
        lambda c: c[:-1] + "\u00e5",
        lambda c: "\x00\x0f\U000f1186." + c.partition(".")[2],
        lambda c: "\U000f1627ONx.\u00a5\u0087",
    ],
)
def test_a_tampered_cursor_is_400(alterar: object) -> None:
    cursor = cursors.codificar(CLAVE, "GET /api/expedientes")
    assert cursor

    with pytest.raises(SolicitudInvalida) as error:
        cursors.decodificar(alterar(cursor), "GET /api/expedientes")  # type: ignore[operator]

    assert error.value.status == 400
    assert error.value.detalles == [{"campo": "cursor", "mensaje": "Cursor inválido o de otra consulta"}]


def test_a_cursor_of_another_listing_is_400() -> None:
    cursor = cursors.codificar(CLAVE, "GET /api/expedientes?estado=Ingreso")

    with pytest.raises(SolicitudInvalida):
        cursors.decodificar(cursor, "GET /api/expedientes?estado=Salida")


def test_limite_defaults_to_fifty() -> None:
    assert cursors.limite(None) == 50
    assert cursors.limite(7) == 7
