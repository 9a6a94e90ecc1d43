"""GET /api/expedientes/{no_siniestro}/formatos/{formato}: the expediente, its exit checklist or its damage survey
as a printable .xlsx, written to the evidence bucket and answered as a short-lived download URL."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import PERSONAL
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.expedientes.campos import de_ruta
from monitor.formatos import servicio as formatos  # openpyxl with it: every request fills a workbook

app = MonitorResolver(roles=PERSONAL, error_interno="Error interno al generar el formato", validacion=False)


@app.get(
    "/api/expedientes/<no_siniestro>/formatos/<formato>",
    summary="Formato imprimible de un expediente",
    tags=["Formatos"],
    description=(
        "formato: expediente, checklist o levantamiento. Llena la plantilla en uso (la propia o la del taller), "
        "guarda el .xlsx con el expediente y devuelve una URL de descarga de 15 minutos."
    ),
    responses={
        200: documentar("formatos.FormatoGenerado", "URL de descarga del formato"),
        400: documentar("Error", "Formato desconocido o No. Siniestro inválido"),
        404: documentar(
            "Error",
            "Expediente no encontrado; el expediente no tiene checklist de salida o levantamiento de daños",
        ),
    },
)
def generar(no_siniestro: str, formato: str) -> Response[str]:
    return respuesta(formatos.generar(de_ruta(no_siniestro), formato))


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
