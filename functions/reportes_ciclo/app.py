"""GET /api/reportes/ciclo: keys-to-keys days of the units delivered in a range, overall and per insurer, as
JSON or (`formato=xlsx`) as a download; one Query per page of delivered units (docs/reportes.md)."""

from typing import Annotated, Any, Literal

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import ADMIN_OPERADOR
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.core.params import Query
from monitor.reportes import ciclo

app = MonitorResolver(roles=ADMIN_OPERADOR, error_interno="Error interno al generar el reporte de ciclo")

# A calendar day of years 1900-9998 (ciclo.ANIOS), as the server reads it.
FECHA = r"^(19\d\d|[2-8]\d{3}|9[0-8]\d\d|99[0-8]\d|999[0-8])-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
INT32_MAX = 2_147_483_647  # insurer ids are counters; a larger number names none


@app.get(
    "/api/reportes/ciclo",
    summary="Tiempo de ciclo (llave a llave)",
    tags=["Reportes"],
    description="Unidades entregadas entre desde y hasta (días del taller, incluidos; a lo más 366): días llave a "
    "llave (media, mediana, p90) y días por etapa, en general y por aseguradora. Con formato=xlsx responde la "
    "URL de descarga de las mismas cifras en una hoja de cálculo.",
    responses={
        200: documentar(("reportes.Ciclo", "reportes.Descarga"), "Las cifras, o la descarga con formato=xlsx"),
        400: documentar("ErrorValidacion", "Fechas inválidas, rango invertido o de más de 366 días"),
    },
)
def reporte(
    desde: Annotated[
        str, Query(pattern=FECHA, json_schema_extra={"format": "date"}, description="Primer día (AAAA-MM-DD), incluido")
    ],
    hasta: Annotated[
        str, Query(pattern=FECHA, json_schema_extra={"format": "date"}, description="Último día (AAAA-MM-DD), incluido")
    ],
    id_aseguradora: Annotated[int | None, Query(ge=1, le=INT32_MAX)] = None,
    formato: Annotated[Literal["json", "xlsx"], Query()] = "json",
) -> Response[str]:
    if formato == "xlsx":
        return respuesta(ciclo.hoja_de_calculo(desde, hasta, id_aseguradora))
    return respuesta(ciclo.ciclo(desde, hasta, id_aseguradora))


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
