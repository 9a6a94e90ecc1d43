"""DELETE /api/formatos/plantillas/{formato}: back to the project's own template; the shop's file is deleted."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import ADMIN
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.formatos import plantilla

app = MonitorResolver(roles=ADMIN, error_interno="Error interno al restablecer la plantilla", validacion=False)


@app.delete(
    "/api/formatos/plantillas/<formato>",
    summary="Volver a la plantilla propia de un formato",
    tags=["Formatos"],
    description="Idempotente: si ya se usa la propia, responde igual.",
    responses={
        200: documentar("formatos.Plantilla", "Plantilla en uso: la propia"),
        400: documentar("Error", "Formato desconocido"),
    },
)
def restablecer(formato: str) -> Response[str]:
    return respuesta(plantilla.restablecer(formato))


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
