"""Request bodies every route shares: MonitorResolver parses them the same way for all functions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.mark.parametrize("cuerpo", ['[{"texto": "hola"}]', '"hola"', "42", "null"])
def test_a_body_that_is_not_a_json_object_is_400_not_its_first_element(
    invocar: Callable[..., dict[str, Any]], cuerpo: str, crear_usuario: Callable[..., Any], siniestro: Callable[[], str]
) -> None:
    from monitor.usuarios.campos import Rol

    operador = crear_usuario(Rol.OPERADOR)
    respuesta = invocar(
        "expedientes_comentarios_create",
        "POST",
        "/api/expedientes/{no_siniestro}/comentarios",
        llamante=operador,
        ruta_params={"no_siniestro": siniestro()},
        cuerpo=cuerpo,
    )

    assert respuesta["statusCode"] == 400
    assert respuesta["json"]["error"] == "El cuerpo no es JSON válido"
    assert respuesta["json"]["detalles"][0]["mensaje"] == "Se esperaba un objeto JSON"
