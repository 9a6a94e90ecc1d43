"""DELETE /api/expedientes/{no_siniestro}/comentarios/{id}: administrators remove a note."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import ADMIN
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.expedientes import comentarios
from monitor.expedientes.campos import de_ruta

app = MonitorResolver(roles=ADMIN, error_interno="Error interno al eliminar comentario", validacion=False)


@app.delete(
    "/api/expedientes/<no_siniestro>/comentarios/<id>",
    summary="Eliminar un comentario",
    tags=["Comentarios"],
    responses={
        200: documentar("Eliminado", "El id del comentario eliminado"),
        404: documentar("Error", "Comentario no encontrado"),
    },
)
def eliminar(no_siniestro: str, id: str) -> Response[str]:
    comentarios.eliminar(de_ruta(no_siniestro), id)
    return respuesta({"eliminado": id})


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
