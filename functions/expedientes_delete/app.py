"""DELETE /api/expedientes/{no_siniestro}: the expediente, its history, audit, comments and evidence.

Service-order links stay: the orders belong to the insurer and re-link if the claim is created again.
"""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor import expedientes
from monitor.auth import ADMIN
from monitor.http import MonitorResolver, Response, documentar, respuesta
from monitor.observability import CORRELACION_REST, logger, metrics, tracer

app = MonitorResolver(roles=ADMIN, error_interno="Error interno al eliminar expediente", validacion=False)


@app.delete(
    "/api/expedientes/<no_siniestro>",
    summary="Eliminar un expediente y todo lo que cuelga de él",
    responses={
        200: documentar("Eliminado", "El No. Siniestro eliminado"),
        400: documentar("Error", "No. Siniestro requerido"),
        403: documentar("Error", "Acceso restringido a administradores"),
        404: documentar("Error", "Expediente no encontrado"),
        503: documentar("Error", "DynamoDB o S3 no disponible (Retry-After)"),
    },
)
def eliminar(no_siniestro: str) -> Response[str]:
    no = expedientes.de_ruta(no_siniestro)
    expedientes.eliminar(no)
    return respuesta({"eliminado": no})


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
