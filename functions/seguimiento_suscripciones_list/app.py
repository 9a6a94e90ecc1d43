"""GET /api/suscripciones: the webhook subscriptions, newest first or one insurer's (administrators only)."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import ADMIN
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.core.params import Query
from monitor.seguimiento import suscripciones

app = MonitorResolver(roles=ADMIN, error_interno="Error interno al listar suscripciones")


@app.get(
    "/api/suscripciones",
    summary="Listar suscripciones a eventos",
    tags=["Suscripciones"],
    responses={
        200: documentar("seguimiento.ListaSuscripciones", "Una página de suscripciones (sin secretos)"),
        400: documentar("Error", "limit, cursor o id_aseguradora inválidos"),
    },
)
def listar(
    id_aseguradora: Annotated[int | None, Query(ge=1, le=10**9)] = None,
    limit: Annotated[int | None, Query(ge=1, le=100)] = None,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> Response[str]:
    return respuesta(suscripciones.listar(id_aseguradora=id_aseguradora, limite=limit, cursor=cursor))


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
