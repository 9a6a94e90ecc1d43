"""POST /api/integraciones: a machine client for an insurer platform (administrators only).

The response is the only place `client_secret` and `hmac_key` are ever shown."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth import clientes
from monitor.auth.modelos import ClienteNuevo
from monitor.auth.roles import ADMIN
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.core.params import Body

app = MonitorResolver(roles=ADMIN, error_interno="Error interno al crear la integración")


@app.post(
    "/api/integraciones",
    summary="Crear cliente de integración",
    tags=["Integraciones"],
    responses={
        201: documentar("auth.ClienteCreado", "Credenciales (se muestran una sola vez)"),
        400: documentar("Error", "Datos inválidos o aseguradora inexistente"),
    },
)
def crear(datos: Annotated[ClienteNuevo, Body()]) -> Response[str]:
    return respuesta(clientes.crear_desde(datos), 201, headers={"Cache-Control": "no-store"})


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
