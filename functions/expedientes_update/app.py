"""PUT /api/expedientes/{no_siniestro}: the seed's partial update, audited, optimistic-locked."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor import expedientes
from monitor.auth import ADMIN_OPERADOR
from monitor.http import MonitorResolver, Response, documentar, respuesta
from monitor.metricas import Metrica
from monitor.modelos_expediente import ActualizarExpediente
from monitor.observability import CORRELACION_REST, contar, logger, metrics, tracer
from monitor.parametros import Body

app = MonitorResolver(roles=ADMIN_OPERADOR, error_interno="Error interno al actualizar expediente")


@app.put(
    "/api/expedientes/<no_siniestro>",
    summary="Actualizar un expediente (parcial)",
    responses={
        200: documentar("Expediente", "El expediente completo tal como quedó guardado (cabecera ETag)"),
        400: documentar("ErrorValidacion", "No. Siniestro requerido, datos inválidos o aseguradora inexistente"),
        403: documentar("Error", "Acceso restringido a administradores y operadores"),
        404: documentar("Error", "Expediente no encontrado"),
        412: documentar("Error", "If-Match no coincide con la versión actual"),
        503: documentar("Error", "DynamoDB no disponible (Retry-After)"),
    },
)
def actualizar(no_siniestro: str, datos: Annotated[ActualizarExpediente, Body()]) -> Response[str]:
    item, cambio = expedientes.actualizar(
        expedientes.de_ruta(no_siniestro), datos, app.principal, si_coincide=app.cabecera("If-Match")
    )
    if cambio:
        contar(Metrica.EXPEDIENTE_ACTUALIZADO)
    return respuesta(expedientes.publica(item), headers={"ETag": expedientes.etag(item)})


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
