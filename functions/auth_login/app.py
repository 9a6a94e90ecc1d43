"""POST /api/auth/login: staff credentials for a session token (public route)."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor import auth, login
from monitor.http import MonitorResolver, Response, documentar, respuesta
from monitor.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.parametros import Body

auth.precargar_tokens()
app = MonitorResolver(roles=None, error_interno="Error interno al iniciar sesión")


@app.post(
    "/api/auth/login",
    summary="Iniciar sesión",
    responses={
        200: documentar("Sesion", "Token de sesión y datos del usuario"),
        400: documentar("Error", "Cuerpo inválido"),
        401: documentar("Error", "Usuario o contraseña incorrectos"),
        429: documentar("Error", "Demasiados intentos fallidos (ver Retry-After)"),
        503: documentar("Error", "Servicio no disponible"),
    },
)
def iniciar_sesion(credenciales: Annotated[login.Credenciales, Body()]) -> Response[str]:
    return respuesta(login.iniciar_sesion(credenciales), headers={"Cache-Control": "no-store"})


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
