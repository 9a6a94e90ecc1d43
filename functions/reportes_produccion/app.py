"""GET /api/reportes/produccion: units per state and insurer, overdue units, orders whose claim has no
expediente yet; three Queries whatever the table holds (docs/reportes.md)."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import ADMIN_OPERADOR
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.reportes import produccion

app = MonitorResolver(
    roles=ADMIN_OPERADOR, error_interno="Error interno al generar el reporte de producción", validacion=False
)


@app.get(
    "/api/reportes/produccion",
    summary="Tablero de producción",
    tags=["Reportes"],
    description="Unidades por etapa y aseguradora, unidades atrasadas (fecha promesa vencida, fuera de Salida) "
    "y órdenes de servicio recibidas cuyo siniestro aún no tiene expediente.",
    responses={200: documentar("reportes.Produccion", "El tablero de hoy")},
)
def tablero() -> Response[str]:
    return respuesta(produccion.tablero())


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
