"""PUT /api/usuarios/{id}: nombre, rol, password reset, activo (administrators only).

Changing rol, password or activo ends the user's sessions."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor import usuarios
from monitor.auth import ADMIN
from monitor.http import MonitorResolver, Response, documentar, respuesta
from monitor.modelos_usuario import CambiosUsuario
from monitor.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.parametros import Body, Path

app = MonitorResolver(roles=ADMIN, error_interno="Error interno al actualizar el usuario")


@app.put(
    "/api/usuarios/<id>",
    summary="Actualizar usuario",
    responses={
        200: documentar("Usuario", "El usuario como quedó"),
        400: documentar("Error", "Datos inválidos o id no entero"),
        401: documentar("Error", "Token requerido o inválido"),
        403: documentar("Error", "Acceso restringido a administradores"),
        404: documentar("Error", "Usuario no encontrado"),
        409: documentar("Error", "Un administrador no puede desactivarse ni quitarse el rol a sí mismo"),
        503: documentar("Error", "Servicio no disponible"),
    },
)
def actualizar(id: Annotated[int, Path(ge=1, le=10**12)], cambios: Annotated[CambiosUsuario, Body()]) -> Response[str]:
    actualizado = usuarios.actualizar(id, cambios, app.principal)
    logger.info("Usuario actualizado", extra={"id_usuario": id, "campos": sorted(cambios.model_fields_set)})
    return respuesta(actualizado)


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
