"""GET /api/formatos/plantillas/{formato}: which template fills the form (the project's own or the shop's) and
a short-lived URL to download it."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import ADMIN
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.formatos import plantilla

app = MonitorResolver(roles=ADMIN, error_interno="Error interno al obtener la plantilla", validacion=False)


@app.get(
    "/api/formatos/plantillas/<formato>",
    summary="Plantilla en uso de un formato",
    tags=["Formatos"],
    responses={
        200: documentar("formatos.PlantillaDescarga", "Plantilla en uso y su URL de descarga (15 min)"),
        400: documentar("Error", "Formato desconocido"),
    },
)
def obtener(formato: str) -> Response[str]:
    return respuesta(plantilla.descripcion(formato))


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
