"""GET /api/expedientes/{no_siniestro}/evidencias: newest first, each upload with a 15-minute download URL."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import PERSONAL
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.models import EnteroCanonico
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.core.params import Query
from monitor.evidencias import servicio as evidencias
from monitor.expedientes.campos import no_siniestro_valido

app = MonitorResolver(roles=PERSONAL, error_interno="Error interno al listar las evidencias")


@app.get(
    "/api/expedientes/<no_siniestro>/evidencias",
    summary="Evidencias de un expediente",
    tags=["Evidencias"],
    description="Las pendientes cuyo formulario venció aparecen como Expirada, sin URL.",
    responses={
        200: documentar("evidencias.PaginaEvidencias", "Página de evidencias"),
        400: documentar("Error", "Parámetros inválidos (limit, cursor)"),
        404: documentar("Error", "Expediente no encontrado"),
    },
)
def listar(
    no_siniestro: str,
    limit: Annotated[EnteroCanonico | None, Query(ge=1, le=100)] = None,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> Response[str]:
    return respuesta(evidencias.listar(no_siniestro_valido(no_siniestro), limit, cursor))


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
