"""The one resolver every function uses: role check before validation, one error-mapping place,
validation errors reshaped to `{"error", "detalles"}` in Spanish, exact-decimal JSON out."""

from __future__ import annotations

import json
import re
import typing
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response  # functions take Response from here
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

from monitor import jsoncodec, recolector
from monitor.auth import ADMIN, ADMIN_OPERADOR, INTEGRACION, PERSONAL, Principal, Rol
from monitor.campos import NO_SINIESTRO, REGLA_NO_SINIESTRO
from monitor.errors import ErrorMonitor, SolicitudInvalida
from monitor.observability import logger, tracer
from monitor.settings import settings

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler.api_gateway import Route
    from aws_lambda_powertools.event_handler.openapi.models import OpenAPI

Manejador = TypeVar("Manejador", bound=Callable[..., Any])

JSON = "application/json"
REFERENCIA = "#/components/schemas/"

MENSAJES_ROL = {
    ADMIN: "Acceso restringido a administradores",
    ADMIN_OPERADOR: "Acceso restringido a administradores y operadores",
    INTEGRACION: "Acceso restringido a integraciones de aseguradoras",
}
SOLO_PERSONAL = "Acceso restringido a usuarios del taller"
CUERPO_GRANDE = "El cuerpo de la solicitud es demasiado grande"
CUERPO_INVALIDO = "Cuerpo de la solicitud inválido (JSON no válido o Content-Type no soportado)"
TIPO_NO_SOPORTADO = {
    "error": "Content-Type no soportado",
    "detalles": [{"campo": "Content-Type", "mensaje": "Use application/json"}],
}

# pydantic error type → Spanish text; {placeholders} come from the error's ctx.
_MENSAJES_VALIDACION = {
    "missing": "Campo obligatorio",
    "extra_forbidden": "Campo no permitido",
    "string_type": "Debe ser texto",
    "int_type": "Debe ser un número entero",
    "int_parsing": "Debe ser un número entero",
    "int_from_float": "Debe ser un número entero",
    "float_type": "Debe ser un número",
    "float_parsing": "Debe ser un número",
    "decimal_type": "Debe ser un número decimal",
    "decimal_parsing": "Debe ser un número decimal",
    "decimal_max_digits": "Tiene demasiados dígitos",
    "decimal_max_places": "Tiene demasiados decimales",
    "bool_type": "Debe ser verdadero o falso",
    "bool_parsing": "Debe ser verdadero o falso",
    "string_too_long": "Excede el máximo de {max_length} caracteres",
    "string_too_short": "Debe tener al menos {min_length} caracteres",
    "string_pattern_mismatch": "Formato inválido",
    "too_long": "Admite como máximo {max_length} elementos",
    "too_short": "Requiere al menos {min_length} elementos",
    "list_type": "Debe ser una lista",
    "dict_type": "Debe ser un objeto",
    "model_type": "Debe ser un objeto",
    "model_attributes_type": "Debe ser un objeto",
    "uuid_type": "Debe ser un GUID",
    "uuid_parsing": "Debe ser un GUID válido",
    "datetime_type": "Debe ser una fecha-hora ISO 8601",
    "datetime_parsing": "Debe ser una fecha-hora ISO 8601",
    "datetime_from_date_parsing": "Debe ser una fecha-hora ISO 8601",
    "greater_than_equal": "Debe ser mayor o igual que {ge}",
    "greater_than": "Debe ser mayor que {gt}",
    "less_than_equal": "Debe ser menor o igual que {le}",
    "less_than": "Debe ser menor que {lt}",
    "literal_error": "Debe ser uno de: {expected}",
    "enum": "Debe ser uno de: {expected}",
    "json_invalid": "El cuerpo no es JSON válido",
    "json_type": "El cuerpo no es JSON válido",
}


def documentar(modelo: str | tuple[str, ...], descripcion: str) -> OpenAPIResponse:
    """One OpenAPI response entry, by model name (several names: any of them). The models live in
    `monitor.respuestas` and are loaded only when the document is generated."""
    nombres = (modelo,) if isinstance(modelo, str) else modelo
    referencias = [{"$ref": f"{REFERENCIA}{n}"} for n in nombres]
    esquema = referencias[0] if len(referencias) == 1 else {"anyOf": referencias}
    return {"description": descripcion, "content": {JSON: {"schema": esquema}}}


def respuesta(datos: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response[str]:
    return Response(status_code=status, content_type=JSON, body=jsoncodec.dumps(datos), headers=dict(headers or {}))


def _proxy(status: int, cuerpo: Mapping[str, Any], headers: Mapping[str, str] | None = None) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"Content-Type": JSON, **(headers or {})},
        "body": jsoncodec.dumps(cuerpo),
        "isBase64Encoded": False,
    }


def principal_del_evento(event: Mapping[str, Any]) -> Principal | None:
    contexto = (event.get("requestContext") or {}).get("authorizer") or {}
    rol = contexto.get("rol")
    if not rol:
        return None
    id_aseguradora = contexto.get("id_aseguradora")
    return Principal(
        id=str(contexto.get("principalId", "")),
        username=str(contexto.get("username", "")),
        rol=Rol(rol),
        id_aseguradora=int(id_aseguradora) if id_aseguradora not in (None, "") else None,
    )


def mensaje_de_rechazo(permitidos: frozenset[Rol], rol: Rol) -> str:
    if rol == Rol.INTEGRACION and permitidos <= PERSONAL:
        return SOLO_PERSONAL
    if permitidos in MENSAJES_ROL:
        return MENSAJES_ROL[permitidos]
    return SOLO_PERSONAL if permitidos <= PERSONAL else MENSAJES_ROL[INTEGRACION]


def _campo(loc: tuple[Any, ...]) -> str:
    partes = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(partes) or "body"


def _mensaje(error: Mapping[str, Any]) -> str:
    tipo = error.get("type", "")
    causa_json = (error.get("ctx") or {}).get("error")
    if tipo == "json_invalid" and causa_json in (_NO_ES_OBJETO, _ANIDAMIENTO):
        return str(causa_json)
    if tipo == "value_error":
        # Our own validators raise ValueError with a Spanish text.
        ctx = error.get("ctx") or {}
        causa = ctx.get("error")
        return str(causa) if causa else "Valor inválido"
    plantilla = _MENSAJES_VALIDACION.get(tipo)
    if plantilla is None:
        return "Valor inválido"
    try:
        return plantilla.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return plantilla


def detalles_de_validacion(errores: list[Mapping[str, Any]]) -> tuple[str, list[dict[str, str]]]:
    detalles = [
        {
            "campo": "body" if e.get("type") == "json_invalid" else _campo(tuple(e.get("loc", ()))),
            "mensaje": _mensaje(e),
        }
        for e in errores
    ]
    if any(e.get("type") in ("json_invalid", "json_type") for e in errores):
        return "El cuerpo no es JSON válido", detalles
    if any(tuple(e.get("loc", ())) == ("body",) and e.get("type") == "missing" for e in errores):
        return "El cuerpo de la solicitud es obligatorio", detalles
    faltantes = [d["campo"] for d, e in zip(detalles, errores, strict=True) if e.get("type") == "missing"]
    if faltantes and len(faltantes) == len(errores):
        return f"Faltan campos obligatorios: {', '.join(faltantes)}", detalles
    return "Datos inválidos", detalles


class MonitorResolver(APIGatewayRestResolver):
    """`roles` None means a public route; otherwise the caller must hold one of them.

    `validacion=False` is for functions whose routes take only path strings: Powertools then loads no
    Pydantic, which is most of their cold start. Routes with a body, query or typed path need it on."""

    def __init__(
        self,
        *,
        roles: frozenset[Rol] | None,
        error_interno: str = "Error interno del servidor",
        validacion: bool = True,
    ) -> None:
        super().__init__(
            enable_validation=validacion,
            serializer=jsoncodec.dumps,
            json_body_deserializer=_cargar_json,
        )
        self.roles = roles
        self.error_interno = error_interno
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
                valida = self._enable_validation if ruta.enable_validation is None else ruta.enable_validation
                if ruta.func is manejador and valida:
                    _preparar(ruta)
            return resultado

        return registrar_y_preparar

    def get_openapi_schema(self, **opciones: Any) -> OpenAPI:
        """Powertools' document plus the response models the routes name (`documentar`)."""
        from monitor import documentacion

        comunes = {
            400: documentar("ErrorValidacion", CUERPO_INVALIDO),
            413: documentar("Error", CUERPO_GRANDE),
            500: documentar("Error", self.error_interno),
        }
        return documentacion.completar(super().get_openapi_schema(**opciones), comunes)

    @property
    def principal(self) -> Principal:
        principal = principal_del_evento(self.current_event.raw_event)
        if principal is None:  # pragma: no cover - resolve() refuses these before routing
            raise ErrorMonitor("Token requerido")
        return principal

    def resolve(self, event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        contexto = _claves_de_log(event)
        # X-Ray annotations are indexed: traces can be searched by route and claim.
        for clave in ("ruta", "no_siniestro", "serviceOrderId"):
            if clave in contexto:
                tracer.put_annotation(key=clave, value=contexto[clave])
        try:
            with logger.append_context_keys(**contexto):
                respuesta = self._resolver(event, context)
                estado = respuesta.get("statusCode", 0)
                nivel = logger.warning if estado >= 500 else logger.info
                nivel("Solicitud atendida", extra={"status": estado})
                return respuesta
        finally:
            recolector.reanudar()  # the first request ends init's pause of the garbage collector

    def _resolver(self, event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        if self.roles is not None:
            principal = principal_del_evento(event)
            if principal is None:
                return _proxy(401, {"error": "Token requerido"})
            if principal.rol not in self.roles:
                return _proxy(403, {"error": mensaje_de_rechazo(self.roles, principal.rol)})
        cuerpo = event.get("body") or ""
        if len(cuerpo) > settings().max_cuerpo:
            return _proxy(413, {"error": CUERPO_GRANDE})
        if cuerpo and _tipo_de_contenido(event).startswith("multipart/"):
            # No route takes multipart (evidence goes straight to S3); Powertools would raise a 500 on it.
            return _proxy(400, TIPO_NO_SOPORTADO)
        if cuerpo and event.get("isBase64Encoded") and not _base64_utf8(cuerpo):
            detalles = [{"campo": "body", "mensaje": "El cuerpo no es JSON válido"}]
            return _proxy(400, {"error": "El cuerpo no es JSON válido", "detalles": detalles})
        return super().resolve(event, context)

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
        mensaje, detalles = detalles_de_validacion(list(exc.errors()))
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


def _preparar(ruta: Route) -> None:
    """Builds at init what validating the route needs, so its first request builds nothing: the request
    models it takes (deferred, `monitor.tipos.Cuerpo`), then Powertools' parameters and their TypeAdapters
    (`dependant`), which reuse those schemas instead of building their own."""
    from pydantic import BaseModel

    pendientes = list(typing.get_type_hints(ruta.func, include_extras=True).values())
    while pendientes:
        tipo = pendientes.pop()
        pendientes.extend(typing.get_args(tipo))
        if isinstance(tipo, type) and issubclass(tipo, BaseModel) and not tipo.__pydantic_complete__:
            tipo.model_rebuild()
    _ = ruta.dependant


def _tipo_de_contenido(event: Mapping[str, Any]) -> str:
    for nombre, valor in (event.get("headers") or {}).items():
        if nombre.lower() == "content-type" and isinstance(valor, str):
            return valor.strip().lower()
    return ""


_NO_ES_OBJETO = "Se esperaba un objeto JSON"
_ANIDAMIENTO = "Anidamiento excesivo"


def _cargar_json(texto: str | bytes) -> Any:
    """Absurdly nested JSON exhausts the parser's recursion: a JSON error (400), never a 500.
    Every body of this API is an object; Powertools would otherwise take an array's first element."""
    documento = texto if isinstance(texto, str) else ""
    try:
        valor = jsoncodec.loads(texto)
    except RecursionError:
        raise json.JSONDecodeError(_ANIDAMIENTO, documento, 0) from None
    if not isinstance(valor, dict):
        raise json.JSONDecodeError(_NO_ES_OBJETO, documento, 0)
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


def no_siniestro_valido(valor: str | None) -> str:
    """Path claim numbers: trimmed, 1-64 of letters, digits, space, `.`, `_`, `-`."""
    texto = (valor or "").strip()
    if not texto:
        raise SolicitudInvalida("No. Siniestro requerido")
    if not NO_SINIESTRO.match(texto):
        raise SolicitudInvalida(
            "No. Siniestro inválido", detalles=[{"campo": "no_siniestro", "mensaje": REGLA_NO_SINIESTRO}]
        )
    return texto
