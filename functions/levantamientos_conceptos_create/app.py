"""POST /api/expedientes/{no_siniestro}/levantamiento/conceptos: one line item at the end of the survey, with
the next id; the answer is the whole survey (the new line is the last one, also named by Location)."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import PERSONAL
from monitor.core.http import MonitorResolver, Response, cabeceras, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.core.params import Body
from monitor.expedientes.campos import de_ruta
from monitor.levantamientos import servicio as levantamientos
from monitor.levantamientos.modelos import ConceptoNuevo

app = MonitorResolver(roles=PERSONAL, error_interno="Error interno al agregar concepto")


@app.post(
    "/api/expedientes/<no_siniestro>/levantamiento/conceptos",
    summary="Agregar un concepto al levantamiento",
    tags=["Levantamientos"],
    openapi_extensions=cabeceras("If-Match"),
    responses={
        201: documentar(
            "levantamientos.Levantamiento",
            "El levantamiento completo; el concepto nuevo es el último (cabeceras ETag y Location)",
            cabeceras=("ETag", "Location"),
        ),
        400: documentar("ErrorValidacion", "Concepto vacío o demasiado largo, costo inválido"),
        404: documentar("Error", "Expediente no encontrado, o Levantamiento no encontrado"),
        409: documentar("Error", "El levantamiento ya tiene 300 conceptos o excedería su tamaño máximo"),
        412: documentar(
            "Error", "If-Match no coincide con la versión actual (cabecera ETag con la actual)", cabeceras=("ETag",)
        ),
    },
)
def agregar(no_siniestro: str, datos: Annotated[ConceptoNuevo, Body()]) -> Response[str]:
    no = de_ruta(no_siniestro)
    levantamiento, id_concepto = levantamientos.agregar_concepto(
        no, datos, app.principal, si_coincide=app.cabecera("If-Match")
    )
    cabeceras = {"ETag": levantamiento.etag, "Location": levantamientos.ubicacion_concepto(no, id_concepto)}
    return respuesta(levantamientos.a_respuesta(levantamiento), 201, headers=cabeceras)


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
