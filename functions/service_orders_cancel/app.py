"""POST /serviceOrders/{serviceOrderId}/cancel: the insurer asks whether a labor order may be cancelled.

Always answers the seed's {isCancelled, showResponseText, responseText} (404 when the order is unknown).
"""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor import service_orders
from monitor.campos import INT32_MAX
from monitor.firmas import ResolverFirmado
from monitor.http import Response, documentar, respuesta
from monitor.modelos_service_order import (
    ServiceOrderCancellationDetails,
)
from monitor.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.parametros import Body, Path

app = ResolverFirmado(
    error_interno="Error interno al cancelar la orden de servicio",
    precarga=service_orders.precarga_cancelacion,
)


@app.post(
    "/serviceOrders/<serviceOrderId>/cancel",
    summary="Cancela una orden de mano de obra",
    tags=["Integraciones"],
    responses={
        200: documentar("CancelledServiceOrderResponse", "Cancelada (isCancelled true) o rechazada con un texto"),
        400: documentar("ErrorValidacion", "Cuerpo inválido o serviceOrderId distinto del de la ruta"),
        401: documentar("Error", "Firma inválida o token inválido"),
        403: documentar("Error", "Solo integraciones de aseguradoras"),
        404: documentar("CancelledServiceOrderResponse", "La orden de mano de obra no existe"),
        503: documentar("Error", "Base de datos no disponible; reintente"),
    },
)
def cancelar(
    serviceOrderId: Annotated[int, Path(ge=1, le=INT32_MAX)],
    cancelacion: Annotated[ServiceOrderCancellationDetails | None, Body()] = None,
) -> Response[str]:
    resultado = service_orders.cancelar(serviceOrderId, cancelacion, app.webhook)
    return respuesta(resultado.cuerpo, resultado.status)


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
