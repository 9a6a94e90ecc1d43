"""PUT /api/formatos/plantillas/{formato}: signs an S3 upload form for the shop's own template of a form; the
template in use stays until the upload is confirmed."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import ADMIN
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.formatos import plantilla

app = MonitorResolver(
    roles=ADMIN, error_interno="Error interno al solicitar la carga de la plantilla", validacion=False
)


@app.put(
    "/api/formatos/plantillas/<formato>",
    summary="Solicitar la URL para subir una plantilla del taller",
    tags=["Formatos"],
    description=(
        "Firma un formulario POST de S3 (15 min, .xlsx de hasta 5 MB). Después de subir, confirme con "
        "POST /api/formatos/plantillas/{formato}/confirmar. Nombres definidos que debe tener: docs/formatos.md."
    ),
    responses={
        200: documentar("formatos.CargaPlantilla", "Formulario de carga"),
        400: documentar("Error", "Formato desconocido"),
    },
)
def solicitar(formato: str) -> Response[str]:
    return respuesta(plantilla.solicitar_carga(formato, app.principal))


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
