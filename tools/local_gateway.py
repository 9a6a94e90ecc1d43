"""The local API Gateway behind `make run`: the same template, handlers and authorizer, over HTTP.

It reads template.yaml (routes, authorizer, gateway responses, CORS) and does for each request what
API Gateway does for a REST API with Lambda proxy integrations: match the route, run the TOKEN
authorizer, build the proxy event, invoke the function and write its proxy response, or answer
with one of the template's gateway responses; a preflight OPTIONS gets the template's mock answer.
AWS comes from tools/aws_local: moto's server on loopback unless AWS_ENDPOINT_URL (or
DYNAMODB_ENDPOINT_URL for the table) points elsewhere.

    .venv/bin/python tools/local_gateway.py          # http://127.0.0.1:$PORT (3000)

Environment: PORT, HOST (127.0.0.1; 0.0.0.0 serves the LAN, moto included, and signs S3 URLs with
MONITOR_HOST_PUBLICO or the LAN address), MONITOR_ADMIN_USER (admin), MONITOR_ADMIN_PASSWORD (generated and printed once
when missing), AWS_ENDPOINT_URL, DYNAMODB_ENDPOINT_URL, MONITOR_TABLE / MONITOR_JWT_SECRET_ID /
MONITOR_BUCKET (resource names), MONITOR_CORS_ORIGINS (the web clients' origins, comma-separated;
default: the template's CorsAllowedOrigins), MONITOR_PROHIBIR_SCAN=1 (any DynamoDB Scan fails; the tests
set it), MONITOR_SEGUIMIENTO_LOCAL=0 (no stream → bus → queue → function pipeline; tools/seguimiento_local.py).
"""

from __future__ import annotations

import base64
import functools
import json
import logging
import os
import re
import secrets
import signal
import sys
import threading
import time
import traceback
import uuid
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

if __package__ in (None, ""):  # run as a script: make the `tools` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools import aws_local, eventos, funciones, openapi_local, plantilla, seguimiento_local
from tools.plantilla import Ruta

MAX_CUERPO = 10 * 1024 * 1024  # API Gateway's payload limit
MARCA_SCAN = "SCAN DE DYNAMODB PROHIBIDO"
NO_IMPLEMENTADA = {"error": "Función no implementada localmente"}
JSON = "application/json"

# API Gateway's own status for each response type, used when the template does not set StatusCode.
_STATUS_POR_TIPO = {
    "UNAUTHORIZED": 401,
    "ACCESS_DENIED": 403,
    "WAF_FILTERED": 403,
    "MISSING_AUTHENTICATION_TOKEN": 403,
    "REQUEST_TOO_LARGE": 413,
    "AUTHORIZER_FAILURE": 500,
    "AUTHORIZER_CONFIGURATION_ERROR": 500,
    "DEFAULT_4XX": 400,
    "DEFAULT_5XX": 500,
}

# Refusals of http.server itself, before any route is known (see _Manejador.send_error).
_RECHAZOS_HTTP = {
    400: "Solicitud HTTP mal formada",
    414: "La URL de la solicitud es demasiado larga",
    431: "Las cabeceras de la solicitud son demasiado grandes",
    505: "Versión de HTTP no soportada",
}

_consola = threading.Lock()


def log(texto: str, *, error: bool = False) -> None:
    """One whole line at a time: request threads and function logs share the console."""
    with _consola:
        print(texto, file=sys.stderr if error else sys.stdout, flush=True)


# ---------------------------------------------------------------- requests and responses


@dataclass(frozen=True)
class Solicitud:
    metodo: str
    ruta: str  # as sent, still percent-encoded
    query: dict[str, list[str]] = field(default_factory=dict)
    headers: list[tuple[str, str]] = field(default_factory=list)
    cuerpo: bytes = b""
    excede_limite: bool = False  # the body was over MAX_CUERPO and was discarded
    ip: str = "127.0.0.1"

    def cabecera(self, nombre: str) -> str | None:
        valores = [v for k, v in self.headers if k.lower() == nombre.lower()]
        return valores[-1] if valores else None

    def headers_multiples(self) -> dict[str, list[str]]:
        multiples: dict[str, list[str]] = {}
        for clave, valor in self.headers:
            multiples.setdefault(clave, []).append(valor)
        return multiples


@dataclass
class Respuesta:
    status: int
    headers: list[tuple[str, str]]
    cuerpo: bytes = b""


def respuesta_json(status: int, datos: Any) -> Respuesta:
    return Respuesta(status, [("Content-Type", JSON)], json.dumps(datos, ensure_ascii=False).encode())


class RechazoGateway(Exception):
    """API Gateway answers by itself, with the template's gateway response of this type."""

    def __init__(self, tipo: str, status: int | None = None) -> None:
        super().__init__(tipo)
        self.tipo = tipo
        self.status = status


def parametros_locales() -> dict[str, Any]:
    """The stack's parameters for this run: the template's defaults, CorsAllowedOrigins as aws_local says."""
    return plantilla.parametros({"CorsAllowedOrigins": aws_local.origenes_cors()})


def valor_estatico(expresion: Any) -> str | None:
    """API Gateway's static mapping value `'texto'` → texto; None for anything else (a mapping expression)."""
    if isinstance(expresion, str) and len(expresion) >= 2 and expresion[0] == expresion[-1] == "'":
        return expresion[1:-1]
    return None


class RespuestasGateway:
    """The template's GatewayResponses, their headers (CORS) included. A type the template does not
    customise gets DEFAULT_4XX or DEFAULT_5XX with API Gateway's own status for that type, as API Gateway does."""

    def __init__(
        self, definiciones: Mapping[str, Mapping[str, Any]], parametros: Mapping[str, Any] | None = None
    ) -> None:
        parametros = parametros_locales() if parametros is None else parametros
        self._definiciones = plantilla.resolver(definiciones, parametros)

    def construir(self, tipo: str, status: int | None = None) -> Respuesta:
        propia = self._definiciones.get(tipo)
        status = status or int((propia or {}).get("StatusCode") or _STATUS_POR_TIPO[tipo])
        definicion = propia or self._definiciones.get("DEFAULT_5XX" if status >= 500 else "DEFAULT_4XX") or {}
        cuerpo = (definicion.get("ResponseTemplates") or {}).get(JSON) or json.dumps({"message": tipo})
        headers = [("Content-Type", JSON)]
        for clave, expresion in ((definicion.get("ResponseParameters") or {}).get("Headers") or {}).items():
            valor = valor_estatico(expresion)
            if valor is not None:
                headers.append((clave, valor))
        return Respuesta(status, headers, cuerpo.encode())


class Preflight:
    """The template's Cors: API Gateway answers OPTIONS on every resource of the API itself (a mock
    integration: no authorizer, no function), with the methods of that resource."""

    def __init__(self, cors: Mapping[str, Any], parametros: Mapping[str, Any] | None = None) -> None:
        self._cors = plantilla.resolver(cors, parametros_locales() if parametros is None else parametros)

    @classmethod
    def desde_plantilla(cls) -> Preflight:
        return cls(plantilla.cors())

    def responder(self, metodos: set[str]) -> Respuesta | None:
        """The answer for a resource with these methods; None when the API has no Cors (then OPTIONS is
        a method like any other, which no route has)."""
        if not self._cors:
            return None
        permitidos = valor_estatico(self._cors.get("AllowMethods")) or ",".join(sorted(metodos | {"OPTIONS"}))
        headers = [("Content-Type", JSON)]
        for cabecera, clave in (
            ("Access-Control-Allow-Origin", "AllowOrigin"),
            ("Access-Control-Allow-Headers", "AllowHeaders"),
            ("Access-Control-Max-Age", "MaxAge"),
        ):
            valor = valor_estatico(self._cors.get(clave))
            if valor is not None:
                headers.append((cabecera, valor))
        headers.append(("Access-Control-Allow-Methods", permitidos))
        if self._cors.get("AllowCredentials") is True:
            headers.append(("Access-Control-Allow-Credentials", "true"))
        return Respuesta(200, headers, b"{}\n")  # SAM's mock integration template


# ---------------------------------------------------------------- functions


class Contenedores:
    """The warm "containers" of one function. Lambda gives a container one request at a time, and a
    Powertools resolver keeps the current event on its `app` object, so two concurrent requests must
    never share a module: a request takes a free one or loads a new one (a cold start) and gives it
    back afterwards. A container whose invocation raised is dropped, as Lambda resets it."""

    def __init__(self, nombre: str, codigo: Path) -> None:
        self.nombre = nombre
        self.codigo = codigo
        self._libres: list[ModuleType] = []
        self._cerrojo = threading.Lock()

    @property
    def existe(self) -> bool:
        return (self.codigo / "app.py").is_file()

    @contextmanager
    def contenedor(self) -> Iterator[ModuleType]:
        with self._cerrojo:
            modulo = self._libres.pop() if self._libres else None
        if modulo is None:
            modulo = funciones.cargar(self.codigo)
        yield modulo  # not reached again if the caller raised: the container is dropped
        with self._cerrojo:
            self._libres.append(modulo)

    def invocar(self, evento: dict[str, Any], *, timeout_s: float = 10.0) -> Any:
        with self.contenedor() as modulo:
            return funciones.invocar(modulo, evento, self.nombre, timeout_s=timeout_s)


def respuesta_proxy(resultado: Any) -> Respuesta:
    """The function's proxy response as API Gateway writes it: `headers` and `multiValueHeaders`
    merged into one list, base64 bodies decoded. Anything malformed is API Gateway's 502."""
    try:
        status = int(resultado["statusCode"])
        cuerpo = resultado.get("body") or ""
        datos = base64.b64decode(cuerpo) if resultado.get("isBase64Encoded") else str(cuerpo).encode("utf-8")
    except (TypeError, KeyError, ValueError, AttributeError) as exc:
        log(f"[gateway] respuesta de proxy inválida de la función: {exc!r}", error=True)
        raise RechazoGateway("DEFAULT_5XX", status=502) from None
    multiples = {k: [str(v) for v in vs] for k, vs in (resultado.get("multiValueHeaders") or {}).items()}
    for clave, valor in (resultado.get("headers") or {}).items():
        valores = multiples.setdefault(clave, [])
        if str(valor) not in valores:
            valores.append(str(valor))
    headers = [(k, v) for k, vs in multiples.items() for v in vs]
    if not any(k.lower() == "content-type" for k, _ in headers):
        headers.append(("Content-Type", JSON))
    return Respuesta(status, headers, datos)


# ---------------------------------------------------------------- authorizer


class Autorizador:
    """API Gateway's TOKEN authorizer step, as the template declares it (identity header and
    ValidationExpression checked before the function runs).

    Results are NOT cached. API Gateway caches them per token for ReauthorizeEvery seconds (the
    template's AuthorizerCacheSeconds), but locally a revoked token must fail on the very next request.
    """

    def __init__(self, contenedores: Contenedores, cabecera: str, expresion: str | None) -> None:
        self.contenedores = contenedores
        self.cabecera = cabecera
        self.expresion = re.compile(expresion) if expresion else None

    @classmethod
    def desde_plantilla(cls) -> Autorizador:
        identidad = plantilla.autorizador().get("Identity") or {}
        nombre = plantilla.funcion_autorizador()
        return cls(
            Contenedores(nombre, plantilla.codigo_funcion(nombre)),
            cabecera=identidad.get("Header", "Authorization"),
            expresion=identidad.get("ValidationExpression"),
        )

    def autorizar(self, solicitud: Solicitud) -> dict[str, Any]:
        """requestContext.authorizer for an allowed caller; RechazoGateway for anyone else."""
        valor = solicitud.cabecera(self.cabecera)
        if not valor or (self.expresion is not None and not self.expresion.fullmatch(valor)):
            raise RechazoGateway("UNAUTHORIZED")
        evento = eventos.evento_autorizador(valor, solicitud.metodo, solicitud.ruta)
        inicio = time.perf_counter()
        try:
            resultado = self.contenedores.invocar(evento)
        except Exception as exc:
            # Lambda's contract: an error whose message is exactly "Unauthorized" means 401.
            if str(exc) == "Unauthorized":
                raise RechazoGateway("UNAUTHORIZED") from None
            log(f"[gateway] el autorizador falló:\n{traceback.format_exc()}", error=True)
            raise RechazoGateway("AUTHORIZER_FAILURE") from None
        contexto = contexto_autorizado(resultado, evento["methodArn"])
        return {**contexto, "integrationLatency": round((time.perf_counter() - inicio) * 1000)}


def contexto_autorizado(resultado: Any, arn: str) -> dict[str, Any]:
    """Checks the authorizer's answer as API Gateway does: a policy that allows this method ARN and a
    context of scalars, which reach the function as strings."""
    if not isinstance(resultado, dict) or "principalId" not in resultado or "policyDocument" not in resultado:
        log("[gateway] el autorizador no devolvió principalId y policyDocument", error=True)
        raise RechazoGateway("AUTHORIZER_CONFIGURATION_ERROR")
    if not politica_permite(resultado["policyDocument"], arn):
        raise RechazoGateway("ACCESS_DENIED")
    contexto = resultado.get("context") or {}
    if any(isinstance(v, (dict, list)) for v in contexto.values()):
        log("[gateway] el contexto del autorizador solo admite texto, números y booleanos", error=True)
        raise RechazoGateway("AUTHORIZER_CONFIGURATION_ERROR")
    return {**{k: _texto(v) for k, v in contexto.items()}, "principalId": str(resultado["principalId"])}


def _texto(valor: Any) -> str:
    return str(valor).lower() if isinstance(valor, bool) else str(valor)


def politica_permite(politica: Mapping[str, Any], arn: str) -> bool:
    """IAM evaluation for execute-api:Invoke on `arn`: an explicit Deny wins, else some Allow must match."""
    permitido = False
    for declaracion in _lista(politica.get("Statement")):
        if not any(_comodin(a, "execute-api:Invoke") for a in _lista(declaracion.get("Action"))):
            continue
        if not any(_comodin(r, arn) for r in _lista(declaracion.get("Resource"))):
            continue
        if declaracion.get("Effect") == "Deny":
            return False
        permitido = permitido or declaracion.get("Effect") == "Allow"
    return permitido


def _lista(valor: Any) -> list[Any]:
    return valor if isinstance(valor, list) else [valor] if valor else []


def _comodin(patron: str, valor: str) -> bool:
    regex = re.escape(str(patron)).replace(r"\*", ".*").replace(r"\?", ".")
    return re.fullmatch(regex, valor, flags=re.IGNORECASE) is not None


# ---------------------------------------------------------------- documentation


class Documentacion:
    """/openapi.json and /docs belong to the gateway, not to the template. The document is built on
    first use (it loads every function once) and kept: restart to see new routes."""

    def __init__(self, rutas: list[Ruta]) -> None:
        self._rutas = rutas
        self._doc: dict[str, Any] | None = None
        self._cerrojo = threading.Lock()

    def documento(self) -> dict[str, Any]:
        with self._cerrojo:
            if self._doc is None:
                self._doc = openapi_local.documento(self._rutas)
            return self._doc

    def servir(self, solicitud: Solicitud) -> Respuesta | None:
        if solicitud.metodo not in ("GET", "HEAD"):
            return None
        pide_json = solicitud.ruta == "/docs" and solicitud.query.get("format") == ["json"]  # Swagger UI's link
        if solicitud.ruta == "/openapi.json" or pide_json:
            return respuesta_json(200, self.documento())
        if solicitud.ruta in ("/docs", "/docs/"):
            html = openapi_local.html_swagger(self.documento())
            return Respuesta(200, [("Content-Type", "text/html; charset=utf-8")], html.encode())
        asset = openapi_local.asset(solicitud.ruta)
        if asset is not None:
            datos, tipo = asset
            return Respuesta(200, [("Content-Type", tipo), ("Cache-Control", "max-age=3600")], datos)
        return None


# ---------------------------------------------------------------- the gateway


class Gateway:
    """What API Gateway does with one request: size limit, route, authorizer, function, response."""

    def __init__(
        self,
        rutas: list[Ruta],
        respuestas: RespuestasGateway,
        autorizador: Autorizador,
        preflight: Preflight | None = None,
    ) -> None:
        # Fewer path parameters first: a static segment wins over a parameter, as in API Gateway.
        self.rutas = sorted(rutas, key=lambda r: r.ruta.count("{"))
        self.respuestas = respuestas
        self.autorizador = autorizador
        self.preflight = preflight or Preflight.desde_plantilla()
        self.documentacion = Documentacion(rutas)
        self._funciones = {r.funcion: Contenedores(r.funcion, r.codigo) for r in rutas}

    @classmethod
    def desde_plantilla(cls) -> Gateway:
        return cls(plantilla.rutas(), RespuestasGateway(plantilla.respuestas_gateway()), Autorizador.desde_plantilla())

    def atender(self, solicitud: Solicitud, request_id: str) -> Respuesta:
        try:
            respuesta = self.documentacion.servir(solicitud) or self._api(solicitud, request_id)
        except RechazoGateway as rechazo:
            respuesta = self.respuestas.construir(rechazo.tipo, rechazo.status)
        respuesta.headers.append(("x-amzn-RequestId", request_id))
        return respuesta

    def recurso(self, ruta_cruda: str) -> str | None:
        """The API resource a path falls on (`/api/expedientes/{no_siniestro}`), whatever the method."""
        return next((r.ruta for r in self.rutas if r.patron.match(ruta_cruda)), None)

    def enrutar(self, metodo: str, ruta_cruda: str) -> tuple[Ruta, dict[str, str]]:
        """The template route and its path parameters, URL-decoded as API Gateway passes them."""
        for ruta in self.rutas:
            coincidencia = ruta.patron.match(ruta_cruda) if ruta.metodo == metodo else None
            if coincidencia:
                return ruta, {k: unquote(v) for k, v in coincidencia.groupdict().items()}
        raise RechazoGateway("MISSING_AUTHENTICATION_TOKEN")

    def _api(self, solicitud: Solicitud, request_id: str) -> Respuesta:
        if solicitud.excede_limite:
            raise RechazoGateway("REQUEST_TOO_LARGE")
        recurso = self.recurso(solicitud.ruta) if solicitud.metodo == "OPTIONS" else None
        if recurso is not None:
            preflight = self.preflight.responder({r.metodo for r in self.rutas if r.ruta == recurso})
            if preflight is not None:
                return preflight
        ruta, parametros = self.enrutar(solicitud.metodo, solicitud.ruta)
        autorizador = None if ruta.publica else self.autorizador.autorizar(solicitud)
        evento = eventos.evento_rest(
            solicitud.metodo,
            ruta.ruta,
            unquote(solicitud.ruta),
            cuerpo=solicitud.cuerpo or None,
            parametros_ruta=parametros,
            query=solicitud.query,
            headers=_con_reenvio(solicitud),
            autorizador=autorizador,
            ip=solicitud.ip,
            request_id=request_id,
        )
        return self._invocar(ruta, evento)

    def _invocar(self, ruta: Ruta, evento: dict[str, Any]) -> Respuesta:
        contenedores = self._funciones[ruta.funcion]
        if not contenedores.existe:
            log(f"[gateway] {ruta.funcion}: falta {contenedores.codigo}/app.py", error=True)
            return respuesta_json(501, NO_IMPLEMENTADA)
        try:
            resultado = contenedores.invocar(evento)
        except Exception:
            # Like Lambda: the trace goes to the function's log, the caller gets API Gateway's 502.
            request_id = evento["requestContext"]["requestId"]
            log(f"[gateway] {ruta.funcion} falló ({request_id}):\n{traceback.format_exc()}", error=True)
            raise RechazoGateway("DEFAULT_5XX", status=502) from None
        return respuesta_proxy(resultado)


def _con_reenvio(solicitud: Solicitud) -> dict[str, list[str]]:
    """The client's headers plus the X-Forwarded-* that API Gateway adds."""
    headers = solicitud.headers_multiples()
    for clave, valor in (("X-Forwarded-For", solicitud.ip), ("X-Forwarded-Proto", "http")):
        if not any(k.lower() == clave.lower() for k in headers):
            headers[clave] = [valor]
    return headers


# ---------------------------------------------------------------- HTTP


class _Manejador(BaseHTTPRequestHandler):
    """HTTP in and out; everything API Gateway-like happens in Gateway.atender."""

    protocol_version = "HTTP/1.1"
    server_version = "monitor-local-gateway"
    server: ServidorLocal

    def atender(self) -> None:
        inicio = time.perf_counter()
        request_id = str(uuid.uuid4())
        solicitud = self._leer()
        respuesta = self.server.gateway.atender(solicitud, request_id)
        ms = (time.perf_counter() - inicio) * 1000
        # Printed before the response is sent, so whoever reads the log after the answer finds it.
        hora = datetime.now(UTC).strftime("%H:%M:%S")
        log(f"{hora} {solicitud.metodo} {solicitud.ruta} {respuesta.status} {ms:.0f}ms {request_id}")
        self._escribir(respuesta)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = atender

    def __getattr__(self, nombre: str) -> Any:
        """Any other method (TRACE, PROPFIND...) also goes through the gateway, which answers the
        template's 404 like API Gateway does, instead of http.server's 501 HTML page."""
        if nombre.startswith("do_"):
            return self.atender
        raise AttributeError(nombre)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Silenced: `atender` prints the one line per request."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """What http.server refuses before a request exists (a request line over 64 KB: 414; a header line
        over 64 KB or more than 100 headers: 431; a malformed request line: 400) is answered in JSON like
        every other error of the API, never with http.server's HTML page."""
        cuerpo = json.dumps({"error": _RECHAZOS_HTTP.get(code, "Solicitud inválida")}, ensure_ascii=False).encode()
        self.close_connection = True
        hora = datetime.now(UTC).strftime("%H:%M:%S")
        log(f"{hora} {self.command or '-'} (rechazada por el servidor HTTP) {code}")
        try:
            self.send_response(code, message)
            self.send_header("Content-Type", JSON)
            self.send_header("Content-Length", str(len(cuerpo)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD" and code >= 200 and code not in (204, 304):
                self.wfile.write(cuerpo)
        except OSError:  # the client is gone
            pass

    def _leer(self) -> Solicitud:
        partes = urlsplit(self.path)
        cuerpo, excede = self._leer_cuerpo()
        query: dict[str, list[str]] = {}
        for clave, valor in parse_qsl(partes.query, keep_blank_values=True):
            query.setdefault(clave, []).append(valor)
        return Solicitud(
            metodo=self.command,
            ruta=partes.path or "/",
            query=query,
            headers=list(self.headers.items()),
            cuerpo=cuerpo,
            excede_limite=excede,
            ip=self.client_address[0],
        )

    def _leer_cuerpo(self) -> tuple[bytes, bool]:
        """Reads the whole body, so the connection stays usable, but keeps no more than MAX_CUERPO."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            trozos = self._trozos_chunked()
        else:
            trozos = self._trozos(int(self.headers.get("Content-Length") or 0))
        cuerpo = bytearray()
        excede = False
        for trozo in trozos:
            excede = excede or len(cuerpo) + len(trozo) > MAX_CUERPO
            if not excede:
                cuerpo += trozo
        return (b"" if excede else bytes(cuerpo)), excede

    def _trozos(self, restante: int) -> Iterator[bytes]:
        while restante > 0:
            trozo = self.rfile.read(min(restante, 1 << 16))
            if not trozo:
                return
            restante -= len(trozo)
            yield trozo

    def _trozos_chunked(self) -> Iterator[bytes]:
        while tamano := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
            yield from self._trozos(tamano)
            self.rfile.readline()
        while self.rfile.readline() not in (b"\r\n", b"\n", b""):  # trailers
            pass

    def _escribir(self, respuesta: Respuesta) -> None:
        self.send_response(respuesta.status)
        for clave, valor in respuesta.headers:
            if clave.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(clave, valor)
        self.send_header("Content-Length", str(len(respuesta.cuerpo)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(respuesta.cuerpo)


class ServidorLocal(ThreadingHTTPServer):
    """One thread per connection, like concurrent Lambda invocations (see Contenedores)."""

    daemon_threads = True
    # socketserver's default backlog is 5: a burst of clients would see "connection reset".
    request_queue_size = 128

    def __init__(self, gateway: Gateway, puerto: int, host: str = "127.0.0.1") -> None:
        self.gateway = gateway
        super().__init__((host, puerto), _Manejador)


# ---------------------------------------------------------------- process set-up


def prohibir_scan() -> None:
    """MONITOR_PROHIBIR_SCAN=1: any DynamoDB Scan fails and shouts. Registered on boto3's default
    session before any client exists, because clients copy the session's hooks when created."""
    import boto3

    def _scan(**kwargs: Any) -> None:
        tabla = (kwargs.get("params") or {}).get("TableName")
        log(f"!!! {MARCA_SCAN}: Scan sobre {tabla}. Ninguna ruta puede escanear la tabla.", error=True)
        raise RuntimeError(f"{MARCA_SCAN}: Scan sobre {tabla}")

    boto3.setup_default_session()
    boto3.DEFAULT_SESSION.events.register("before-call.dynamodb.Scan", _scan)


def serializar_metricas() -> None:
    """Lambda runs one request per container, but here every container shares the layer's Metrics
    object, whose metric set is a plain dict: without a lock a flush can race another request's
    add_metric and fail that request. Metrics of concurrent requests may share a local EMF line."""
    from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import AmazonCloudWatchEMFProvider

    cerrojo = threading.RLock()

    def con_cerrojo(metodo: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(metodo)
        def envuelto(*args: Any, **kwargs: Any) -> Any:
            with cerrojo:
                return metodo(*args, **kwargs)

        return envuelto

    for nombre in ("add_metric", "add_dimension", "add_metadata", "flush_metrics", "clear_metrics"):
        setattr(AmazonCloudWatchEMFProvider, nombre, con_cerrojo(getattr(AmazonCloudWatchEMFProvider, nombre)))


def aprovisionar(local: aws_local.AwsLocal) -> None:
    """Table, secret and bucket; if DynamoDB is down the gateway still starts (health will say 503)."""
    try:
        aws_local.aprovisionar(local)
    except Exception as exc:
        log(f"AVISO: no se pudieron crear los recursos locales ({exc}). El servidor arranca igual.", error=True)


def sembrar() -> str:
    """Insurer catalog and administrator. A generated password is printed here, once."""
    from monitor.usuarios import semilla

    usuario = os.environ.get("MONITOR_ADMIN_USER") or "admin"
    password = os.environ.get("MONITOR_ADMIN_PASSWORD")
    generada = not password
    password = password or secrets.token_urlsafe(12)
    try:
        creado = semilla.sembrar(usuario, password)
    except Exception as exc:
        log(f"AVISO: no se pudo sembrar el catálogo ni el administrador ({exc}).", error=True)
        return usuario
    if not creado:
        log(f"El administrador '{usuario}' ya existía: su contraseña no cambia.")
    elif generada:
        log("=" * 72)
        log(f"Administrador creado: usuario '{usuario}', contraseña '{password}'")
        log("Anótela: no se volverá a mostrar (o fije MONITOR_ADMIN_PASSWORD).")
        log("=" * 72)
    return usuario


def iniciar_seguimiento(local: aws_local.AwsLocal) -> seguimiento_local.Seguimiento | None:
    """The event source mappings of the template (stream → publisher, queues → sender and notifier), run by
    threads of this process with warm containers like the API's."""
    if os.environ.get("MONITOR_SEGUIMIENTO_LOCAL", "1") == "0":
        return None
    fuentes = {f.funcion: f for f in plantilla.fuentes_de_eventos()}
    contenedores = {f.funcion: Contenedores(f.funcion, f.codigo) for f in fuentes.values()}

    def invocar(funcion: str, evento: dict[str, Any]) -> Any:
        return contenedores[funcion].invocar(evento, timeout_s=fuentes[funcion].timeout_s)

    seguimiento = seguimiento_local.Seguimiento(local, invocar, log)
    seguimiento.iniciar()
    return seguimiento


def banner(url: str, usuario: str, local: aws_local.AwsLocal) -> None:
    aws = f"moto en {local.endpoint}" if local.servidor else local.endpoint
    dynamo = os.environ.get("DYNAMODB_ENDPOINT_URL")
    log(f"Monitor local escuchando en {url}")
    log(f"  Swagger UI: {url}/docs    OpenAPI: {url}/openapi.json")
    log(f"  Administrador: {usuario}")
    log(f"  AWS: {aws}; tabla {local.tabla}" + (f" en {dynamo}" if dynamo else ""))
    if os.environ.get("AWS_ENDPOINT_URL_S3"):
        log(f"  URLs de S3 firmadas para {os.environ['AWS_ENDPOINT_URL_S3']} (alcanzable desde la red local)")
    if os.environ.get("MONITOR_SEGUIMIENTO_LOCAL", "1") != "0":
        log(f"  Seguimiento: stream → bus {local.nombre('EventosBus')} → colas → webhooks y correos (moto SES)")
    log("  Ctrl-C para detener.")


def _interrumpir(_senal: int, _marco: Any) -> None:
    raise KeyboardInterrupt


def silenciar_ruido() -> None:
    """moto's per-call access log and Powertools' "no metrics" warning would bury the request lines."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message="No application metrics to publish")


def host_publico(host: str) -> str:
    """How a phone on the LAN reaches this machine: MONITOR_HOST_PUBLICO, else the LAN address when listening on
    every interface, else the address listened on."""
    elegido = os.environ.get("MONITOR_HOST_PUBLICO", "").strip()
    if elegido:
        return elegido
    return aws_local.ip_de_red() if host in ("0.0.0.0", "::", "") else host


def main() -> int:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    silenciar_ruido()
    puerto = int(os.environ.get("PORT") or 3000)
    host = os.environ.get("HOST", "").strip() or "127.0.0.1"
    en_red = host not in aws_local.LOOPBACK
    if os.environ.get("MONITOR_PROHIBIR_SCAN") == "1":
        prohibir_scan()
    try:
        servidor = ServidorLocal(Gateway.desde_plantilla(), puerto, host)
    except OSError as exc:
        log(f"No se puede escuchar en {host}:{puerto} ({exc}). Elija otro con HOST=... o PORT=...", error=True)
        return 1
    # On the LAN, moto listens there too and S3 URLs are signed with the address the phone knows.
    local = aws_local.iniciar(aprovisionar_recursos=False, escuchar=host if en_red else "127.0.0.1")
    try:
        os.environ.update(local.entorno())
        publico = host_publico(host) if en_red else "127.0.0.1"
        if en_red and not os.environ.get("AWS_ENDPOINT_URL_S3"):
            os.environ["AWS_ENDPOINT_URL_S3"] = aws_local.endpoint_s3_publico(local.endpoint, publico)
        aprovisionar(local)
        usuario = sembrar()
        serializar_metricas()
        seguimiento = iniciar_seguimiento(local)
        banner(f"http://{publico}:{puerto}", usuario, local)
        for senal in (signal.SIGINT, signal.SIGTERM):  # SIGINT too: background jobs start with it ignored
            signal.signal(senal, _interrumpir)
        try:
            servidor.serve_forever()
        except KeyboardInterrupt:
            log("Deteniendo...")
        finally:
            servidor.server_close()
            if seguimiento is not None:
                seguimiento.detener()
    finally:
        local.detener()
    return 0


if __name__ == "__main__":
    sys.exit(main())
