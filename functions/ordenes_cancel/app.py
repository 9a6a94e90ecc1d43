"""POST /serviceOrders/{serviceOrderId}/cancel: the insurer asks whether a labor order may be cancelled.

Always answers the seed's {isCancelled, showResponseText, responseText} (404 when the order is unknown).
"""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.core.http import Response, cabeceras, documentar, respuesta
from monitor.core.models import EnteroCanonico
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.core.params import Body, Path
from monitor.ordenes import cancelacion as cancelaciones
from monitor.ordenes.campos import INT32_MAX
from monitor.ordenes.modelos import ServiceOrderCancellationDetails
from monitor.ordenes.webhook import ResolverFirmado

app = ResolverFirmado(
    error_interno="Error interno al cancelar la orden de servicio",
    precarga=cancelaciones.precarga_cancelacion,
)


@app.post(
    "/serviceOrders/<serviceOrderId>/cancel",
    summary="Cancela una orden de mano de obra",
    tags=["Integraciones"],
    openapi_extensions=cabeceras("X-Infopiezas-Hmac-Sha256", "X-Infopiezas-Topic"),
    responses={
        200: documentar(
            "ordenes.CancelledServiceOrderResponse", "Cancelada (isCancelled true) o rechazada con un texto"
        ),
        400: documentar("ErrorValidacion", "Cuerpo inválido o serviceOrderId distinto del de la ruta"),
        401: documentar("Error", "Firma inválida o token inválido"),
        404: documentar("ordenes.CancelledServiceOrderResponse", "La orden de mano de obra no existe"),
    },
)
def cancelar(
    serviceOrderId: Annotated[EnteroCanonico, Path(ge=1, le=INT32_MAX)],
    cancelacion: Annotated[ServiceOrderCancellationDetails | None, Body()] = None,
) -> Response[str]:
    resultado = cancelaciones.cancelar(serviceOrderId, cancelacion, app.webhook)
    return respuesta(resultado.cuerpo, resultado.status)


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
