"""PUT /api/expedientes/{no_siniestro}: the seed's partial update, audited, optimistic-locked."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import ADMIN_OPERADOR
from monitor.core.http import MonitorResolver, Response, cabeceras, documentar, respuesta
from monitor.core.metrics import Metrica
from monitor.core.observability import CORRELACION_REST, contar, logger, metrics, tracer
from monitor.core.params import Body
from monitor.expedientes import servicio as expedientes
from monitor.expedientes.campos import de_ruta
from monitor.expedientes.modelos import CambiosExpediente

app = MonitorResolver(roles=ADMIN_OPERADOR, error_interno="Error interno al actualizar expediente")


@app.put(
    "/api/expedientes/<no_siniestro>",
    summary="Actualizar un expediente (parcial)",
    tags=["Expedientes"],
    openapi_extensions=cabeceras("If-Match"),
    responses={
        200: documentar(
            "expedientes.Expediente", "El expediente completo tal como quedó guardado", cabeceras=("ETag",)
        ),
        400: documentar("ErrorValidacion", "No. Siniestro requerido, datos inválidos o aseguradora inexistente"),
        404: documentar("Error", "Expediente no encontrado"),
        412: documentar("Error", "If-Match no coincide con la versión actual: no se escribe nada", cabeceras=("ETag",)),
    },
)
def actualizar(no_siniestro: str, datos: Annotated[CambiosExpediente, Body()]) -> Response[str]:
    item, cambio = expedientes.actualizar(
        de_ruta(no_siniestro), datos, app.principal, si_coincide=app.cabecera("If-Match")
    )
    if cambio:
        contar(Metrica.EXPEDIENTE_ACTUALIZADO)
    return respuesta(expedientes.a_respuesta(item), headers={"ETag": expedientes.etag(item)})


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
