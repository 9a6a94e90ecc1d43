"""Every route in template.yaml, called by each role (and without a token) through its handler.

The expected roles come from the table below, which mirrors the API's route table: a function that declares
the wrong roles fails here, and a route added to the template without a row here fails too."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from monitor.auth import clientes
from monitor.usuarios import servicio as usuarios
from monitor.usuarios.campos import Rol
from tools import plantilla

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")

A, O, T, I = Rol.ADMINISTRADOR, Rol.OPERADOR, Rol.TECNICO, Rol.INTEGRACION  # noqa: E741
PUBLICA = None
PERSONAL = frozenset({A, O, T})

# Who may call each route, row by row (docs/auth.md).
ROLES_POR_RUTA: dict[tuple[str, str], frozenset[Rol] | None] = {
    ("GET", "/api/health"): PUBLICA,
    ("POST", "/api/auth/login"): PUBLICA,
    ("POST", "/api/auth/token"): PUBLICA,
    ("GET", "/api/auth/me"): PERSONAL,
    ("POST", "/api/auth/password"): PERSONAL,
    ("POST", "/api/auth/logout"): PERSONAL,
    ("GET", "/api/usuarios"): frozenset({A}),
    ("POST", "/api/usuarios"): frozenset({A}),
    ("PUT", "/api/usuarios/{id}"): frozenset({A}),
    ("DELETE", "/api/usuarios/{id}"): frozenset({A}),
    ("GET", "/api/aseguradoras"): PERSONAL,
    ("POST", "/api/aseguradoras"): frozenset({A}),
    ("POST", "/api/integraciones"): frozenset({A}),
    ("GET", "/api/expedientes"): PERSONAL,
    ("POST", "/api/expedientes"): frozenset({A, O}),
    ("GET", "/api/expedientes/{no_siniestro}"): PERSONAL,
    ("PUT", "/api/expedientes/{no_siniestro}"): frozenset({A, O}),
    ("DELETE", "/api/expedientes/{no_siniestro}"): frozenset({A}),
    ("PATCH", "/api/expedientes/{no_siniestro}/estado"): frozenset({A, O}),
    ("GET", "/api/expedientes/{no_siniestro}/estado/historial"): PERSONAL,
    ("GET", "/api/expedientes/{no_siniestro}/auditoria"): frozenset({A, O}),
    ("GET", "/api/expedientes/{no_siniestro}/comentarios"): PERSONAL,
    ("POST", "/api/expedientes/{no_siniestro}/comentarios"): PERSONAL,
    ("DELETE", "/api/expedientes/{no_siniestro}/comentarios/{id}"): frozenset({A}),
    ("GET", "/api/expedientes/{no_siniestro}/evidencias"): PERSONAL,
    ("POST", "/api/expedientes/{no_siniestro}/evidencias"): frozenset({A, O}),
    ("POST", "/api/expedientes/{no_siniestro}/evidencias/{id}/confirmar"): frozenset({A, O}),
    ("DELETE", "/api/expedientes/{no_siniestro}/evidencias/{id}"): frozenset({A}),
    ("GET", "/api/expedientes/{no_siniestro}/levantamiento"): PERSONAL,
    ("PUT", "/api/expedientes/{no_siniestro}/levantamiento"): PERSONAL,
    ("DELETE", "/api/expedientes/{no_siniestro}/levantamiento"): frozenset({A}),
    ("POST", "/api/expedientes/{no_siniestro}/levantamiento/conceptos"): PERSONAL,
    ("PUT", "/api/expedientes/{no_siniestro}/levantamiento/conceptos/{id}"): PERSONAL,
    ("DELETE", "/api/expedientes/{no_siniestro}/levantamiento/conceptos/{id}"): frozenset({A}),
    ("GET", "/api/checklist/catalogo"): PERSONAL,
    ("GET", "/api/expedientes/{no_siniestro}/checklist"): PERSONAL,
    ("PUT", "/api/expedientes/{no_siniestro}/checklist"): PERSONAL,
    ("DELETE", "/api/expedientes/{no_siniestro}/checklist"): frozenset({A}),
    ("GET", "/api/expedientes/{no_siniestro}/formatos/{formato}"): PERSONAL,
    ("PUT", "/api/formatos/plantillas/{formato}"): frozenset({A}),
    ("POST", "/api/formatos/plantillas/{formato}/confirmar"): frozenset({A}),
    ("GET", "/api/formatos/plantillas/{formato}"): frozenset({A}),
    ("DELETE", "/api/formatos/plantillas/{formato}"): frozenset({A}),
    ("GET", "/api/ordenes-servicio"): PERSONAL,
    ("GET", "/api/ordenes-servicio/{serviceOrderId}"): PERSONAL,
    ("POST", "/serviceOrders"): frozenset({I}),
    ("POST", "/serviceOrders/{serviceOrderId}/cancel"): frozenset({I}),
    ("GET", "/api/reportes/produccion"): frozenset({A, O}),
    ("GET", "/api/reportes/ciclo"): frozenset({A, O}),
    ("GET", "/api/suscripciones"): frozenset({A}),
    ("POST", "/api/suscripciones"): frozenset({A}),
    ("DELETE", "/api/suscripciones/{id}"): frozenset({A}),
    ("GET", "/api/suscripciones/{id}/entregas"): frozenset({A}),
}


def mensaje_403(permitidos: frozenset[Rol], rol: Rol) -> str:
    """The contract's 403 bodies (docs/auth.md), written out independently of monitor.core.http."""
    if permitidos == frozenset({I}):
        return "Acceso restringido a integraciones de aseguradoras"
    if rol == I:
        return "Acceso restringido a usuarios del taller"
    if permitidos == frozenset({A}):
        return "Acceso restringido a administradores"
    if permitidos == frozenset({A, O}):
        return "Acceso restringido a administradores y operadores"
    return "Acceso restringido a usuarios del taller"


RUTAS = sorted(plantilla.rutas(), key=lambda r: (r.ruta, r.metodo))
SIN_FUNCION = [f"{r.metodo} {r.ruta} ({r.codigo.name})" for r in RUTAS if not (r.codigo / "app.py").exists()]


@dataclass
class LlamanteCliente:
    """An integration client's authorizer context (what the authorizer puts in the event)."""

    client_id: str
    id_aseguradora: int

    @property
    def autorizador(self) -> dict[str, Any]:
        return {
            "principalId": self.client_id,
            "username": self.client_id,
            "rol": I.value,
            "id_aseguradora": self.id_aseguradora,
        }


@dataclass
class LlamantePersonal:
    id: str
    username: str
    rol: Rol

    @property
    def autorizador(self) -> dict[str, Any]:
        return {"principalId": self.id, "username": self.username, "rol": self.rol.value}


@pytest.fixture(scope="module")
def personal() -> dict[Rol, LlamantePersonal]:
    """One real user per staff role for the whole module (hashing passwords 90 times would be slow)."""
    llamantes = {}
    for rol in (A, O, T):
        username = f"matriz-{rol.value.lower()}-{uuid.uuid4().hex[:8]}"
        item = usuarios.crear(nombre="Matriz", username=username, password="clave-" + uuid.uuid4().hex, rol=rol)
        llamantes[rol] = LlamantePersonal(str(item["id"]), username, rol)
    return llamantes


@pytest.fixture(scope="module")
def integracion() -> LlamanteCliente:
    # Unsigned webhooks allowed for this client, so a signature check cannot be mistaken for a role check.
    cliente = clientes.crear(nombre="Matriz de roles", id_aseguradora=1, exigir_firma=False)
    return LlamanteCliente(cliente["client_id"], 1)


def _parametros(ruta: str) -> dict[str, str]:
    """Values that name nothing, so allowed roles can never change real data here."""
    valores = {
        "no_siniestro": f"MATRIZ-{uuid.uuid4().hex[:8]}",
        "id": "987654321",
        "serviceOrderId": "987654321",
        "formato": "ninguno",
    }
    return {nombre: valor for nombre, valor in valores.items() if "{" + nombre + "}" in ruta}


def test_every_template_route_has_a_row_and_every_row_a_route() -> None:
    en_plantilla = {(r.metodo, r.ruta) for r in RUTAS}

    assert en_plantilla == set(ROLES_POR_RUTA)
    assert {(r.metodo, r.ruta) for r in RUTAS if r.publica} == {k for k, v in ROLES_POR_RUTA.items() if v is None}


def test_every_template_route_has_its_function() -> None:
    """The matrix below exercises every route; a route declared without its code fails here."""
    assert SIN_FUNCION == []


@pytest.mark.parametrize("ruta", RUTAS, ids=[f"{r.metodo} {r.ruta}" for r in RUTAS])
def test_each_role_gets_its_403_or_passes_the_role_check(
    ruta: plantilla.Ruta,
    invocar: Callable[..., dict[str, Any]],
    personal: dict[Rol, LlamantePersonal],
    integracion: LlamanteCliente,
) -> None:
    permitidos = ROLES_POR_RUTA[(ruta.metodo, ruta.ruta)]
    llamantes: dict[Rol, Any] = {**personal, I: integracion}
    resultados: dict[str, tuple[int, Any]] = {}

    for rol, llamante in [*llamantes.items(), (None, None)]:
        respuesta = invocar(
            ruta.codigo.name,
            ruta.metodo,
            ruta.ruta,
            llamante=llamante,
            ruta_params=_parametros(ruta.ruta),
            cuerpo="{}",
        )
        resultados[rol.value if rol else "sin token"] = (respuesta["statusCode"], respuesta["json"])

    esperados: dict[str, Any] = {}
    for rol in (A, O, T, I):
        if permitidos is None or rol in permitidos:
            esperados[rol.value] = "pasa"
        else:
            esperados[rol.value] = (403, {"error": mensaje_403(permitidos, rol)})
    esperados["sin token"] = "pasa" if permitidos is None else (401, {"error": "Token requerido"})
    obtenidos = {
        quien: "pasa" if esperados[quien] == "pasa" and status not in (401, 403) else (status, cuerpo)
        for quien, (status, cuerpo) in resultados.items()
    }
    assert obtenidos == esperados
