"""POST /api/expedientes/{no_siniestro}/comentarios: a note; author and time come from the server."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import PERSONAL
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.core.params import Body
from monitor.expedientes import comentarios
from monitor.expedientes.campos import de_ruta
from monitor.expedientes.modelos import ComentarioNuevo

app = MonitorResolver(roles=PERSONAL, error_interno="Error interno al crear comentario")


@app.post(
    "/api/expedientes/<no_siniestro>/comentarios",
    summary="Agregar un comentario",
    tags=["Comentarios"],
    responses={
        201: documentar("expedientes.Comentario", "El comentario creado"),
        400: documentar("ErrorValidacion", "Texto vacío, demasiado largo o con caracteres de control"),
        404: documentar("Error", "Expediente no encontrado"),
    },
)
def crear(no_siniestro: str, datos: Annotated[ComentarioNuevo, Body()]) -> Response[str]:
    return respuesta(comentarios.crear(de_ruta(no_siniestro), datos.texto, app.principal), 201)


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
