"""GET /api/auth/me: the caller's own profile (staff only)."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor import usuarios
from monitor.auth import PERSONAL
from monitor.http import MonitorResolver, Response, documentar, respuesta
from monitor.observability import CORRELACION_REST, logger, metrics, tracer

app = MonitorResolver(roles=PERSONAL, error_interno="Error interno al consultar el usuario", validacion=False)


@app.get(
    "/api/auth/me",
    summary="Usuario autenticado",
    responses={
        200: documentar("Usuario", "El usuario que llama"),
        401: documentar("Error", "Token requerido o inválido"),
        403: documentar("Error", "Acceso restringido a usuarios del taller"),
        404: documentar("Error", "Usuario no encontrado"),
        503: documentar("Error", "Servicio no disponible"),
    },
)
def yo() -> Response[str]:
    return respuesta(usuarios.yo(app.principal))


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
