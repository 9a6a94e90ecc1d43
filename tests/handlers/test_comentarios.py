"""Comments on an expediente: list, create, delete through their handlers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from monitor.core import keys, table
from tests.apoyo.expedientes import FECHA_Z, RUTA, nuevo

Invocar = Callable[..., dict[str, Any]]
RUTA_COMENTARIOS = RUTA + "/comentarios"
RUTA_COMENTARIO = RUTA_COMENTARIOS + "/{id}"


def comentar(invocar: Invocar, llamante: Any, no: str, cuerpo: Any) -> dict[str, Any]:
    return invocar(
        "expedientes_comentarios_create",
        "POST",
        RUTA_COMENTARIOS,
        llamante=llamante,
        ruta_params={"no_siniestro": no},
        cuerpo=cuerpo,
    )


def listar(invocar: Invocar, llamante: Any, no: str, **query: str) -> dict[str, Any]:
    return invocar(
        "expedientes_comentarios_list",
        "GET",
        RUTA_COMENTARIOS,
        llamante=llamante,
        ruta_params={"no_siniestro": no},
        query=query,
    )


def guardados(no: str) -> list[dict[str, Any]]:
    return table.query_todo(
        "PK = :pk AND begins_with(SK, :p)", {":pk": keys.expediente_pk(no), ":p": "COM#"}, consistente=True
    )


def test_any_staff_member_comments_and_the_server_sets_author_and_time(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    dynamo_requests.reiniciar()

    r = comentar(invocar, tecnico, no, {"texto": "  Falta la defensa trasera.\nLlega el lunes.  "})

    assert r["statusCode"] == 201
    assert dynamo_requests.llamadas == {"TransactWriteItems": 1}
    assert r["json"]["texto"] == "Falta la defensa trasera.\nLlega el lunes."
    assert r["json"]["autor"] == {
        "id": tecnico.principal.id_usuario,
        "username": tecnico.principal.username,
        "nombre": tecnico.principal.nombre,
    }
    assert FECHA_Z.match(r["json"]["fecha"])
    assert set(r["json"]) == {"id", "texto", "autor", "fecha"}


def test_comments_are_listed_newest_first_and_paginated(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    ids = [comentar(invocar, operador, no, {"texto": f"nota {i}"})["json"]["id"] for i in range(3)]
    dynamo_requests.reiniciar()

    primera = listar(invocar, tecnico, no, limit="2")
    segunda = listar(invocar, tecnico, no, limit="2", cursor=primera["json"]["next_cursor"])

    assert dynamo_requests.llamadas == {"Query": 2}
    assert [c["id"] for c in primera["json"]["items"] + segunda["json"]["items"]] == ids[::-1]
    assert segunda["json"]["next_cursor"] is None


def test_an_expediente_without_comments_lists_empty_and_a_missing_one_is_404(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)

    vacio = listar(invocar, operador, no)
    falta = listar(invocar, operador, siniestro())

    assert vacio["statusCode"] == 200
    assert vacio["json"] == {"items": [], "next_cursor": None}
    assert falta["statusCode"] == 404
    assert falta["json"] == {"error": "Expediente no encontrado"}


def test_commenting_a_missing_expediente_is_404_and_stores_nothing(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()

    r = comentar(invocar, operador, no, {"texto": "hola"})

    assert r["statusCode"] == 404
    assert r["json"] == {"error": "Expediente no encontrado"}
    assert guardados(no) == []


@pytest.mark.parametrize(
    "cuerpo",
    [
        {"texto": ""},
        {"texto": "   "},
        {"texto": "x" * 2001},
        {"texto": "campana\x07"},
        {"texto": "nulo\x00"},
        {"texto": 5},
        {},
        {"texto": "ok", "autor": "yo"},
    ],
)
def test_invalid_comments_are_400_and_store_nothing(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], cuerpo: dict[str, Any]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)

    r = comentar(invocar, operador, no, cuerpo)

    assert r["statusCode"] == 400
    assert r["json"]["detalles"]
    assert guardados(no) == []


def test_the_longest_comment_and_tabs_are_accepted(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)

    r = comentar(invocar, operador, no, {"texto": "\t" + "x" * 1999})

    assert r["statusCode"] == 201


def test_only_an_administrator_deletes_a_comment(
    invocar: Invocar, operador: Any, admin: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    id_comentario = comentar(invocar, operador, no, {"texto": "borrar"})["json"]["id"]
    params = {"no_siniestro": no, "id": id_comentario}

    negado = invocar("expedientes_comentarios_delete", "DELETE", RUTA_COMENTARIO, llamante=operador, ruta_params=params)
    borrado = invocar("expedientes_comentarios_delete", "DELETE", RUTA_COMENTARIO, llamante=admin, ruta_params=params)
    otra_vez = invocar("expedientes_comentarios_delete", "DELETE", RUTA_COMENTARIO, llamante=admin, ruta_params=params)

    assert negado["statusCode"] == 403
    assert negado["json"] == {"error": "Acceso restringido a administradores"}
    assert borrado["statusCode"] == 200
    assert borrado["json"] == {"eliminado": id_comentario}
    assert otra_vez["statusCode"] == 404
    assert otra_vez["json"] == {"error": "Comentario no encontrado"}
    assert guardados(no) == []
