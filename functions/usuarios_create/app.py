"""POST /api/usuarios: create a staff user (administrators only)."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor import usuarios
from monitor.auth import ADMIN
from monitor.http import MonitorResolver, Response, documentar, respuesta
from monitor.modelos_usuario import UsuarioNuevo
from monitor.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.parametros import Body

app = MonitorResolver(roles=ADMIN, error_interno="Error interno al crear el usuario")


@app.post(
    "/api/usuarios",
    summary="Crear usuario",
    responses={
        201: documentar("Usuario", "Usuario creado"),
        400: documentar("Error", "Datos inválidos"),
        401: documentar("Error", "Token requerido o inválido"),
        403: documentar("Error", "Acceso restringido a administradores"),
        409: documentar("Error", "Ya existe un usuario con ese nombre de usuario"),
        503: documentar("Error", "Servicio no disponible"),
    },
)
def crear(datos: Annotated[UsuarioNuevo, Body()]) -> Response[str]:
    creado = usuarios.crear_desde(datos)
    logger.info("Usuario creado", extra={"id_usuario": creado["id"], "rol_nuevo": creado["rol"]})
    return respuesta(creado, 201)


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
