"""POST /api/auth/login: staff credentials for a session token (public route)."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth import sesion
from monitor.auth.modelos import Credenciales
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.core.params import Body
from monitor.startup import preload

preload.precargar_tokens()
app = MonitorResolver(roles=None, error_interno="Error interno al iniciar sesión")


@app.post(
    "/api/auth/login",
    summary="Iniciar sesión",
    tags=["Autenticación"],
    responses={
        200: documentar("auth.Sesion", "Token de sesión y datos del usuario"),
        400: documentar("Error", "Cuerpo inválido"),
        401: documentar("Error", "Usuario o contraseña incorrectos"),
        429: documentar("Error", "Demasiados intentos fallidos", cabeceras=("Retry-After",)),
    },
)
def iniciar_sesion(credenciales: Annotated[Credenciales, Body()]) -> Response[str]:
    return respuesta(sesion.iniciar_sesion(credenciales), headers={"Cache-Control": "no-store"})


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
