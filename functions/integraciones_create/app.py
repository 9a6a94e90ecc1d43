"""POST /api/integraciones: a machine client for an insurer platform (administrators only).

The response is the only place `client_secret` and `hmac_key` are ever shown."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor import clientes
from monitor.auth import ADMIN
from monitor.http import MonitorResolver, Response, documentar, respuesta
from monitor.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.parametros import Body

app = MonitorResolver(roles=ADMIN, error_interno="Error interno al crear la integración")


@app.post(
    "/api/integraciones",
    summary="Crear cliente de integración",
    responses={
        201: documentar("ClienteCreado", "Credenciales (se muestran una sola vez)"),
        400: documentar("Error", "Datos inválidos o aseguradora inexistente"),
        401: documentar("Error", "Token requerido o inválido"),
        403: documentar("Error", "Acceso restringido a administradores"),
        503: documentar("Error", "Servicio no disponible"),
    },
)
def crear(datos: Annotated[clientes.ClienteNuevo, Body()]) -> Response[str]:
    return respuesta(clientes.crear_desde(datos), 201, headers={"Cache-Control": "no-store"})


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
