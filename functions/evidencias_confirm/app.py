"""POST /api/expedientes/{no_siniestro}/evidencias/{id}/confirmar: checks the uploaded object in S3."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import ADMIN_OPERADOR
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.evidencias import servicio as evidencias
from monitor.expedientes.campos import no_siniestro_valido

app = MonitorResolver(roles=ADMIN_OPERADOR, error_interno="Error interno al confirmar la evidencia", validacion=False)


@app.post(
    "/api/expedientes/<no_siniestro>/evidencias/<id>/confirmar",
    summary="Confirmar la carga de una evidencia",
    tags=["Evidencias"],
    description="Comprueba el objeto en S3 (tipo y tamaño). Confirmar de nuevo una evidencia Subida la devuelve igual.",
    responses={
        200: documentar("evidencias.Evidencia", "Evidencia Subida"),
        400: documentar("Error", "El archivo no es del tipo declarado o excede el máximo; se eliminó"),
        404: documentar("Error", "Evidencia no encontrada"),
        409: documentar("Error", "El archivo aún no se ha subido"),
    },
)
def confirmar(no_siniestro: str, id: str) -> Response[str]:
    evidencia = evidencias.confirmar(
        no_siniestro_valido(no_siniestro), id, app.principal.id_usuario, nombre_usuario=app.principal.nombre
    )
    return respuesta(evidencia)


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
