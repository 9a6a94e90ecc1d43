"""GET /api/health: public liveness with a table check, so a broken table shows up as 503."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.salud import servicio as salud

app = MonitorResolver(roles=None, error_interno="Error interno al verificar el servicio", validacion=False)


@app.get(
    "/api/health",
    summary="Estado del servicio",
    tags=["Salud"],
    responses={
        200: documentar("salud.Salud", "Servicio y tabla disponibles"),
        503: documentar("Error", "La tabla no responde", cabeceras=("Retry-After",)),
    },
)
def health() -> Response[str]:
    return respuesta(salud.estado())


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
