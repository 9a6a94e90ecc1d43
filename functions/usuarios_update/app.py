"""PUT /api/usuarios/{id}: nombre, rol, password reset, activo (administrators only).

Changing rol, password or activo ends the user's sessions."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import ADMIN
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.models import ID_MAXIMO, EnteroCanonico
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.core.params import Body, Path
from monitor.usuarios import servicio as usuarios
from monitor.usuarios.modelos import CambiosUsuario

app = MonitorResolver(roles=ADMIN, error_interno="Error interno al actualizar el usuario")


@app.put(
    "/api/usuarios/<id>",
    summary="Actualizar usuario",
    tags=["Usuarios"],
    responses={
        200: documentar("usuarios.Usuario", "El usuario como quedó"),
        400: documentar("Error", "Datos inválidos o id no entero"),
        404: documentar("Error", "Usuario no encontrado"),
        409: documentar("Error", "Un administrador no puede desactivarse ni quitarse el rol a sí mismo"),
    },
)
def actualizar(
    id: Annotated[EnteroCanonico, Path(ge=1, le=ID_MAXIMO)], cambios: Annotated[CambiosUsuario, Body()]
) -> Response[str]:
    actualizado = usuarios.actualizar(id, cambios, app.principal.id_usuario)
    logger.info("Usuario actualizado", extra={"id_usuario": id, "campos": sorted(cambios.model_fields_set)})
    return respuesta(actualizado)


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
