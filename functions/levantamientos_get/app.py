"""GET /api/expedientes/{no_siniestro}/levantamiento: the whole damage survey with its line items and totals."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import PERSONAL
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.expedientes.campos import de_ruta
from monitor.levantamientos import servicio as levantamientos

app = MonitorResolver(roles=PERSONAL, error_interno="Error interno al obtener levantamiento", validacion=False)


@app.get(
    "/api/expedientes/<no_siniestro>/levantamiento",
    summary="Levantamiento de daños de un expediente",
    tags=["Levantamientos"],
    responses={
        200: documentar(
            "levantamientos.Levantamiento", "El levantamiento completo (cabecera ETag)", cabeceras=("ETag",)
        ),
        400: documentar("Error", "No. Siniestro requerido"),
        404: documentar("Error", "Expediente no encontrado, o Levantamiento no encontrado"),
    },
)
def obtener(no_siniestro: str) -> Response[str]:
    levantamiento = levantamientos.obtener(de_ruta(no_siniestro))
    return respuesta(levantamientos.a_respuesta(levantamiento), headers={"ETag": levantamiento.etag})


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
