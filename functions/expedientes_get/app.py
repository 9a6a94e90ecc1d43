"""GET /api/expedientes/{no_siniestro}: the flat expediente with its insurer, state history and orders."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import PERSONAL
from monitor.core.http import MonitorResolver, Response, cabeceras, documentar, no_modificado, respuesta, sin_cuerpo
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.expedientes import servicio as expedientes
from monitor.expedientes.campos import de_ruta

app = MonitorResolver(roles=PERSONAL, error_interno="Error interno al obtener expediente", validacion=False)


@app.get(
    "/api/expedientes/<no_siniestro>",
    summary="Detalle de un expediente",
    tags=["Expedientes"],
    openapi_extensions=cabeceras("If-None-Match"),
    responses={
        200: documentar(
            "expedientes.DetalleExpediente",
            "Expediente, aseguradora, historial de estados y órdenes de servicio",
            cabeceras=("ETag",),
        ),
        400: documentar("Error", "No. Siniestro requerido"),
        304: sin_cuerpo("If-None-Match nombra la versión actual: sin cuerpo", cabeceras=("ETag",)),
        404: documentar("Error", "Expediente no encontrado"),
    },
)
def obtener(no_siniestro: str) -> Response[str]:
    cuerpo, etag = expedientes.detalle(de_ruta(no_siniestro), si_no_coincide=app.cabecera("If-None-Match"))
    if cuerpo is None:
        return no_modificado(etag)
    return respuesta(cuerpo, headers={"ETag": etag})


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
