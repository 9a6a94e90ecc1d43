"""GET /api/ordenes-servicio/{serviceOrderId}: one labor order as received, with its items and state."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import PERSONAL
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.models import EnteroCanonico
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.core.params import Path
from monitor.ordenes import consultas
from monitor.ordenes.campos import INT32_MAX

app = MonitorResolver(roles=PERSONAL, error_interno="Error interno al consultar la orden de servicio")


@app.get(
    "/api/ordenes-servicio/<serviceOrderId>",
    summary="Una orden de servicio con sus piezas",
    tags=["Órdenes de servicio"],
    responses={
        200: documentar("ordenes.OrdenServicio", "La orden tal como se recibió, con número, estado y cancelación"),
        400: documentar("ErrorValidacion", "serviceOrderId no es un entero válido"),
        404: documentar("Error", "Orden de servicio no encontrada"),
    },
)
def obtener(
    serviceOrderId: Annotated[EnteroCanonico, Path(ge=1, le=INT32_MAX)],
) -> Response[str]:
    return respuesta(consultas.obtener(serviceOrderId))


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
