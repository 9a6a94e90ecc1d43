"""The one resolver every function uses: access check before validation, one error-mapping place,
validation errors reshaped to `{"error", "detalles"}` in Spanish, exact-decimal JSON out.

Who may call a route is decided by an `Acceso` the function passes in (`monitor.auth.roles` has the
shop's); this module knows no role, no claim and no business rule.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response  # functions take Response from here
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

from monitor.core import cors, jsoncodec, validation
from monitor.core.components import EXTENSION_CABECERAS, PAQUETES_DE_MODELOS, REFERENCIA
from monitor.core.errors import ErrorMonitor, ServicioNoDisponible
from monitor.core.observability import logger, tracer
from monitor.core.settings import origenes_cors, settings
from monitor.startup import collector, route_models

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler.openapi.models import OpenAPI

Manejador = TypeVar("Manejador", bound=Callable[..., Any])

JSON = "application/json"

CUERPO_GRANDE = "El cuerpo de la solicitud es demasiado grande"
CUERPO_INVALIDO = "Cuerpo de la solicitud inválido (JSON no válido o Content-Type no soportado)"
TIPO_NO_SOPORTADO = {
    "error": "Content-Type no soportado",
    "detalles": [{"campo": "Content-Type", "mensaje": "Use application/json"}],
}


# Headers the API reads or sets, with what they mean: declared once, named by the routes.
CABECERAS_SOLICITUD = {
    "If-Match": "ETag (o versión) del recurso que leyó el cliente: si cambió desde entonces la respuesta es 412 "
    "con el ETag actual y no se escribe nada",
    "If-None-Match": "ETag de la copia que ya tiene el cliente: si sigue vigente la respuesta es 304 sin cuerpo",
    "X-Infopiezas-Hmac-Sha256": "HMAC-SHA256 en hexadecimal del cuerpo crudo con la hmac_key del cliente; "
    "obligatoria cuando el cliente exige firma",
    "X-Infopiezas-Topic": "Tema del evento que envía la plataforma (opcional; solo se registra)",
}
CABECERAS_RESPUESTA = {
    "ETag": "Versión de lo que se responde; se envía en If-Match o If-None-Match",
    "Retry-After": "Segundos que conviene esperar antes de reintentar",
    "Location": "Ruta del recurso creado",
}


def cabeceras(*nombres: str) -> dict[str, Any]:
    """`openapi_extensions` for a route that reads these request headers (`CABECERAS_SOLICITUD`): the document
    declares them as header parameters, so Swagger UI's "Try it out" can send them. The route still reads them
    with `MonitorResolver.cabecera`, without Pydantic."""
    desconocidas = [n for n in nombres if n not in CABECERAS_SOLICITUD]
    if desconocidas:
        raise LookupError(f"Cabecera sin describir en CABECERAS_SOLICITUD: {desconocidas}")
    return {EXTENSION_CABECERAS: list(nombres)}


class Acceso(Protocol):
    """Who may call a route: the refusal for an event (status and message) or None, the caller it names,
    and the refusals to document in OpenAPI (status → description)."""

    def rechazo(self, event: Mapping[str, Any]) -> tuple[int, str] | None: ...

    def principal(self, event: Mapping[str, Any]) -> Any: ...

    def documentacion(self) -> Mapping[int, str]: ...


def documentar(modelo: str | tuple[str, ...], descripcion: str, *, cabeceras: tuple[str, ...] = ()) -> OpenAPIResponse:
    """One OpenAPI response entry, by model name (several names: any of them). `"expedientes.Expediente"`
    names a model of `monitor.expedientes.respuestas`; a bare name one of `monitor.core.responses`. The
    models are loaded only when the document is generated (`monitor.core.openapi`). `cabeceras` names the
    response headers it carries (`CABECERAS_RESPUESTA`)."""
    nombres = []
    for nombre in (modelo,) if isinstance(modelo, str) else modelo:
        paquete, _, clase = nombre.rpartition(".")
        if paquete:
            PAQUETES_DE_MODELOS[clase] = paquete
        nombres.append(clase)
    referencias = [{"$ref": f"{REFERENCIA}{n}"} for n in nombres]
    esquema = referencias[0] if len(referencias) == 1 else {"anyOf": referencias}
    return sin_cuerpo(descripcion, cabeceras=cabeceras) | {"content": {JSON: {"schema": esquema}}}


def sin_cuerpo(descripcion: str, *, cabeceras: tuple[str, ...] = ()) -> OpenAPIResponse:
    """A response entry without a body (204, 304), with the response headers it carries."""
    entrada: OpenAPIResponse = {"description": descripcion}
    if cabeceras:
        entrada["headers"] = {
            n: {"description": CABECERAS_RESPUESTA[n], "schema": {"type": "string"}} for n in cabeceras
        }
    return entrada


def respuesta(datos: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response[str]:
    return Response(status_code=status, content_type=JSON, body=jsoncodec.dumps(datos), headers=dict(headers or {}))


def no_modificado(etag: str) -> Response[str]:
    """304 for a conditional GET whose If-None-Match names the current ETag: no body, the ETag again."""
    return Response(status_code=304, body="", headers={"ETag": etag})


def _proxy(status: int, cuerpo: Mapping[str, Any], headers: Mapping[str, str] | None = None) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"Content-Type": JSON, **(headers or {})},
        "body": jsoncodec.dumps(cuerpo),
        "isBase64Encoded": False,
    }


class MonitorResolver(APIGatewayRestResolver):
    """`roles` None means a public route; otherwise the `Acceso` decides, before any validation.

    `validacion=False` is for functions whose routes take only path strings: Powertools then loads no
    Pydantic, which is most of their cold start. Routes with a body, query or typed path need it on.

    Every answer, the early refusals included, carries the CORS headers of `monitor.core.cors`."""

    def __init__(
        self,
        *,
        roles: Acceso | None,
        error_interno: str = "Error interno del servidor",
        validacion: bool = True,
    ) -> None:
        super().__init__(
            cors=cors.configuracion(origenes_cors()),
            enable_validation=validacion,
            serializer=jsoncodec.dumps,
            json_body_deserializer=_cargar_json,
        )
        self.roles = roles
        self.error_interno = error_interno
        # (method, path as API Gateway names it) → the query parameters the route declares; any other is a 400.
        self._consultas: dict[tuple[str, str], frozenset[str]] = {}
        self.exception_handler(ErrorMonitor)(self._error_monitor)
        self.exception_handler(RequestValidationError)(self._error_validacion)
        self.exception_handler(RequestUnsupportedContentType)(self._tipo_no_soportado)
        self.exception_handler(NotFoundError)(self._ruta_no_encontrada)
        self.exception_handler(Exception)(self._error_inesperado)

    def route(self, *args: Any, **kwargs: Any) -> Callable[[Manejador], Manejador]:
        """Every route is made ready to validate as it registers (`get`, `put`... all go through here)."""
        registrar = super().route(*args, **kwargs)

        def registrar_y_preparar(manejador: Manejador) -> Manejador:
            resultado = registrar(manejador)
            for ruta in self._static_routes + self._dynamic_routes:
                if ruta.func is not manejador:
                    continue
                valida = self._enable_validation if ruta.enable_validation is None else ruta.enable_validation
                nombres: frozenset[str] = frozenset()
                if valida:
                    route_models.preparar(ruta)
                    nombres = frozenset(p.alias for p in ruta.dependant.query_params)
                self._consultas[(ruta.method, ruta.openapi_path)] = nombres
            return resultado

        return registrar_y_preparar

    def get_openapi_schema(self, **opciones: Any) -> OpenAPI:
        """Powertools' document plus the answers the resolver itself gives (access refusals, 400, 413, 500,
        503) and the response models the routes name (`documentar`)."""
        from monitor.core import openapi

        comunes = {
            400: documentar("ErrorValidacion", CUERPO_INVALIDO),
            **{
                estado: documentar("Error", descripcion)
                for estado, descripcion in (self.roles.documentacion() if self.roles else {}).items()
            },
            413: documentar("Error", CUERPO_GRANDE),
            500: documentar("Error", self.error_interno),
            503: documentar("Error", ServicioNoDisponible.mensaje, cabeceras=("Retry-After",)),
        }
        return openapi.completar(super().get_openapi_schema(**opciones), comunes, CABECERAS_SOLICITUD)

    @property
    def principal(self) -> Any:
        """The caller as the route's `Acceso` names it (`monitor.auth.roles.Principal` for the shop's)."""
        if self.roles is None:  # pragma: no cover - a public route has no caller
            raise ErrorMonitor("Ruta pública sin llamante")
        return self.roles.principal(self.current_event.raw_event)

    def resolve(self, event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        contexto = _claves_de_log(event)
        # X-Ray annotations are indexed: traces can be searched by route and claim.
        for clave in ("ruta", "no_siniestro", "serviceOrderId"):
            if clave in contexto:
                tracer.put_annotation(key=clave, value=contexto[clave])
        try:
            with logger.append_context_keys(**contexto):
                # The early answers of `_resolver` get their CORS headers here, Powertools' answers their Vary.
                respuesta = cors.completar(self._resolver(event, context), self._cors, event)
                estado = respuesta.get("statusCode", 0)
                nivel = logger.warning if estado >= 500 else logger.info
                nivel("Solicitud atendida", extra={"status": estado})
                return respuesta
        finally:
            collector.reanudar()  # the first request ends init's pause of the garbage collector

    def _resolver(self, event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        rechazo = self.roles.rechazo(event) if self.roles is not None else None
        if rechazo is not None:
            return _proxy(rechazo[0], {"error": rechazo[1]})
        cuerpo = event.get("body") or ""
        if len(cuerpo) > settings().max_cuerpo:
            return _proxy(413, {"error": CUERPO_GRANDE})
        if cuerpo and _tipo_de_contenido(event).startswith("multipart/"):
            # No route takes multipart (evidence goes straight to S3); Powertools would raise a 500 on it.
            return _proxy(400, TIPO_NO_SOPORTADO)
        if cuerpo and event.get("isBase64Encoded") and not _base64_utf8(cuerpo):
            detalles = [{"campo": "body", "mensaje": "El cuerpo no es JSON válido"}]
            return _proxy(400, {"error": "El cuerpo no es JSON válido", "detalles": detalles})
        if (ajenos := self._consulta_no_admitida(event)) is not None:
            return _proxy(400, ajenos)
        return super().resolve(event, context)

    def _consulta_no_admitida(self, event: Mapping[str, Any]) -> dict[str, Any] | None:
        """A route takes only the query parameters it declares, each once: an unknown one (a typo, a filter the
        route does not have) is a 400 rather than silently ignored, on every list and every other route."""
        admitidos = self._consultas.get((str(event.get("httpMethod", "")).upper(), str(event.get("resource", ""))))
        if admitidos is None:
            return None  # not one of this function's routes: the router answers it
        multiples = event.get("multiValueQueryStringParameters") or {}
        simples = event.get("queryStringParameters") or {}
        detalles = []
        for nombre in dict.fromkeys([*multiples, *simples]):
            if nombre not in admitidos:
                lista = ", ".join(sorted(admitidos)) or "ninguno"
                detalles.append({"campo": str(nombre)[:100], "mensaje": f"Parámetro desconocido (admitidos: {lista})"})
            elif len(multiples.get(nombre) or []) > 1:
                detalles.append({"campo": str(nombre)[:100], "mensaje": "Parámetro repetido"})
        if not detalles:
            return None
        return {"error": "Parámetro de consulta no admitido", "detalles": detalles}

    def cuerpo_crudo(self) -> bytes:
        """The body exactly as sent, for signatures."""
        import base64

        evento = self.current_event
        texto = evento.body or ""
        if evento.is_base64_encoded:
            return base64.b64decode(texto)
        return texto.encode("utf-8")

    def cabecera(self, nombre: str) -> str | None:
        return self.current_event.headers.get(nombre) if self.current_event.headers else None

    # ---- the one error-mapping place
    def _error_monitor(self, exc: ErrorMonitor) -> Response[str]:
        if exc.status >= 500:
            logger.warning("Error de dependencia", extra={"status": exc.status, "error": exc.mensaje})
        else:
            logger.info("Solicitud rechazada", extra={"status": exc.status, "error": exc.mensaje})
        return respuesta(exc.body(), exc.status, exc.headers)

    def _error_validacion(self, exc: RequestValidationError) -> Response[str]:
        mensaje, detalles = validation.detalles_de_validacion(list(exc.errors()))
        logger.info("Validación fallida", extra={"campos": [d["campo"] for d in detalles]})
        return respuesta({"error": mensaje, "detalles": detalles}, 400)

    def _tipo_no_soportado(self, _exc: RequestUnsupportedContentType) -> Response[str]:
        # A body sent as text/plain, XML... is bad input (400, declared everywhere), not a 500.
        return respuesta(TIPO_NO_SOPORTADO, 400)

    def _ruta_no_encontrada(self, _exc: NotFoundError) -> Response[str]:
        # API Gateway matched one of this function's routes, so a segment with characters Powertools' router
        # does not accept (it matches RFC 3986 characters only) is bad input, not a missing route.
        detalles = [
            {"campo": nombre, "mensaje": "Contiene caracteres no admitidos"}
            for nombre, valor in (self.current_event.path_parameters or {}).items()
            if not _SEGMENTO.fullmatch(valor)
        ]
        if detalles:
            return respuesta({"error": "Parámetro de ruta inválido", "detalles": detalles}, 400)
        return respuesta({"error": "Ruta no encontrada"}, 404)

    def _error_inesperado(self, _exc: Exception) -> Response[str]:
        logger.exception("Error no controlado")
        return respuesta({"error": self.error_interno}, 500)


def _tipo_de_contenido(event: Mapping[str, Any]) -> str:
    for nombre, valor in (event.get("headers") or {}).items():
        if nombre.lower() == "content-type" and isinstance(valor, str):
            return valor.strip().lower()
    return ""


def _cargar_json(texto: str | bytes) -> Any:
    """Every body of this API is an object; Powertools would otherwise take an array's first element.
    (`jsoncodec.loads` already refuses absurd numbers and nesting as JSON errors: a 400, never a 500.)"""
    documento = texto if isinstance(texto, str) else ""
    valor = jsoncodec.loads(texto)
    if not isinstance(valor, dict):
        raise json.JSONDecodeError(validation.NO_ES_OBJETO, documento, 0)
    return valor


def _base64_utf8(texto: str) -> bool:
    """API Gateway base64-encodes bodies that are not UTF-8 text; JSON must be UTF-8 (RFC 8259), so those are
    a 400 here instead of a UnicodeDecodeError (500) inside Powertools' body parsing."""
    import base64
    import binascii

    try:
        base64.b64decode(texto, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return False
    return True


def _claves_de_log(event: Mapping[str, Any]) -> dict[str, Any]:
    """Who called which route about which claim or order: what on-call searches logs by."""
    contexto = event.get("requestContext") or {}
    autorizador = contexto.get("authorizer") or {}
    parametros = event.get("pathParameters") or {}
    claves: dict[str, Any] = {"ruta": f"{event.get('httpMethod', '')} {event.get('resource', '')}"}
    if autorizador.get("rol"):
        claves |= {"caller": str(autorizador.get("principalId", "")), "rol": autorizador["rol"]}
    for nombre in ("no_siniestro", "serviceOrderId"):
        if parametros.get(nombre):
            claves[nombre] = str(parametros[nombre])[:80]
    return claves


# The characters Powertools' router accepts in a path segment (api_gateway._NAMED_GROUP_BOUNDARY_PATTERN).
_SEGMENTO = re.compile(r"[-._~()'!*:@,;=+&$%<> \[\]{}|^\w]+")
