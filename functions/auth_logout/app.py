"""POST /api/auth/logout: ends every session of the caller (all its tokens, on every device)."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth import sesion
from monitor.auth.roles import PERSONAL
from monitor.core.http import MonitorResolver, Response, sin_cuerpo
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer

app = MonitorResolver(roles=PERSONAL, error_interno="Error interno al cerrar la sesión", validacion=False)


@app.post(
    "/api/auth/logout",
    summary="Cerrar todas las sesiones propias",
    description="Revoca todos los tokens del usuario que llama. En AWS un token revocado puede seguir pasando "
    "hasta que venza la caché del autorizador (parámetro AuthorizerCacheSeconds, 60 s por defecto).",
    tags=["Autenticación"],
    responses={204: sin_cuerpo("Sesiones cerradas: el token usado ya no sirve")},
)
def cerrar_sesion() -> Response[str]:
    sesion.cerrar_sesiones(app.principal)
    return Response(status_code=204, body="", headers={"Cache-Control": "no-store"})


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
