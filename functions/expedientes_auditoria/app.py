"""GET /api/expedientes/{no_siniestro}/auditoria: who changed which field, from what to what; newest first."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import ADMIN_OPERADOR
from monitor.core.cursors import LIMITE_POR_DEFECTO
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.models import EnteroCanonico
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.core.params import Query
from monitor.expedientes import auditoria
from monitor.expedientes.campos import de_ruta

app = MonitorResolver(roles=ADMIN_OPERADOR, error_interno="Error interno al obtener la auditoría")


@app.get(
    "/api/expedientes/<no_siniestro>/auditoria",
    summary="Auditoría de cambios de un expediente",
    tags=["Expedientes"],
    responses={
        200: documentar("expedientes.PaginaAuditoria", "Una entrada por escritura, la más reciente primero"),
        400: documentar("ErrorValidacion", "No. Siniestro, límite o cursor inválido"),
        404: documentar("Error", "Expediente no encontrado"),
    },
)
def listar(
    no_siniestro: str,
    limit: Annotated[EnteroCanonico, Query(ge=1, le=100)] = LIMITE_POR_DEFECTO,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> Response[str]:
    return respuesta(auditoria.listar(de_ruta(no_siniestro), limite=limit, cursor=cursor))


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
