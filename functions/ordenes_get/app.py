"""GET /api/ordenes-servicio/{serviceOrderId}: one labor order as received, with its items and state."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor import service_orders
from monitor.auth import PERSONAL
from monitor.campos import INT32_MAX
from monitor.http import MonitorResolver, Response, documentar, respuesta
from monitor.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.parametros import Path

app = MonitorResolver(roles=PERSONAL, error_interno="Error interno al consultar la orden de servicio")


@app.get(
    "/api/ordenes-servicio/<serviceOrderId>",
    summary="Una orden de servicio con sus piezas",
    tags=["Órdenes de servicio"],
    responses={
        200: documentar("OrdenServicio", "La orden tal como se recibió, con número, estado y cancelación"),
        400: documentar("ErrorValidacion", "serviceOrderId no es un entero válido"),
        403: documentar("Error", "Solo usuarios del taller"),
        404: documentar("Error", "Orden de servicio no encontrada"),
    },
)
def obtener(
    serviceOrderId: Annotated[int, Path(ge=1, le=INT32_MAX)],
) -> Response[str]:
    return respuesta(service_orders.obtener(serviceOrderId))


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
