"""POST /api/expedientes/{no_siniestro}/comentarios: a note; author and time come from the server."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor import comentarios, expedientes
from monitor.auth import PERSONAL
from monitor.http import MonitorResolver, respuesta
from monitor.modelos_expediente import Comentario, Error, ErrorValidacion, NuevoComentario
from monitor.observability import CORRELACION_REST, logger, metrics, tracer

app = MonitorResolver(roles=PERSONAL, error_interno="Error interno al crear comentario")


def _json(modelo: type, descripcion: str) -> dict[str, Any]:
    return {"description": descripcion, "content": {"application/json": {"model": modelo}}}


@app.post(
    "/api/expedientes/<no_siniestro>/comentarios",
    summary="Agregar un comentario",
    responses={
        201: _json(Comentario, "El comentario creado"),
        400: _json(ErrorValidacion, "Texto vacío, demasiado largo o con caracteres de control"),
        403: _json(Error, "Acceso restringido a usuarios del taller"),
        404: _json(Error, "Expediente no encontrado"),
    },
)
def crear(no_siniestro: str, datos: Annotated[NuevoComentario, Body()]) -> Response[str]:
    return respuesta(comentarios.crear(expedientes.de_ruta(no_siniestro), datos.texto, app.principal), 201)


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
