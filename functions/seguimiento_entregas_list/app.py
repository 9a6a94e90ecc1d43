"""GET /api/suscripciones/{id}/entregas: the delivery log of a subscription, newest first (administrators only)."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import ADMIN
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.core.params import Query
from monitor.seguimiento import suscripciones

app = MonitorResolver(roles=ADMIN, error_interno="Error interno al listar las entregas")


@app.get(
    "/api/suscripciones/<id>/entregas",
    summary="Bitácora de entregas de una suscripción",
    tags=["Suscripciones"],
    responses={
        200: documentar("seguimiento.ListaEntregas", "Una página de intentos de entrega, el más reciente primero"),
        400: documentar("Error", "limit o cursor inválidos"),
        404: documentar("Error", "Suscripción no encontrada"),
    },
)
def listar(
    id: str,
    limit: Annotated[int | None, Query(ge=1, le=100)] = None,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> Response[str]:
    return respuesta(suscripciones.entregas(id, limite=limit, cursor=cursor))


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
