"""POST /api/suscripciones: an insurer platform's webhook subscription (administrators only).

The response is the only place the signing secret is ever shown."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import ADMIN
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.core.params import Body
from monitor.seguimiento import suscripciones
from monitor.seguimiento.modelos import SuscripcionNueva

app = MonitorResolver(roles=ADMIN, error_interno="Error interno al crear la suscripción")


@app.post(
    "/api/suscripciones",
    summary="Crear suscripción a eventos (webhook)",
    tags=["Suscripciones"],
    responses={
        201: documentar("seguimiento.SuscripcionCreada", "La suscripción con su secreto de firma (se muestra una vez)"),
        400: documentar(
            "ErrorValidacion", "URL no https o hacia una red privada, eventos inválidos o aseguradora inexistente"
        ),
    },
)
def crear(datos: Annotated[SuscripcionNueva, Body()]) -> Response[str]:
    return respuesta(suscripciones.crear(datos, app.principal), 201, headers={"Cache-Control": "no-store"})


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
