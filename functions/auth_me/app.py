"""GET /api/auth/me: the caller's own profile (staff only)."""

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from monitor import login, usuarios
from monitor.auth import PERSONAL
from monitor.http import MonitorResolver, respuesta
from monitor.observability import CORRELACION_REST, logger, metrics, tracer

app = MonitorResolver(roles=PERSONAL, error_interno="Error interno al consultar el usuario")


class Error(BaseModel):
    error: str


def _json(modelo: type[BaseModel], descripcion: str) -> OpenAPIResponse:
    return {"description": descripcion, "content": {"application/json": {"model": modelo}}}


@app.get(
    "/api/auth/me",
    summary="Usuario autenticado",
    responses={
        200: _json(usuarios.Usuario, "El usuario que llama"),
        401: _json(Error, "Token requerido o inválido"),
        403: _json(Error, "Acceso restringido a usuarios del taller"),
        404: _json(Error, "Usuario no encontrado"),
        503: _json(Error, "Servicio no disponible"),
    },
)
def yo() -> Response[str]:
    return respuesta(login.yo(app.principal))


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
