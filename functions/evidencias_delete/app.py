"""DELETE /api/expedientes/{no_siniestro}/evidencias/{id}: removes the object (every version) and the item."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import ADMIN
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.evidencias import servicio as evidencias
from monitor.expedientes.campos import no_siniestro_valido

app = MonitorResolver(roles=ADMIN, error_interno="Error interno al eliminar la evidencia", validacion=False)


@app.delete(
    "/api/expedientes/<no_siniestro>/evidencias/<id>",
    summary="Eliminar una evidencia",
    tags=["Evidencias"],
    responses={
        200: documentar("Eliminado", "Evidencia eliminada"),
        404: documentar("Error", "Evidencia no encontrada"),
    },
)
def eliminar(no_siniestro: str, id: str) -> Response[str]:
    return respuesta(evidencias.eliminar(no_siniestro_valido(no_siniestro), id))


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
