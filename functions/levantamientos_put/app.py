"""PUT /api/expedientes/{no_siniestro}/levantamiento: creates the damage survey (201) or updates it (200),
partially; `conceptos` replaces every line item at once. Audited, optimistic-locked."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import PERSONAL
from monitor.core.http import MonitorResolver, Response, cabeceras, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.core.params import Body
from monitor.expedientes.campos import de_ruta
from monitor.levantamientos import servicio as levantamientos
from monitor.levantamientos.modelos import CambiosLevantamiento

app = MonitorResolver(roles=PERSONAL, error_interno="Error interno al guardar levantamiento")


@app.put(
    "/api/expedientes/<no_siniestro>/levantamiento",
    summary="Crear o actualizar (parcial) el levantamiento de daños",
    tags=["Levantamientos"],
    openapi_extensions=cabeceras("If-Match"),
    responses={
        200: documentar(
            "levantamientos.Levantamiento",
            "El levantamiento actualizado tal como quedó (cabecera ETag)",
            cabeceras=("ETag",),
        ),
        201: documentar(
            "levantamientos.Levantamiento",
            "El levantamiento creado; los datos del vehículo y del propietario no enviados se copian del expediente",
            cabeceras=("ETag",),
        ),
        400: documentar("ErrorValidacion", "Datos inválidos, nada que actualizar o un id de concepto ajeno"),
        404: documentar("Error", "Expediente no encontrado"),
        412: documentar(
            "Error", "If-Match no coincide con la versión actual (cabecera ETag con la actual)", cabeceras=("ETag",)
        ),
    },
)
def guardar(no_siniestro: str, datos: Annotated[CambiosLevantamiento, Body()]) -> Response[str]:
    levantamiento, creado, _ = levantamientos.guardar(
        de_ruta(no_siniestro), datos, app.principal, si_coincide=app.cabecera("If-Match")
    )
    cuerpo = levantamientos.a_respuesta(levantamiento)
    return respuesta(cuerpo, 201 if creado else 200, headers={"ETag": levantamiento.etag})


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
