"""GET /api/auth/me: the caller's own profile (staff only)."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth import sesion
from monitor.auth.roles import PERSONAL
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer

app = MonitorResolver(roles=PERSONAL, error_interno="Error interno al consultar el usuario", validacion=False)


@app.get(
    "/api/auth/me",
    summary="Usuario autenticado",
    tags=["Autenticación"],
    responses={
        200: documentar("usuarios.Usuario", "El usuario que llama"),
        404: documentar("Error", "Usuario no encontrado"),
    },
)
def yo() -> Response[str]:
    return respuesta(sesion.yo(app.principal))


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
