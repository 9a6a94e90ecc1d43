"""DELETE /api/expedientes/{no_siniestro}/evidencias/{id}: removes the object (every version) and the item."""

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor import evidencias
from monitor.auth import ADMIN
from monitor.evidencias import EvidenciaEliminada
from monitor.http import Error, MonitorResolver, no_siniestro_valido, respuesta
from monitor.observability import CORRELACION_REST, logger, metrics, tracer

app = MonitorResolver(roles=ADMIN, error_interno="Error interno al eliminar la evidencia")


def _error(descripcion: str) -> dict[str, Any]:
    return {"description": descripcion, "content": {"application/json": {"model": Error}}}


@app.delete(
    "/api/expedientes/<no_siniestro>/evidencias/<id>",
    summary="Eliminar una evidencia",
    responses={
        200: {"description": "Evidencia eliminada", "content": {"application/json": {"model": EvidenciaEliminada}}},
        403: _error("Acceso restringido a administradores"),
        404: _error("Evidencia no encontrada"),
        503: _error("Servicio no disponible temporalmente"),
    },
)
def eliminar(no_siniestro: str, id: str) -> Response[str]:
    return respuesta(evidencias.eliminar(no_siniestro_valido(no_siniestro), id))


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
