"""DELETE /api/expedientes/{no_siniestro}/checklist: the exit checklist, audited (refused while it is what let a
unit in Salida out)."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import ADMIN
from monitor.checklists import servicio as checklists
from monitor.core.http import MonitorResolver, Response, cabeceras, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.expedientes.campos import de_ruta

app = MonitorResolver(roles=ADMIN, error_interno="Error interno al eliminar el checklist", validacion=False)


@app.delete(
    "/api/expedientes/<no_siniestro>/checklist",
    summary="Eliminar el checklist de salida",
    tags=["Checklists"],
    openapi_extensions=cabeceras("If-Match"),
    responses={
        200: documentar("Eliminado", "El No. Siniestro cuyo checklist se eliminó"),
        400: documentar("Error", "No. Siniestro requerido"),
        404: documentar("Error", "Expediente no encontrado, o sin checklist de salida"),
        409: documentar("Error", "El expediente está en Salida: reábralo antes de eliminar su checklist"),
        412: documentar(
            "Error", "If-Match no coincide con la versión actual (cabecera ETag con la actual)", cabeceras=("ETag",)
        ),
    },
)
def eliminar(no_siniestro: str) -> Response[str]:
    no = de_ruta(no_siniestro)
    checklists.eliminar(no, app.principal, si_coincide=app.cabecera("If-Match"))
    return respuesta({"eliminado": no})


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
