"""CORS on the functions' answers, for the browser clients.

The allowed origins are the stack's `CorsAllowedOrigins` (env MONITOR_CORS_ORIGINS). A request whose
`Origin` is one of them gets that origin back in `Access-Control-Allow-Origin`, with `ETag`,
`Retry-After` and `Location` exposed; any other origin gets no CORS header, so the browser keeps the answer from
that page. Every answer carries `Vary: Origin`, since it depends on it.

API Gateway answers the preflight `OPTIONS` and its own errors by itself, with static headers that can
name one origin, the first of the list (template.yaml's `Cors` and `GatewayResponses`;
docs/operations.md#cors).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aws_lambda_powertools.event_handler.api_gateway import CORSConfig

# The template's Cors.AllowHeaders and the gateway responses' Expose-Headers say the same
# (tests/unit/test_template.py).
CABECERAS_PERMITIDAS = (
    "Authorization",
    "Content-Type",
    "If-Match",
    "If-None-Match",
    "X-Infopiezas-Hmac-Sha256",
    "X-Infopiezas-Topic",
)
CABECERAS_EXPUESTAS = ("ETag", "Retry-After", "Location")
VARY = {"Vary": "Origin"}


def configuracion(origenes: Sequence[str]) -> CORSConfig | None:
    """Powertools' CORS for these origins; None (no CORS header at all) when the stack allows none."""
    if not origenes:
        return None
    return CORSConfig(
        allow_origin=origenes[0],
        extra_origins=list(origenes[1:]),
        allow_headers=list(CABECERAS_PERMITIDAS),
        expose_headers=list(CABECERAS_EXPUESTAS),
        allow_credentials=False,  # tokens travel in Authorization, never in cookies
    )


def cabeceras(config: CORSConfig | None, event: Mapping[str, Any]) -> dict[str, str]:
    """The CORS headers of an answer to this request: the same Powertools adds to a routed answer, plus Vary."""
    if config is None:
        return {}
    origen = _origen(event)
    permitido = config.allowed_origin(origen) if origen else None
    return {**config.to_dict(permitido), **VARY} if permitido else dict(VARY)


def completar(resultado: dict[str, Any], config: CORSConfig | None, event: Mapping[str, Any]) -> dict[str, Any]:
    """Adds to a proxy answer the CORS headers it lacks, in whichever header map it uses: all of them to an
    answer the resolver gave before routing, `Vary` to one Powertools built."""
    faltantes = cabeceras(config, event)
    if not faltantes:
        return resultado
    multiples = resultado.get("multiValueHeaders")
    presentes = {k.lower() for k in (*(multiples or {}), *(resultado.get("headers") or {}))}
    nuevas = {k: v for k, v in faltantes.items() if k.lower() not in presentes}
    if isinstance(multiples, dict):
        multiples.update({k: [v] for k, v in nuevas.items()})
    else:
        resultado["headers"] = {**(resultado.get("headers") or {}), **nuevas}
    return resultado


def _origen(event: Mapping[str, Any]) -> str | None:
    """The request's Origin as Powertools reads it: the first value of multiValueHeaders, else headers."""
    for campo in ("multiValueHeaders", "headers"):
        for nombre, valor in (event.get(campo) or {}).items():
            if nombre.lower() != "origin":
                continue
            primero = valor[0] if isinstance(valor, list) and valor else valor
            return primero if isinstance(primero, str) else None
    return None
