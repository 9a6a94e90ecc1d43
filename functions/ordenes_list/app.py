"""GET /api/ordenes-servicio: staff list of labor orders, newest first, by state or claim number."""

from typing import Annotated, Any, Literal

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import PERSONAL
from monitor.core import cursors
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.models import EnteroCanonico
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.core.params import Query
from monitor.expedientes.campos import NO_SINIESTRO
from monitor.ordenes import consultas

app = MonitorResolver(roles=PERSONAL, error_interno="Error interno al listar las órdenes de servicio")


@app.get(
    "/api/ordenes-servicio",
    summary="Órdenes de servicio recibidas",
    tags=["Órdenes de servicio"],
    responses={
        200: documentar("ordenes.PaginaOrdenes", "Una página de resúmenes, la más reciente primero"),
        400: documentar("ErrorValidacion", "Filtro, límite o cursor inválido"),
    },
)
def listar(
    estado: Annotated[Literal["Recibida", "Cancelada"] | None, Query()] = None,
    no_siniestro: Annotated[str | None, Query(min_length=1, max_length=64, pattern=NO_SINIESTRO.pattern)] = None,
    limit: Annotated[EnteroCanonico, Query(ge=1, le=cursors.LIMITE_MAXIMO)] = cursors.LIMITE_POR_DEFECTO,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> Response[str]:
    pagina = consultas.listar(
        estado=estado, no_siniestro=(no_siniestro or "").strip() or None, limite=limit, cursor=cursor
    )
    return respuesta(pagina)


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
