"""POST /api/expedientes/{no_siniestro}/evidencias: signs an S3 upload form; the file never passes here."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import ADMIN_OPERADOR
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.core.params import Body
from monitor.evidencias import servicio as evidencias
from monitor.evidencias.modelos import EvidenciaNueva
from monitor.expedientes.campos import no_siniestro_valido

app = MonitorResolver(roles=ADMIN_OPERADOR, error_interno="Error interno al solicitar la carga de la evidencia")


@app.post(
    "/api/expedientes/<no_siniestro>/evidencias",
    summary="Solicitar la URL para subir una evidencia",
    tags=["Evidencias"],
    description="Firma un formulario POST de S3 (15 min, tipo y tamaño fijados). Después de subir, confirme.",
    responses={
        201: documentar("evidencias.CargaSolicitada", "Evidencia Pendiente y formulario de carga"),
        400: documentar("Error", "Datos inválidos (tipo de archivo, tamaño)"),
        404: documentar("Error", "Expediente no encontrado"),
    },
)
def solicitar(no_siniestro: str, solicitud: Annotated[EvidenciaNueva, Body()]) -> Response[str]:
    carga = evidencias.solicitar(
        no_siniestro_valido(no_siniestro), solicitud, app.principal.id_usuario, nombre_usuario=app.principal.nombre
    )
    return respuesta(carga, 201)


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
