"""POST /api/expedientes: a new claim file in Ingreso, unique by No. Siniestro, with its first history entry."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor import expedientes
from monitor.auth import ADMIN_OPERADOR
from monitor.http import MonitorResolver, Response, documentar, respuesta
from monitor.metricas import Metrica
from monitor.modelos_expediente import CrearExpediente
from monitor.observability import CORRELACION_REST, contar, logger, metrics, tracer
from monitor.parametros import Body

app = MonitorResolver(roles=ADMIN_OPERADOR, error_interno="Error interno al crear expediente")


@app.post(
    "/api/expedientes",
    summary="Crear un expediente",
    responses={
        201: documentar("Expediente", "El expediente creado, en estado Ingreso"),
        400: documentar("ErrorValidacion", "Faltan campos obligatorios, datos inválidos o aseguradora inexistente"),
        403: documentar("Error", "Acceso restringido a administradores y operadores"),
        409: documentar("Error", "Ya existe un expediente con ese No. Siniestro"),
        503: documentar("Error", "DynamoDB no disponible (Retry-After)"),
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
