"""POST /api/auth/password: change one's own password; every other session ends, this one gets a
new token."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth import sesion
from monitor.auth.modelos import CambioPassword
from monitor.auth.roles import PERSONAL
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.core.params import Body
from monitor.startup import preload

preload.precargar_tokens()
app = MonitorResolver(roles=PERSONAL, error_interno="Error interno al cambiar la contraseña")


@app.post(
    "/api/auth/password",
    summary="Cambiar la contraseña propia",
    tags=["Autenticación"],
    responses={
        200: documentar("auth.Token", "Contraseña cambiada; token nuevo (los demás quedan revocados)"),
        400: documentar("Error", "Cuerpo inválido o contraseña actual incorrecta"),
        409: documentar("Error", "El usuario cambió durante la operación"),
        429: documentar("Error", "Demasiados intentos fallidos", cabeceras=("Retry-After",)),
    },
)
def cambiar_password(datos: Annotated[CambioPassword, Body()]) -> Response[str]:
    return respuesta(sesion.cambiar_password(app.principal, datos), headers={"Cache-Control": "no-store"})


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
