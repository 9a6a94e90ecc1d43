"""GET /api/aseguradoras: the insurer catalog (all staff); small, so always one page."""

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from monitor import aseguradoras
from monitor.auth import PERSONAL
from monitor.http import MonitorResolver, respuesta
from monitor.observability import CORRELACION_REST, logger, metrics, tracer

app = MonitorResolver(roles=PERSONAL, error_interno="Error interno al listar aseguradoras")


class Error(BaseModel):
    error: str


def _json(modelo: type[BaseModel], descripcion: str) -> OpenAPIResponse:
    return {"description": descripcion, "content": {"application/json": {"model": modelo}}}


@app.get(
    "/api/aseguradoras",
    summary="Catálogo de aseguradoras",
    responses={
        200: _json(aseguradoras.ListaAseguradoras, "Todas las aseguradoras (next_cursor siempre null)"),
        401: _json(Error, "Token requerido o inválido"),
        403: _json(Error, "Acceso restringido a usuarios del taller"),
        503: _json(Error, "Servicio no disponible"),
    },
)
def listar() -> Response[str]:
    return respuesta(aseguradoras.lista())


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
