"""POST /api/usuarios: create a staff user (administrators only)."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import ADMIN
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.core.params import Body
from monitor.usuarios import servicio as usuarios
from monitor.usuarios.modelos import UsuarioNuevo

app = MonitorResolver(roles=ADMIN, error_interno="Error interno al crear el usuario")


@app.post(
    "/api/usuarios",
    summary="Crear usuario",
    tags=["Usuarios"],
    responses={
        201: documentar("usuarios.Usuario", "Usuario creado"),
        400: documentar("Error", "Datos inválidos"),
        409: documentar("Error", "Ya existe un usuario con ese nombre de usuario"),
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
