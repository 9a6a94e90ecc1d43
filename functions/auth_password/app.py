"""POST /api/auth/password: change one's own password; every other session ends, this one gets a
new token."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor import auth, login
from monitor.auth import PERSONAL
from monitor.http import MonitorResolver, Response, documentar, respuesta
from monitor.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.parametros import Body

auth.precargar_tokens()
app = MonitorResolver(roles=PERSONAL, error_interno="Error interno al cambiar la contraseña")


@app.post(
    "/api/auth/password",
    summary="Cambiar la contraseña propia",
    responses={
        200: documentar("TokenRenovado", "Contraseña cambiada; token nuevo (los demás quedan revocados)"),
        400: documentar("Error", "Cuerpo inválido o contraseña actual incorrecta"),
        401: documentar("Error", "Token requerido o inválido"),
        403: documentar("Error", "Acceso restringido a usuarios del taller"),
        409: documentar("Error", "El usuario cambió durante la operación"),
        429: documentar("Error", "Demasiados intentos fallidos (ver Retry-After)"),
        503: documentar("Error", "Servicio no disponible"),
    },
)
def cambiar_password(datos: Annotated[login.CambioPassword, Body()]) -> Response[str]:
    return respuesta(login.cambiar_password(app.principal, datos), headers={"Cache-Control": "no-store"})


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
