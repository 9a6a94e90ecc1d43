"""POST /api/expedientes/{no_siniestro}/comentarios: a note; author and time come from the server."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor import comentarios, expedientes
from monitor.auth import PERSONAL
from monitor.http import MonitorResolver, Response, documentar, respuesta
from monitor.modelos_expediente import NuevoComentario
from monitor.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.parametros import Body

app = MonitorResolver(roles=PERSONAL, error_interno="Error interno al crear comentario")


@app.post(
    "/api/expedientes/<no_siniestro>/comentarios",
    summary="Agregar un comentario",
    responses={
        201: documentar("Comentario", "El comentario creado"),
        400: documentar("ErrorValidacion", "Texto vacío, demasiado largo o con caracteres de control"),
        403: documentar("Error", "Acceso restringido a usuarios del taller"),
        404: documentar("Error", "Expediente no encontrado"),
    },
)
def crear(no_siniestro: str, datos: Annotated[NuevoComentario, Body()]) -> Response[str]:
    return respuesta(comentarios.crear(expedientes.de_ruta(no_siniestro), datos.texto, app.principal), 201)


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
