"""DELETE /api/expedientes/{no_siniestro}/comentarios/{id}: administrators remove a note."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor import comentarios, expedientes
from monitor.auth import ADMIN
from monitor.http import MonitorResolver, Response, documentar, respuesta
from monitor.observability import CORRELACION_REST, logger, metrics, tracer

app = MonitorResolver(roles=ADMIN, error_interno="Error interno al eliminar comentario", validacion=False)


@app.delete(
    "/api/expedientes/<no_siniestro>/comentarios/<id>",
    summary="Eliminar un comentario",
    responses={
        200: {"description": "El id del comentario eliminado"},
        403: documentar("Error", "Acceso restringido a administradores"),
        404: documentar("Error", "Comentario no encontrado"),
    },
)
def eliminar(no_siniestro: str, id: str) -> Response[str]:
    comentarios.eliminar(expedientes.de_ruta(no_siniestro), id)
    return respuesta({"eliminado": id})


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
