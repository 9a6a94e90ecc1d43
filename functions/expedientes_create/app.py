"""POST /api/expedientes: a new claim file in Ingreso, unique by No. Siniestro, with its first history entry."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import ADMIN_OPERADOR
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.metrics import Metrica
from monitor.core.observability import CORRELACION_REST, contar, logger, metrics, tracer
from monitor.core.params import Body
from monitor.expedientes import servicio as expedientes
from monitor.expedientes.modelos import ExpedienteNuevo

app = MonitorResolver(roles=ADMIN_OPERADOR, error_interno="Error interno al crear expediente")


@app.post(
    "/api/expedientes",
    summary="Crear un expediente",
    tags=["Expedientes"],
    responses={
        201: documentar("expedientes.Expediente", "El expediente creado, en estado Ingreso", cabeceras=("ETag",)),
        400: documentar("ErrorValidacion", "Faltan campos obligatorios, datos inválidos o aseguradora inexistente"),
        409: documentar("Error", "Ya existe un expediente con ese No. Siniestro"),
    },
)
def crear(datos: Annotated[ExpedienteNuevo, Body()]) -> Response[str]:
    creado = expedientes.crear(datos, app.principal)
    contar(Metrica.EXPEDIENTE_CREADO)
    return respuesta(creado, 201, headers={"ETag": expedientes.etag(creado)})


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
