"""GET /api/aseguradoras: the insurer catalog (all staff), paginated like every list."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.aseguradoras import servicio as aseguradoras
from monitor.auth.roles import PERSONAL
from monitor.core.cursors import LIMITE_MAXIMO
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.core.params import Query

app = MonitorResolver(roles=PERSONAL, error_interno="Error interno al listar aseguradoras")


@app.get(
    "/api/aseguradoras",
    summary="Catálogo de aseguradoras",
    tags=["Aseguradoras"],
    responses={
        200: documentar("aseguradoras.ListaAseguradoras", "Una página del catálogo, por id"),
        400: documentar("ErrorValidacion", "Parámetro desconocido, límite o cursor inválido"),
    },
)
def listar(
    limit: Annotated[int | None, Query(ge=1, le=LIMITE_MAXIMO)] = None,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> Response[str]:
    return respuesta(aseguradoras.lista(limit, cursor))


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
