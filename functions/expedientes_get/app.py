"""GET /api/expedientes/{no_siniestro}: the flat expediente with its insurer, state history and orders."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor import expedientes
from monitor.auth import PERSONAL
from monitor.http import MonitorResolver, Response, documentar, respuesta
from monitor.observability import CORRELACION_REST, logger, metrics, tracer

app = MonitorResolver(roles=PERSONAL, error_interno="Error interno al obtener expediente", validacion=False)


@app.get(
    "/api/expedientes/<no_siniestro>",
    summary="Detalle de un expediente",
    responses={
        200: documentar("DetalleExpediente", "Expediente, aseguradora, historial de estados y órdenes de servicio"),
        400: documentar("Error", "No. Siniestro requerido"),
        403: documentar("Error", "Acceso restringido a usuarios del taller"),
        404: documentar("Error", "Expediente no encontrado"),
        503: documentar("Error", "DynamoDB no disponible (Retry-After)"),
    },
)
def obtener(no_siniestro: str) -> Response[str]:
    cuerpo, etag = expedientes.detalle(expedientes.de_ruta(no_siniestro))
    return respuesta(cuerpo, headers={"ETag": etag})


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
