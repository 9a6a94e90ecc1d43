"""Contract fuzzing with schemathesis against the merged OpenAPI document, over HTTP on the local gateway.

Every operation gets positive and negative cases with a token of a role the operation allows (webhooks:
an integration client's token and every body signed with its HMAC key). Checks: no 5xx, every status
and content type declared, bodies match their schemas, invalid input refused, auth enforced.

Profiles (env MONITOR_FUZZ_PROFILE): "fast" (default, bounded, inside `make test`) and "deep" (`make fuzz`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import uuid
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import hypothesis
import pytest
import requests
import schemathesis
from hypothesis import strategies as st
from schemathesis.checks import CHECKS as REGISTRO_DE_CHECKS
from schemathesis.specs.openapi.checks import positive_data_acceptance, unsupported_method

from monitor.auth import clientes
from monitor.auth.roles import ADMIN, ADMIN_OPERADOR, INTEGRACION, PERSONAL
from monitor.auth.tokens import emitir_token
from monitor.ordenes.firmas import CABECERA_FIRMA
from monitor.usuarios import servicio as usuarios
from monitor.usuarios.campos import Rol
from tests.apoyo.ordenes import orden, texto
from tests.apoyo.resumen import anotar
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

# Every check schemathesis has (`--checks all`), except what API Gateway itself decides (docs/security.md,
# "Contract fuzzing"): a method the API does not declare on a known path gets the template's gateway
# response (404 `Ruta no encontrada`, as API Gateway's MISSING_AUTHENTICATION_TOKEN), never a 405.
CHECKS = [c for c in REGISTRO_DE_CHECKS.get_all() if c is not unsupported_method]

# Operations that end the caller's sessions: each case gets a token of its own, or the shared one would be
# revoked for every operation fuzzed after it.
REVOCAN_SESION = {("POST", "/api/auth/logout")}

# Operations where a schema-valid request may still be refused by a rule JSON Schema does not express:
# (METHOD, path) -> checks skipped, each with its reason (also listed in docs/security.md).
EXCLUSIONES: dict[tuple[str, str], list[Any]] = {
    # The current password must be the caller's: no generator can know it (the 400 says so).
    ("POST", "/api/auth/password"): [positive_data_acceptance],
    # The body is JSON or an OAuth 2.0 form, read by the function itself: the document declares no body.
    ("POST", "/api/auth/token"): [positive_data_acceptance],
    # `content_type` must fit `tipo` (a PDF is a document, not a photograph): a rule across two fields.
    ("POST", "/api/expedientes/{no_siniestro}/evidencias"): [positive_data_acceptance],
    # `id_aseguradora` must name an insurer of the catalog: a 400 by design, data not shape.
    ("POST", "/api/integraciones"): [positive_data_acceptance],
    ("POST", "/api/expedientes"): [positive_data_acceptance],
    ("PUT", "/api/expedientes/{no_siniestro}"): [positive_data_acceptance],
    # The body's serviceOrderId, when present, must be the path's (the seed's rule across body and path).
    ("POST", "/serviceOrders/{serviceOrderId}/cancel"): [positive_data_acceptance],
    # Amounts carry at most 4 decimal places (the seed's .NET decimals); JSON Schema can only say that with
    # `multipleOf`, which binary floating point generators meet approximately (0.0003 → 0.00030000000000000003).
    ("POST", "/serviceOrders"): [positive_data_acceptance],
    # `desde` ≤ `hasta`, at most 366 days apart: a rule across two parameters.
    ("GET", "/api/reportes/ciclo"): [positive_data_acceptance],
    # `q` and `actualizado_desde` are each valid alone and do not combine: a rule across two parameters.
    ("GET", "/api/expedientes"): [positive_data_acceptance],
    # A point is a (sistema, nombre_item) pair of the shipped catalog: a rule across two fields.
    ("PUT", "/api/expedientes/{no_siniestro}/checklist"): [positive_data_acceptance],
    # A webhook URL must be https on a public host (no loopback, private or link-local address): where the
    # address leads, not its shape.
    ("POST", "/api/suscripciones"): [positive_data_acceptance],
}

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


def _enteros_exactos(valor: Any) -> Any:
    """JSON Schema counts 7.0 as an integer; this API wants integers written as integers (a 400 otherwise,
    docs/security.md), so positive cases send them that way."""
    if isinstance(valor, float) and valor.is_integer() and abs(valor) < 2**53:
        return int(valor)
    if isinstance(valor, dict):
        return {k: _enteros_exactos(v) for k, v in valor.items()}
    if isinstance(valor, list):
        return [_enteros_exactos(v) for v in valor]
    return valor


def _positivo(case: Any) -> bool:
    return case.meta is not None and not case.meta.generation.mode.is_negative


def _como_cliente(case: Any) -> None:
    """What a real client sends in a positive case, in every phase: no cursor (opaque and signed: only a
    previous page gives a valid one, never a generator) and integers written as integers."""
    if not _positivo(case):
        return
    if case.query and "cursor" in case.query:
        case.query = {k: v for k, v in case.query.items() if k != "cursor"}
    if isinstance(case.body, (dict, list)):
        case.body = _enteros_exactos(case.body)


def _acepta(operacion: Any, nombre: str, valor: str) -> bool:
    """A known id fits this operation's parameter (a comment's id is no user id)."""
    definicion = DOCUMENTO["paths"][operacion.path][operacion.method.lower()]
    for parametro in definicion.get("parameters", ()):
        if parametro.get("name") == nombre and parametro.get("in") == "path":
            esquema = parametro.get("schema", {})
            if esquema.get("type") == "integer":
                return valor.isdigit()
            return not esquema.get("pattern") or re.search(esquema["pattern"], valor) is not None
    return True


@schema.hook
def flatmap_case(context: Any, case: Any) -> Any:
    # Half the positive cases aim their path parameters at real resources (seeded by `identidades`), so
    # they reach the code behind the 404; negative cases keep their invalid values.
    if not _positivo(case) or not case.path_parameters:
        return st.just(case)
    reales = {
        k: st.sampled_from(validos)
        for k in case.path_parameters
        if (validos := [v for v in CONOCIDOS.get(k, []) if _acepta(case.operation, k, v)])
    }
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
        rol = _rol_para(permitidos)
        token = _usuario(rol)[1] if clave in REVOCAN_SESION else identidades.tokens[rol]
        cabeceras["Authorization"] = f"Bearer {token}"
    CASOS[f"{clave[0]} {clave[1]}"] += 1
    excluidos = EXCLUSIONES.get(clave, [])
    _como_cliente(case)
    respuesta = case.call(base_url=api.url, session=sesion, headers=cabeceras)
    if respuesta.status_code >= 500:
        FALLOS_5XX.append(f"{clave[0]} {clave[1]} -> {respuesta.status_code}")
    case.validate_response(
        respuesta,
        checks=[c for c in CHECKS if c not in excluidos],
        headers=cabeceras,
        transport_kwargs={"base_url": api.url, "session": sesion, "headers": cabeceras},
    )


# ---- the input classes that once answered 500, on every route that takes a body (from the template)
EXTREMOS_NUMERICOS = {
    "entero de 5000 dígitos": "1" + "0" * 5000,
    "1e400": "1e400",
    "-1E+999999999": "-1E+999999999",
    "1e-400": "1e-400",
}
FECHAS_EXTREMAS = ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+23:59"]
ENTEROS_ENORMES = [2**63, 2**70, 10**40]
CON_CUERPO = ("POST", "PUT", "PATCH")


@dataclass(frozen=True)
class RutaConCuerpo:
    metodo: str
    ruta: str
    esquema: dict[str, Any]  # the request body's JSON Schema, components resolved; {} when none is declared

    def __str__(self) -> str:
        return f"{self.metodo} {self.ruta}"


def _resolver(esquema: Any) -> Any:
    if isinstance(esquema, dict):
        if "$ref" in esquema:
            return _resolver(DOCUMENTO["components"]["schemas"][esquema["$ref"].rsplit("/", 1)[-1]])
        return {k: _resolver(v) for k, v in esquema.items()}
    if isinstance(esquema, list):
        return [_resolver(v) for v in esquema]
    return esquema


def _rutas_con_cuerpo() -> list[RutaConCuerpo]:
    rutas = []
    for ruta in plantilla.rutas():
        if ruta.metodo.upper() not in CON_CUERPO:
            continue
        operacion = DOCUMENTO["paths"].get(ruta.ruta, {}).get(ruta.metodo.lower(), {})
        contenido = (operacion.get("requestBody") or {}).get("content", {}).get("application/json", {})
        rutas.append(RutaConCuerpo(ruta.metodo.upper(), ruta.ruta, _resolver(contenido.get("schema", {}))))
    return rutas


RUTAS_CON_CUERPO = _rutas_con_cuerpo()
# Routes that read a JSON body without declaring it (one route takes JSON or an OAuth form).
LEEN_JSON = {("POST", "/api/auth/token")}


def _toma_json(ruta: RutaConCuerpo) -> bool:
    return bool(ruta.esquema) or (ruta.metodo, ruta.ruta) in LEEN_JSON


def _variantes(esquema: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [esquema, *esquema.get("anyOf", ())]


def _propiedades(ruta: RutaConCuerpo, condicion: Any) -> list[str]:
    return [
        nombre
        for nombre, propiedad in ruta.esquema.get("properties", {}).items()
        if any(condicion(v) for v in _variantes(propiedad))
    ]


def _enviar(
    api: Any, sesion: SesionFirmante, identidades: Identidades, roles: Any, *, ruta: RutaConCuerpo, cuerpo: str
) -> requests.Response:
    url = ruta.ruta
    for nombre in re.findall(r"{(\w+)}", ruta.ruta):
        url = url.replace("{" + nombre + "}", (CONOCIDOS.get(nombre) or ["1"])[0])
    cabeceras = {"Content-Type": "application/json"}
    permitidos = roles.get((ruta.metodo, ruta.ruta))
    if permitidos:
        cabeceras["Authorization"] = f"Bearer {identidades.tokens[_rol_para(permitidos)]}"
    pedido = requests.Request(ruta.metodo, api.url + url, data=cuerpo.encode("utf-8"), headers=cabeceras).prepare()
    respuesta = sesion.send(pedido, timeout=15)
    CASOS[f"{ruta} (entradas extremas)"] += 1
    if respuesta.status_code >= 500:
        FALLOS_5XX.append(f"{ruta} -> {respuesta.status_code}: {cuerpo[:80]}")
    return respuesta


def _rechazada(respuesta: requests.Response, cuerpo: str) -> None:
    assert respuesta.status_code == 400, f"{respuesta.status_code} {respuesta.text[:300]} <- {cuerpo[:120]}"
    assert isinstance(respuesta.json()["error"], str)


def test_every_body_route_is_covered() -> None:
    assert {str(r) for r in RUTAS_CON_CUERPO} >= {"POST /api/auth/login", "POST /api/auth/token", "POST /serviceOrders"}
    assert sum(1 for r in RUTAS_CON_CUERPO if _toma_json(r)) >= 13


@pytest.mark.parametrize("ruta", [r for r in RUTAS_CON_CUERPO if _toma_json(r)], ids=str)
def test_absurd_numbers_and_depth_are_400_on_every_body_route(
    api: Any, identidades: Identidades, roles: Any, sesion: SesionFirmante, ruta: RutaConCuerpo
) -> None:
    campos = list(ruta.esquema.get("properties", {})) or ["x"]
    cuerpos = [
        *(f'{{"{campo}": {numero}}}' for numero in EXTREMOS_NUMERICOS.values() for campo in campos[:3]),
        '{"x": ' + "[" * 5000 + "]" * 5000 + "}",
        '{"x": ' + "[" * 33 + "]" * 33 + "}",
        "[" * 100_000 + "]" * 100_000,
    ]
    for cuerpo in cuerpos:
        _rechazada(_enviar(api, sesion, identidades, roles, ruta=ruta, cuerpo=cuerpo), cuerpo)


def _es_fecha(esquema: Mapping[str, Any]) -> bool:
    return esquema.get("format") in ("date", "date-time") or any(_es_fecha(v) for v in esquema.get("anyOf", ()))


@pytest.mark.parametrize("ruta", [r for r in RUTAS_CON_CUERPO if _propiedades(r, _es_fecha)], ids=str)
def test_dates_pushed_out_of_the_calendar_are_400(
    api: Any, identidades: Identidades, roles: Any, sesion: SesionFirmante, ruta: RutaConCuerpo
) -> None:
    for campo in _propiedades(ruta, _es_fecha):
        for fecha in FECHAS_EXTREMAS:
            cuerpo = json.dumps({campo: fecha})
            _rechazada(_enviar(api, sesion, identidades, roles, ruta=ruta, cuerpo=cuerpo), cuerpo)


@pytest.mark.parametrize(
    "ruta", [r for r in RUTAS_CON_CUERPO if _propiedades(r, lambda v: v.get("type") == "integer")], ids=str
)
def test_integers_past_64_bits_are_400(
    api: Any, identidades: Identidades, roles: Any, sesion: SesionFirmante, ruta: RutaConCuerpo
) -> None:
    for campo in _propiedades(ruta, lambda v: v.get("type") == "integer"):
        for numero in ENTEROS_ENORMES:
            cuerpo = f'{{"{campo}": {numero}}}'
            _rechazada(_enviar(api, sesion, identidades, roles, ruta=ruta, cuerpo=cuerpo), cuerpo)


@pytest.mark.parametrize(
    ("metodo", "ruta"),
    [
        ("PUT", "/api/usuarios/99999999999999999999999"),
        ("DELETE", "/api/usuarios/18446744073709551617"),
        ("PUT", "/api/usuarios/1.0"),
        ("GET", "/api/ordenes-servicio/99999999999999999999999"),
        ("GET", "/api/expedientes?id_aseguradora=99999999999999999999999"),
        ("GET", "/api/expedientes?limit=1.0"),
    ],
)
def test_integer_ids_past_64_bits_or_not_canonical_in_paths_and_queries_are_400(
    api: Any, identidades: Identidades, metodo: str, ruta: str
) -> None:
    respuesta = api.request(metodo, ruta, token=identidades.tokens[Rol.ADMINISTRADOR], json={"nombre": "X"})
    assert respuesta.status_code == 400, respuesta.text
    assert respuesta.json()["detalles"]


_LITERALES = st.one_of(
    st.integers(min_value=-(10**500), max_value=10**500).map(str),
    st.builds(lambda m, e: f"{m}e{e}", st.integers(-(10**30), 10**30), st.integers(-1200, 1200)),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
)
_FECHAS = st.builds(
    lambda d, zona: d.replace(tzinfo=zona).isoformat(),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)),
    st.timezones(),
)


@hypothesis.settings(
    max_examples=CONFIG["max_examples"] * 5,
    deadline=None,
    derandomize=PERFIL == "fast",
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
@hypothesis.given(
    indice=st.integers(min_value=0),
    literal=_LITERALES,
    profundidad=st.integers(min_value=0, max_value=3000),
    fecha=_FECHAS,
)
def test_no_number_size_depth_or_date_gives_a_5xx_on_any_body_route(  # noqa: PLR0917 - fixtures and givens
    api: Any,
    identidades: Identidades,
    roles: Any,
    sesion: SesionFirmante,
    indice: int,
    literal: str,
    profundidad: int,
    fecha: str,
) -> None:
    ruta = RUTAS_CON_CUERPO[indice % len(RUTAS_CON_CUERPO)]
    campos = list(ruta.esquema.get("properties", {})) or ["x"]
    fechas = _propiedades(ruta, _es_fecha) or campos
    anidado = "[" * profundidad + literal + "]" * profundidad
    cuerpo = "{" + f'"{campos[indice % len(campos)]}": {anidado}, "{fechas[indice % len(fechas)]}": "{fecha}"' + "}"
    respuesta = _enviar(api, sesion, identidades, roles, ruta=ruta, cuerpo=cuerpo)
    assert respuesta.status_code < 500, f"{ruta}: {respuesta.status_code} <- {cuerpo[:200]}"
    if respuesta.status_code >= 400:
        assert isinstance(respuesta.json().get("error"), str)
