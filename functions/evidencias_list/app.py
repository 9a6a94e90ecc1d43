"""GET /api/expedientes/{no_siniestro}/evidencias: newest first, each upload with a 15-minute download URL."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor import evidencias
from monitor.auth import PERSONAL
from monitor.http import MonitorResolver, Response, documentar, no_siniestro_valido, respuesta
from monitor.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.parametros import Query

app = MonitorResolver(roles=PERSONAL, error_interno="Error interno al listar las evidencias")


@app.get(
    "/api/expedientes/<no_siniestro>/evidencias",
    summary="Evidencias de un expediente",
    description="Las pendientes cuyo formulario venció aparecen como Expirada, sin URL.",
    responses={
        200: documentar("PaginaEvidencias", "Página de evidencias"),
        400: documentar("Error", "Parámetros inválidos (limit, cursor)"),
        403: documentar("Error", "Acceso restringido a usuarios del taller"),
        404: documentar("Error", "Expediente no encontrado"),
        503: documentar("Error", "Servicio no disponible temporalmente"),
    },
)
def listar(
    no_siniestro: str,
    limit: Annotated[int | None, Query(ge=1, le=100)] = None,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> Response[str]:
    return respuesta(evidencias.listar(no_siniestro_valido(no_siniestro), limit, cursor))


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
