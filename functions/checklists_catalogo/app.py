"""GET /api/checklist/catalogo: the shop's exit-inspection form (12 systems, 122 points, OK/RE/MA/NA)."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import PERSONAL
from monitor.checklists import catalogo
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer

app = MonitorResolver(
    roles=PERSONAL, error_interno="Error interno al obtener el catálogo del checklist", validacion=False
)


@app.get(
    "/api/checklist/catalogo",
    summary="Catálogo del checklist de salida",
    tags=["Checklists"],
    responses={200: documentar("checklists.Catalogo", "Sistemas del vehículo, sus puntos y los valores posibles")},
)
def obtener() -> Response[str]:
    return respuesta(catalogo.catalogo())


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
