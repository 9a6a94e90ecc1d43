"""DELETE /api/suscripciones/{id}: stop delivering to a subscription and drop its log (administrators only)."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import ADMIN
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.seguimiento import suscripciones

app = MonitorResolver(roles=ADMIN, error_interno="Error interno al eliminar la suscripción", validacion=False)


@app.delete(
    "/api/suscripciones/<id>",
    summary="Eliminar suscripción a eventos",
    tags=["Suscripciones"],
    responses={
        200: documentar("Eliminado", "La suscripción eliminada"),
        404: documentar("Error", "Suscripción no encontrada"),
    },
)
def eliminar(id: str) -> Response[str]:
    id_suscripcion = suscripciones.id_de_ruta(id)
    suscripciones.eliminar(id_suscripcion)
    return respuesta({"eliminado": id_suscripcion})


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
