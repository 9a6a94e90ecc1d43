"""PUT /api/expedientes/{no_siniestro}/levantamiento/conceptos/{id}: edits one line item (partial; `null`
clears `claves`); the answer is the whole survey."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import PERSONAL
from monitor.core.http import MonitorResolver, Response, cabeceras, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.core.params import Body
from monitor.expedientes.campos import de_ruta
from monitor.levantamientos import servicio as levantamientos
from monitor.levantamientos.modelos import CambiosConcepto

app = MonitorResolver(roles=PERSONAL, error_interno="Error interno al actualizar concepto")


@app.put(
    "/api/expedientes/<no_siniestro>/levantamiento/conceptos/<id>",
    summary="Actualizar un concepto del levantamiento (parcial)",
    tags=["Levantamientos"],
    openapi_extensions=cabeceras("If-Match"),
    responses={
        200: documentar(
            "levantamientos.Levantamiento",
            "El levantamiento completo tal como quedó (cabecera ETag)",
            cabeceras=("ETag",),
        ),
        400: documentar("ErrorValidacion", "Datos inválidos o nada que actualizar"),
        404: documentar("Error", "Expediente, Levantamiento o Concepto no encontrado"),
        409: documentar("Error", "El levantamiento excedería su tamaño máximo"),
        412: documentar(
            "Error", "If-Match no coincide con la versión actual (cabecera ETag con la actual)", cabeceras=("ETag",)
        ),
    },
)
def actualizar(no_siniestro: str, id: str, datos: Annotated[CambiosConcepto, Body()]) -> Response[str]:
    levantamiento, _ = levantamientos.actualizar_concepto(
        de_ruta(no_siniestro), id, datos, app.principal, si_coincide=app.cabecera("If-Match")
    )
    return respuesta(levantamientos.a_respuesta(levantamiento), headers={"ETag": levantamiento.etag})


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
