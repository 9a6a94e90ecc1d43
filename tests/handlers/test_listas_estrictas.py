"""Strict lists, driven by template.yaml: every list route (a GET whose answer has `next_cursor`, found in the
merged OpenAPI document) refuses unknown query parameters, a `limit` outside 1–100 or not a number, and a
tampered or foreign cursor with a 400; and no route of the template takes a query parameter it does not declare."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from monitor.core import cursors
from monitor.usuarios.campos import Rol
from tests.handlers.test_matriz_roles import ROLES_POR_RUTA, integracion, personal  # noqa: F401 - fixtures
from tools import openapi_local, plantilla

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")
Invocar = Callable[..., dict[str, Any]]
RUTAS = sorted(plantilla.rutas(), key=lambda r: (r.ruta, r.metodo))
# The lists the API had when this rule was written: a route that stops being a list is noticed.
CONOCIDAS = {
    "/api/usuarios",
    "/api/aseguradoras",
    "/api/expedientes",
    "/api/expedientes/{no_siniestro}/estado/historial",
    "/api/expedientes/{no_siniestro}/auditoria",
    "/api/expedientes/{no_siniestro}/comentarios",
    "/api/expedientes/{no_siniestro}/evidencias",
    "/api/ordenes-servicio",
}
CURSOR_AJENO = cursors.codificar({"PK": "EXP#X", "SK": "EXP"}, cursors.alcance("GET /otra/lista"))
MALOS = [
    ({"zzz": "1"}, "zzz"),
    ({"limit": "abc"}, "limit"),
    ({"limit": "0"}, "limit"),
    ({"limit": "101"}, "limit"),
    ({"limit": "-1"}, "limit"),
    ({"limit": "1.5"}, "limit"),
    ({"cursor": "zzz"}, "cursor"),
    ({"cursor": "abc.def"}, "cursor"),
    ({"cursor": CURSOR_AJENO}, "cursor"),
]


def _listas() -> list[plantilla.Ruta]:
    documento = openapi_local.documento(RUTAS)
    listas = []
    for ruta in RUTAS:
        operacion = documento["paths"][ruta.ruta].get(ruta.metodo.lower(), {})
        nombres = {p["name"] for p in operacion.get("parameters", []) if p.get("in") == "query"}
        esquema = operacion.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {})
        referencia = str(esquema.get("schema", {}).get("$ref", "")).rsplit("/", 1)[-1]
        propiedades = documento["components"]["schemas"].get(referencia, {}).get("properties", {})
        if ruta.metodo == "GET" and ("next_cursor" in propiedades or "cursor" in nombres):
            listas.append(ruta)
    return listas


LISTAS = _listas()


def test_the_template_s_lists_are_found() -> None:
    assert {r.ruta for r in LISTAS} >= CONOCIDAS


def _llamante(ruta: plantilla.Ruta, personal: dict[Rol, Any], integracion: Any) -> Any:  # noqa: F811
    permitidos = ROLES_POR_RUTA[(ruta.metodo, ruta.ruta)]
    if permitidos is None:
        return None
    rol = Rol.ADMINISTRADOR if Rol.ADMINISTRADOR in permitidos else next(iter(permitidos))
    return integracion if rol == Rol.INTEGRACION else personal[rol]


def _parametros(ruta: str) -> dict[str, str]:
    valores = {"no_siniestro": "LISTA-ESTRICTA", "id": "987654321", "serviceOrderId": "987654321"}
    return {nombre: valor for nombre, valor in valores.items() if "{" + nombre + "}" in ruta}


@pytest.mark.parametrize("ruta", LISTAS, ids=[r.ruta for r in LISTAS])
@pytest.mark.parametrize("caso", MALOS, ids=[f"{next(iter(q))}={next(iter(q.values()))[:12]}" for q, _ in MALOS])
def test_every_list_refuses_each_bad_parameter(
    ruta: plantilla.Ruta,
    caso: tuple[dict[str, str], str],
    invocar: Invocar,
    personal: dict[Rol, Any],  # noqa: F811
    integracion: Any,  # noqa: F811
) -> None:
    query, campo = caso
    r = invocar(
        ruta.codigo.name,
        ruta.metodo,
        ruta.ruta,
        llamante=_llamante(ruta, personal, integracion),
        ruta_params=_parametros(ruta.ruta),
        query=query,
    )

    assert r["statusCode"] == 400, r["json"]
    assert campo in [d["campo"] for d in r["json"]["detalles"]]


@pytest.mark.parametrize("ruta", RUTAS, ids=[f"{r.metodo} {r.ruta}" for r in RUTAS])
def test_no_route_takes_a_query_parameter_it_does_not_declare(
    ruta: plantilla.Ruta,
    invocar: Invocar,
    personal: dict[Rol, Any],  # noqa: F811
    integracion: Any,  # noqa: F811
) -> None:
    r = invocar(
        ruta.codigo.name,
        ruta.metodo,
        ruta.ruta,
        llamante=_llamante(ruta, personal, integracion),
        ruta_params=_parametros(ruta.ruta),
        cuerpo="{}",
        query={"parametro_inventado": "1"},
    )

    assert r["statusCode"] == 400, r["json"]
    assert r["json"]["error"] == "Parámetro de consulta no admitido"
    assert r["json"]["detalles"][0]["campo"] == "parametro_inventado"
