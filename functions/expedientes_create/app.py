"""POST /api/expedientes: a new claim file in Ingreso, unique by No. Siniestro, with its first history entry."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor import expedientes
from monitor.auth import ADMIN_OPERADOR
from monitor.http import MonitorResolver, respuesta
from monitor.metricas import Metrica
from monitor.modelos_expediente import CrearExpediente, Error, ErrorValidacion, Expediente
from monitor.observability import CORRELACION_REST, contar, logger, metrics, tracer

app = MonitorResolver(roles=ADMIN_OPERADOR, error_interno="Error interno al crear expediente")


def _json(modelo: type, descripcion: str) -> dict[str, Any]:
    return {"description": descripcion, "content": {"application/json": {"model": modelo}}}


@app.post(
    "/api/expedientes",
    summary="Crear un expediente",
    responses={
        201: _json(Expediente, "El expediente creado, en estado Ingreso"),
        400: _json(ErrorValidacion, "Faltan campos obligatorios, datos inválidos o aseguradora inexistente"),
        403: _json(Error, "Acceso restringido a administradores y operadores"),
        409: _json(Error, "Ya existe un expediente con ese No. Siniestro"),
        503: _json(Error, "DynamoDB no disponible (Retry-After)"),
    },
)
def crear(datos: Annotated[CrearExpediente, Body()]) -> Response[str]:
    creado = expedientes.crear(datos, app.principal)
    contar(Metrica.EXPEDIENTE_CREADO)
    return respuesta(creado, 201, headers={"ETag": expedientes.etag(creado)})


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
