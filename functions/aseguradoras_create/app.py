"""POST /api/aseguradoras: add an insurer to the catalog (administrators only)."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.aseguradoras import servicio as aseguradoras
from monitor.aseguradoras.modelos import AseguradoraNueva
from monitor.auth.roles import ADMIN
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.core.params import Body

app = MonitorResolver(roles=ADMIN, error_interno="Error interno al crear la aseguradora")


@app.post(
    "/api/aseguradoras",
    summary="Crear aseguradora",
    tags=["Aseguradoras"],
    responses={
        201: documentar("aseguradoras.Aseguradora", "Aseguradora creada"),
        400: documentar("Error", "Datos inválidos"),
        409: documentar("Error", "Ya existe una aseguradora con ese nombre"),
    },
)
def crear(datos: Annotated[AseguradoraNueva, Body()]) -> Response[str]:
    creada = aseguradoras.crear(datos.nombre)
    logger.info("Aseguradora creada", extra={"id_aseguradora": creada["id"]})
    return respuesta(creada, 201)


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
