"""GET /api/expedientes/{no_siniestro}/checklist: the exit checklist, every point of the form in its order."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import PERSONAL
from monitor.checklists import servicio as checklists
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.expedientes.campos import de_ruta

app = MonitorResolver(roles=PERSONAL, error_interno="Error interno al obtener el checklist", validacion=False)


@app.get(
    "/api/expedientes/<no_siniestro>/checklist",
    summary="Checklist de salida de un expediente",
    tags=["Checklists"],
    responses={
        200: documentar(
            "checklists.Checklist",
            "Cabecera, los 122 puntos con su valor y el resumen (cabecera ETag)",
            cabeceras=("ETag",),
        ),
        400: documentar("Error", "No. Siniestro requerido"),
        404: documentar("Error", "Expediente no encontrado, o el expediente aún no tiene checklist de salida"),
    },
)
def obtener(no_siniestro: str) -> Response[str]:
    item = checklists.obtener(de_ruta(no_siniestro))
    return respuesta(checklists.a_respuesta(item), headers={"ETag": checklists.etag(item)})


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
