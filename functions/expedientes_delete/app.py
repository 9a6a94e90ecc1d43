"""DELETE /api/expedientes/{no_siniestro}: the expediente, its history, audit, comments and evidence.

Service-order links stay: the orders belong to the insurer and re-link if the claim is created again.
"""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import ADMIN
from monitor.core.http import MonitorResolver, Response, cabeceras, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.expedientes import servicio as expedientes
from monitor.expedientes.campos import de_ruta

app = MonitorResolver(roles=ADMIN, error_interno="Error interno al eliminar expediente", validacion=False)


@app.delete(
    "/api/expedientes/<no_siniestro>",
    summary="Eliminar un expediente y todo lo que cuelga de él",
    tags=["Expedientes"],
    openapi_extensions=cabeceras("If-Match"),
    responses={
        200: documentar("Eliminado", "El No. Siniestro eliminado"),
        400: documentar("Error", "No. Siniestro requerido"),
        404: documentar("Error", "Expediente no encontrado"),
        412: documentar("Error", "If-Match no coincide con la versión actual: no se elimina nada", cabeceras=("ETag",)),
    },
)
def eliminar(no_siniestro: str) -> Response[str]:
    no = de_ruta(no_siniestro)
    expedientes.eliminar(no, si_coincide=app.cabecera("If-Match"))
    return respuesta({"eliminado": no})


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
