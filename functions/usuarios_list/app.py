"""GET /api/usuarios: staff users, paginated by id (administrators only)."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import ADMIN
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.models import EnteroCanonico
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.core.params import Query
from monitor.usuarios import servicio as usuarios

app = MonitorResolver(roles=ADMIN, error_interno="Error interno al listar usuarios")


@app.get(
    "/api/usuarios",
    summary="Listar usuarios",
    tags=["Usuarios"],
    responses={
        200: documentar("usuarios.ListaUsuarios", "Una página de usuarios"),
        400: documentar("Error", "limit o cursor inválidos"),
    },
)
def listar(
    limit: Annotated[EnteroCanonico | None, Query(ge=1, le=100)] = None,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> Response[str]:
    return respuesta(usuarios.listar(limit, cursor))


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
