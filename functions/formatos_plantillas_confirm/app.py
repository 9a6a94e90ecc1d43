"""POST /api/formatos/plantillas/{formato}/confirmar: opens the uploaded template and puts it in use only if it
is a workbook holding every defined name the form needs; otherwise a 400 naming what is wrong, and the
template in use stays."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import ADMIN
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.formatos import llenado, plantilla

# Every request opens a workbook: openpyxl is loaded at init, not by the first request.
PRECARGADO = llenado.__name__

app = MonitorResolver(roles=ADMIN, error_interno="Error interno al confirmar la plantilla", validacion=False)


@app.post(
    "/api/formatos/plantillas/<formato>/confirmar",
    summary="Confirmar la plantilla del taller subida",
    tags=["Formatos"],
    description=(
        "Abre el archivo subido: debe ser un .xlsx con todos los nombres definidos del formato "
        "(docs/formatos.md). Si lo es, pasa a ser la plantilla en uso y la anterior del taller se elimina."
    ),
    responses={
        200: documentar("formatos.Plantilla", "Plantilla del taller en uso"),
        400: documentar("ErrorValidacion", "No es un .xlsx válido, excede el tamaño o le faltan nombres definidos"),
        409: documentar("Error", "No hay carga pendiente, o el archivo aún no se ha subido"),
    },
)
def confirmar(formato: str) -> Response[str]:
    return respuesta(plantilla.confirmar(formato, app.principal))


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
