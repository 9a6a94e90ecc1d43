"""GET /api/aseguradoras: the insurer catalog (all staff); small, so always one page."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.aseguradoras import servicio as aseguradoras
from monitor.auth.roles import PERSONAL
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer

app = MonitorResolver(roles=PERSONAL, error_interno="Error interno al listar aseguradoras", validacion=False)


@app.get(
    "/api/aseguradoras",
    summary="Catálogo de aseguradoras",
    responses={
        200: documentar("aseguradoras.ListaAseguradoras", "Todas las aseguradoras (next_cursor siempre null)"),
    },
)
def listar() -> Response[str]:
    return respuesta(aseguradoras.lista())


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
