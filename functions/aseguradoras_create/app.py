"""POST /api/aseguradoras: add an insurer to the catalog (administrators only)."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from monitor import aseguradoras
from monitor.auth import ADMIN
from monitor.http import MonitorResolver, respuesta
from monitor.observability import CORRELACION_REST, logger, metrics, tracer

app = MonitorResolver(roles=ADMIN, error_interno="Error interno al crear la aseguradora")


class Error(BaseModel):
    error: str


def _json(modelo: type[BaseModel], descripcion: str) -> OpenAPIResponse:
    return {"description": descripcion, "content": {"application/json": {"model": modelo}}}


@app.post(
    "/api/aseguradoras",
    summary="Crear aseguradora",
    responses={
        201: _json(aseguradoras.Aseguradora, "Aseguradora creada"),
        400: _json(Error, "Datos inválidos"),
        401: _json(Error, "Token requerido o inválido"),
        403: _json(Error, "Acceso restringido a administradores"),
        409: _json(Error, "Ya existe una aseguradora con ese nombre"),
        503: _json(Error, "Servicio no disponible"),
    },
)
def crear(datos: Annotated[aseguradoras.AseguradoraNueva, Body()]) -> Response[str]:
    creada = aseguradoras.crear(datos.nombre)
    logger.info("Aseguradora creada", extra={"id_aseguradora": creada["id"]})
    return respuesta(creada, 201)


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
