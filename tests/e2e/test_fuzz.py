"""Contract fuzzing with schemathesis against the merged OpenAPI document, over HTTP on the local gateway.

Every operation gets positive and negative cases with a token of a role the operation allows (webhooks:
an integration client's token and every body signed with its HMAC key). Checks: no 5xx, every status
and content type declared, bodies match their schemas, invalid input refused, auth enforced.

Profiles (env MONITOR_FUZZ_PROFILE): "fast" (default, bounded, inside `make test`) and "deep" (`make fuzz`).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import hypothesis
import pytest
import requests
import schemathesis
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from monitor.auth import clientes
from monitor.auth.roles import ADMIN, ADMIN_OPERADOR, INTEGRACION, PERSONAL
from monitor.auth.tokens import emitir_token
from monitor.ordenes.firmas import CABECERA_FIRMA
from monitor.usuarios import servicio as usuarios
from monitor.usuarios.campos import Rol
from tests.e2e.resumen import anotar
from tests.handlers.test_service_orders_apoyo import orden, texto
from tools import funciones, openapi_local, plantilla

pytestmark = pytest.mark.e2e

PERFIL = os.environ.get("MONITOR_FUZZ_PROFILE", "fast")
PERFILES: dict[str, dict[str, Any]] = {
    # fast: the explicit examples plus a handful of generated cases per operation and mode.
    "fast": {"max_examples": 6, "fases": ["examples", "fuzzing"]},
    # deep: many more cases and the coverage phase (every boundary the schema defines).
    "deep": {"max_examples": 100, "fases": ["examples", "coverage", "fuzzing"]},
}
CONFIG = PERFILES.get(PERFIL, PERFILES["fast"])

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    ignored_auth,
]

# Gaps an operation cannot close before the deadline: (METHOD, path) -> checks skipped, each with its reason.
EXCLUSIONES: dict[tuple[str, str], list[Any]] = {}

CASOS: Counter[str] = Counter()
FALLOS_5XX: list[str] = []


@dataclass
class Identidades:
    """One token per role and the integration client's signing key."""

    tokens: dict[Rol, str]
    hmac_key: str


def _usuario(rol: Rol) -> tuple[str, str]:
    username = f"fuzz-{rol.value.lower()}-{uuid.uuid4().hex[:8]}"
    item = usuarios.crear(nombre=f"Fuzz {rol.value}", username=username, password="clave-" + uuid.uuid4().hex, rol=rol)
    return str(item["id"]), emitir_token(sub=str(item["id"]), username=username, rol=rol, version=1, ttl=3600)


def _roles_por_operacion() -> dict[tuple[str, str], frozenset[Rol] | None]:
    """Each route's allowed roles, from its function's resolver (what the function really enforces)."""
    roles: dict[tuple[str, str], frozenset[Rol] | None] = {}
    for ruta in plantilla.rutas():
        app = getattr(funciones.cargar(ruta.codigo), "app", None)
        roles[(ruta.metodo.upper(), ruta.ruta)] = None if ruta.publica else getattr(app, "roles", PERSONAL)
    return roles


def _rol_para(permitidos: frozenset[Rol]) -> Rol:
    """The least privileged role the operation allows: fuzzing as admin would hide role bugs."""
    if permitidos == INTEGRACION:
        return Rol.INTEGRACION
    if permitidos == ADMIN:
        return Rol.ADMINISTRADOR
    if permitidos == ADMIN_OPERADOR:
        return Rol.OPERADOR
    return Rol.TECNICO


class SesionFirmante(requests.Session):
    """Signs every webhook body exactly as sent (bytes on the wire), as an insurer platform does."""

    def __init__(self, hmac_key: str) -> None:
        super().__init__()
        self.hmac_key = hmac_key

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        ruta = (request.path_url or "").split("?", 1)[0]
        if ruta.startswith("/serviceOrders"):
            cuerpo = request.body or b""
            datos = cuerpo.encode("utf-8") if isinstance(cuerpo, str) else cuerpo
            request.headers[CABECERA_FIRMA] = hmac.new(self.hmac_key.encode(), datos, hashlib.sha256).hexdigest()
        return super().send(request, **kwargs)


@pytest.fixture(scope="module")
def identidades(api: Any) -> Identidades:
    tokens = {rol: _usuario(rol)[1] for rol in (Rol.ADMINISTRADOR, Rol.OPERADOR, Rol.TECNICO)}
    cliente = clientes.crear(nombre="Fuzz Peña", id_aseguradora=1, exigir_firma=True)
    tokens[Rol.INTEGRACION] = emitir_token(
        sub=cliente["client_id"],
        username=cliente["client_id"],
        rol=Rol.INTEGRACION,
        version=1,
        ttl=3600,
        id_aseguradora=1,
    )
    ident = Identidades(tokens=tokens, hmac_key=cliente["hmac_key"])
    sesion = SesionFirmante(ident.hmac_key)
    admin = tokens[Rol.ADMINISTRADOR]

    # Real resources, so a share of the cases reach the code behind the 404.
    claim = f"FUZZ-{uuid.uuid4().hex[:8].upper()}"
    alta = {
        "no_siniestro": claim,
        "nombre_cliente": "Fuzz Peña",
        "telefono_cliente": "555-100-2000",
        "marca": "Toyota",
        "placas": "FZZ-001",
        "tipo": "Sedán",
        "modelo": "Corolla",
        "fecha_ingreso": "2024-03-15",
        "fecha_entrega": "2024-03-30",
        "id_aseguradora": 1,
    }
    assert api.request("POST", "/api/expedientes", token=admin, json=alta).status_code == 201
    comentario = api.request(
        "POST", f"/api/expedientes/{claim}/comentarios", token=admin, json={"texto": "nota de fuzz"}
    )
    evidencia = api.request(
        "POST",
        f"/api/expedientes/{claim}/evidencias",
        token=admin,
        json={"tipo": "fotografia", "nombre_archivo": "frente.jpg", "content_type": "image/jpeg", "tamano": 1024},
    )
    cuerpo = texto(orden(claim=claim))
    pedido = requests.Request(
        "POST",
        api.url + "/serviceOrders",
        data=cuerpo.encode("utf-8"),
        headers={"Authorization": f"Bearer {tokens[Rol.INTEGRACION]}", "Content-Type": "application/json"},
    ).prepare()
    creada = sesion.send(pedido, timeout=15)
    sesion.close()
    CONOCIDOS.update(
        {
            "no_siniestro": [claim],
            "id": [str(x) for x in (_id(comentario), _id(evidencia), _usuario(Rol.TECNICO)[0]) if x],
            "serviceOrderId": [str(creada.json().get("serviceOrderId"))] if creada.status_code == 201 else [],
        }
    )
    return ident


def _id(respuesta: requests.Response) -> Any:
    if respuesta.status_code != 201:
        return None
    return respuesta.json().get("id")


def _esquema() -> Any:
    """The merged document, built at collection as the gateway builds it; a test checks they are the same."""
    config = schemathesis.Config.from_dict(
        {
            "request-timeout": 15,
            "generation": {
                "mode": "all",
                "max-examples": CONFIG["max_examples"],
                # Tokens are set per operation below; unknown query parameters are ignored, as API Gateway does.
                "with-security-parameters": False,
                "allow-extra-parameters": False,
                "database": "none",
            },
            "phases": {fase: {"enabled": fase in CONFIG["fases"]} for fase in ("examples", "coverage", "fuzzing")},
        }
    )
    return schemathesis.openapi.from_dict(DOCUMENTO, config=config)


DOCUMENTO = openapi_local.documento(plantilla.rutas())
CONOCIDOS: dict[str, list[str]] = {}
schema = _esquema()


@schema.hook
def flatmap_case(context: Any, case: Any) -> Any:
    # Half the positive cases aim their path parameters at real resources (seeded by `identidades`), so
    # they reach the code behind the 404; negative cases keep their invalid values.
    if case.meta is None or case.meta.generation.mode.is_negative or not case.path_parameters:
        return st.just(case)
    reales = {k: st.sampled_from(CONOCIDOS[k]) for k in case.path_parameters if CONOCIDOS.get(k)}
    if not reales:
        return st.just(case)

    def apuntar(valores: dict[str, str]) -> Any:
        case.path_parameters.update(valores)
        return case

    return st.one_of(st.just(case), st.fixed_dictionaries(reales).map(apuntar))


@pytest.fixture(scope="module", autouse=True)
def resumen() -> Iterator[None]:
    yield
    if CASOS:
        por_operacion = ", ".join(f"{op}: {n}" for op, n in sorted(CASOS.items()))
        anotar(f"fuzz ({PERFIL}): {sum(CASOS.values())} casos en {len(CASOS)} operaciones; 5xx: {len(FALLOS_5XX)}")
        anotar(f"fuzz casos por operación: {por_operacion}")


def test_the_gateway_serves_the_document_being_fuzzed(api: Any) -> None:
    servido = requests.get(api.url + "/openapi.json", timeout=15).json()
    assert servido == DOCUMENTO


@pytest.fixture(scope="module")
def roles() -> dict[tuple[str, str], frozenset[Rol] | None]:
    return _roles_por_operacion()


@pytest.fixture(scope="module")
def sesion(identidades: Identidades) -> Iterator[SesionFirmante]:
    firmante = SesionFirmante(identidades.hmac_key)
    yield firmante
    firmante.close()


@schema.parametrize()
@hypothesis.settings(
    deadline=None,
    # The fast profile replays the same cases every run (stable CI); the deep one explores.
    derandomize=PERFIL == "fast",
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_contrato(
    case: Any,
    api: Any,
    identidades: Identidades,
    roles: dict[tuple[str, str], frozenset[Rol] | None],
    sesion: SesionFirmante,
) -> None:
    clave = (case.operation.method.upper(), case.operation.path)
    permitidos = roles.get(clave)
    cabeceras = {}
    if permitidos:
        cabeceras["Authorization"] = f"Bearer {identidades.tokens[_rol_para(permitidos)]}"
    CASOS[f"{clave[0]} {clave[1]}"] += 1
    excluidos = EXCLUSIONES.get(clave, [])
    respuesta = case.call(base_url=api.url, session=sesion, headers=cabeceras)
    if respuesta.status_code >= 500:
        FALLOS_5XX.append(f"{clave[0]} {clave[1]} -> {respuesta.status_code}")
    case.validate_response(
        respuesta,
        checks=[c for c in CHECKS if c not in excluidos],
        headers=cabeceras,
        transport_kwargs={"base_url": api.url, "session": sesion, "headers": cabeceras},
    )
