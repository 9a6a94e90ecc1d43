"""GET /api/expedientes: newest fecha_ingreso first, filtered by estado / insurer; `q` searches the token index,
`actualizado_desde` lists what changed since a phone's last sync; one Query per page."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import PERSONAL
from monitor.core.cursors import LIMITE_POR_DEFECTO
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.models import ID_MAXIMO, EnteroCanonico, MarcaTiempo
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.core.params import Query
from monitor.expedientes import servicio as expedientes
from monitor.expedientes.campos import Estado

app = MonitorResolver(roles=PERSONAL, error_interno="Error interno al listar expedientes")


@app.get(
    "/api/expedientes",
    summary="Listar expedientes",
    tags=["Expedientes"],
    responses={
        200: documentar("expedientes.PaginaExpedientes", "Una página de expedientes y el cursor de la siguiente"),
        400: documentar("ErrorValidacion", "Filtro, límite o cursor inválido"),
    },
)
def listar(  # the resolver passes every parameter by name
    *,
    estado: Annotated[Estado | None, Query()] = None,
    id_aseguradora: Annotated[EnteroCanonico | None, Query(ge=1, le=ID_MAXIMO)] = None,
    q: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=100,
            description="Prefijo del No. Siniestro, de las placas o de una palabra del nombre del cliente; "
            "sin distinguir mayúsculas, acentos ni signos",
        ),
    ] = None,
    actualizado_desde: Annotated[
        MarcaTiempo | None,
        Query(
            max_length=40,
            description="Solo los expedientes que cambiaron en o después de esta fecha-hora ISO 8601 "
            "(sin zona: la del taller), del cambio más antiguo al más reciente",
        ),
    ] = None,
    limit: Annotated[EnteroCanonico, Query(ge=1, le=100)] = LIMITE_POR_DEFECTO,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> Response[str]:
    pagina = expedientes.listar(
        estado=estado,
        id_aseguradora=id_aseguradora,
        q=q,
        limite=limit,
        cursor=cursor,
        actualizado_desde=actualizado_desde,
    )
    return respuesta(pagina)


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
