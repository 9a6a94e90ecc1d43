"""POST /api/auth/password: change one's own password; every other session ends, this one gets a
new token."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from monitor import login
from monitor.auth import PERSONAL
from monitor.http import MonitorResolver, respuesta
from monitor.observability import CORRELACION_REST, logger, metrics, tracer

app = MonitorResolver(roles=PERSONAL, error_interno="Error interno al cambiar la contraseña")


class Error(BaseModel):
    error: str


def _json(modelo: type[BaseModel], descripcion: str) -> OpenAPIResponse:
    return {"description": descripcion, "content": {"application/json": {"model": modelo}}}


@app.post(
    "/api/auth/password",
    summary="Cambiar la contraseña propia",
    responses={
        200: _json(login.TokenRenovado, "Contraseña cambiada; token nuevo (los demás quedan revocados)"),
        400: _json(Error, "Cuerpo inválido o contraseña actual incorrecta"),
        401: _json(Error, "Token requerido o inválido"),
        403: _json(Error, "Acceso restringido a usuarios del taller"),
        409: _json(Error, "El usuario cambió durante la operación"),
        429: _json(Error, "Demasiados intentos fallidos (ver Retry-After)"),
        503: _json(Error, "Servicio no disponible"),
    },
)
def cambiar_password(datos: Annotated[login.CambioPassword, Body()]) -> Response[str]:
    return respuesta(login.cambiar_password(app.principal, datos), headers={"Cache-Control": "no-store"})


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
