"""POST /serviceOrders: an insurer platform pushes a labor order (infopiezas contract).

Role Integracion, then the body's HMAC signature (when the client requires it), then validation.
"""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor import service_orders
from monitor.firmas import ResolverFirmado
from monitor.http import respuesta
from monitor.modelos_service_order import CreatedServiceOrderResponse, Error, ErrorValidacion, ServiceOrderDetails
from monitor.observability import CORRELACION_REST, logger, metrics, tracer

app = ResolverFirmado(
    error_interno="Error interno al registrar la orden de servicio",
    precarga=service_orders.precarga_recepcion,
)


def _json(modelo: type, descripcion: str) -> dict[str, Any]:
    return {"description": descripcion, "content": {"application/json": {"model": modelo}}}


@app.post(
    "/serviceOrders",
    summary="Recibe una orden de mano de obra",
    tags=["Integraciones"],
    responses={
        201: _json(CreatedServiceOrderResponse, "Orden registrada con nuestro número"),
        200: _json(CreatedServiceOrderResponse, "Reenvío de una orden ya registrada: el mismo número"),
        400: _json(ErrorValidacion, "Cuerpo inválido; no se guarda nada"),
        401: _json(Error, "Firma inválida o token inválido"),
        403: _json(Error, "Solo integraciones de aseguradoras"),
        409: _json(Error, "Ya existe una orden con ese serviceOrderId y otro serviceOrderGuid"),
        503: _json(Error, "Base de datos no disponible; reintente"),
    },
)
def recibir(orden: Annotated[ServiceOrderDetails, Body()]) -> Response[str]:
    resultado = service_orders.recibir(orden, app.webhook)
    return respuesta(resultado.cuerpo, resultado.status)


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
