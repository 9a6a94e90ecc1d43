"""POST /api/usuarios: create a staff user (administrators only)."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from monitor import usuarios
from monitor.auth import ADMIN
from monitor.http import MonitorResolver, respuesta
from monitor.observability import CORRELACION_REST, logger, metrics, tracer

app = MonitorResolver(roles=ADMIN, error_interno="Error interno al crear el usuario")


class Error(BaseModel):
    error: str


def _json(modelo: type[BaseModel], descripcion: str) -> OpenAPIResponse:
    return {"description": descripcion, "content": {"application/json": {"model": modelo}}}


@app.post(
    "/api/usuarios",
    summary="Crear usuario",
    responses={
        201: _json(usuarios.Usuario, "Usuario creado"),
        400: _json(Error, "Datos inválidos"),
        401: _json(Error, "Token requerido o inválido"),
        403: _json(Error, "Acceso restringido a administradores"),
        409: _json(Error, "Ya existe un usuario con ese nombre de usuario"),
        503: _json(Error, "Servicio no disponible"),
    },
)
def crear(datos: Annotated[usuarios.UsuarioNuevo, Body()]) -> Response[str]:
    creado = usuarios.crear_desde(datos)
    logger.info("Usuario creado", extra={"id_usuario": creado["id"], "rol_nuevo": creado["rol"]})
    return respuesta(creado, 201)


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
