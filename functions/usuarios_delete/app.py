"""DELETE /api/usuarios/{id}: deactivate a user (kept for history; its tokens stop working)."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import ADMIN
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.models import ID_MAXIMO, EnteroCanonico
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.core.params import Path
from monitor.usuarios import servicio as usuarios

app = MonitorResolver(roles=ADMIN, error_interno="Error interno al desactivar el usuario")


@app.delete(
    "/api/usuarios/<id>",
    summary="Desactivar usuario",
    tags=["Usuarios"],
    responses={
        200: documentar("usuarios.Usuario", "El usuario, ya inactivo"),
        400: documentar("Error", "id no entero"),
        404: documentar("Error", "Usuario no encontrado"),
        409: documentar("Error", "Un administrador no puede desactivarse a sí mismo"),
    },
)
def desactivar(id: Annotated[EnteroCanonico, Path(ge=1, le=ID_MAXIMO)]) -> Response[str]:
    desactivado = usuarios.desactivar(id, app.principal.id_usuario)
    logger.info("Usuario desactivado", extra={"id_usuario": id})
    return respuesta(desactivado)


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
