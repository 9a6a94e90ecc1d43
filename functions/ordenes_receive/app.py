"""POST /serviceOrders: an insurer platform pushes a labor order (infopiezas contract).

Role Integracion, then the body's HMAC signature (when the client requires it), then validation.
"""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.core.http import Response, cabeceras, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.core.params import Body
from monitor.ordenes import recepcion
from monitor.ordenes.modelos import ServiceOrderDetails
from monitor.ordenes.webhook import ResolverFirmado

app = ResolverFirmado(
    error_interno="Error interno al registrar la orden de servicio",
    precarga=recepcion.precarga_recepcion,
)


@app.post(
    "/serviceOrders",
    summary="Recibe una orden de mano de obra",
    tags=["Integraciones"],
    openapi_extensions=cabeceras("X-Infopiezas-Hmac-Sha256", "X-Infopiezas-Topic"),
    responses={
        201: documentar("ordenes.CreatedServiceOrderResponse", "Orden registrada con nuestro número"),
        200: documentar("ordenes.CreatedServiceOrderResponse", "Reenvío de una orden ya registrada: el mismo número"),
        400: documentar("ErrorValidacion", "Cuerpo inválido; no se guarda nada"),
        401: documentar("Error", "Firma inválida o token inválido"),
        409: documentar("Error", "Ya existe una orden con ese serviceOrderId y otro serviceOrderGuid"),
    },
)
def recibir(orden: Annotated[ServiceOrderDetails, Body()]) -> Response[str]:
    resultado = recepcion.recibir(orden, app.webhook)
    return respuesta(resultado.cuerpo, resultado.status)


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
