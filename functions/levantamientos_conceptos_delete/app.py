"""DELETE /api/expedientes/{no_siniestro}/levantamiento/conceptos/{id}: administrators remove one line item;
the others keep their ids and order. The answer is the whole survey."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import ADMIN
from monitor.core.http import MonitorResolver, Response, cabeceras, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.expedientes.campos import de_ruta
from monitor.levantamientos import servicio as levantamientos

app = MonitorResolver(roles=ADMIN, error_interno="Error interno al eliminar concepto", validacion=False)


@app.delete(
    "/api/expedientes/<no_siniestro>/levantamiento/conceptos/<id>",
    summary="Eliminar un concepto del levantamiento",
    tags=["Levantamientos"],
    openapi_extensions=cabeceras("If-Match"),
    responses={
        200: documentar(
            "levantamientos.Levantamiento",
            "El levantamiento completo tal como quedó (cabecera ETag)",
            cabeceras=("ETag",),
        ),
        400: documentar("Error", "No. Siniestro requerido"),
        404: documentar("Error", "Expediente, Levantamiento o Concepto no encontrado"),
        412: documentar(
            "Error", "If-Match no coincide con la versión actual (cabecera ETag con la actual)", cabeceras=("ETag",)
        ),
    },
)
def eliminar(no_siniestro: str, id: str) -> Response[str]:
    levantamiento = levantamientos.eliminar_concepto(
        de_ruta(no_siniestro), id, app.principal, si_coincide=app.cabecera("If-Match")
    )
    return respuesta(levantamientos.a_respuesta(levantamiento), headers={"ETag": levantamiento.etag})


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
