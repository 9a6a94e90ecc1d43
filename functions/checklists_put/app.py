"""PUT /api/expedientes/{no_siniestro}/checklist: creates the exit checklist (201) or changes what the body names
(200); audited, optimistic-locked, one transaction."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import PERSONAL
from monitor.checklists import servicio as checklists
from monitor.checklists.modelos import CambiosChecklist
from monitor.core.http import MonitorResolver, Response, cabeceras, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.core.params import Body
from monitor.expedientes.campos import de_ruta

app = MonitorResolver(roles=PERSONAL, error_interno="Error interno al guardar el checklist")


@app.put(
    "/api/expedientes/<no_siniestro>/checklist",
    summary="Crear o actualizar (parcial) el checklist de salida",
    tags=["Checklists"],
    openapi_extensions=cabeceras("If-Match"),
    responses={
        200: documentar(
            "checklists.Checklist",
            "El checklist completo tal como quedó guardado (cabecera ETag)",
            cabeceras=("ETag",),
        ),
        201: documentar("checklists.Checklist", "El checklist recién creado (cabecera ETag)", cabeceras=("ETag",)),
        400: documentar(
            "ErrorValidacion", "Datos inválidos: punto fuera del catálogo, valor desconocido, fecha u hora"
        ),
        404: documentar("Error", "Expediente no encontrado"),
        409: documentar("Error", "El expediente está en Salida y el cambio le quitaría lo que Salida exige"),
        412: documentar(
            "Error",
            "If-Match no coincide con la versión actual, o el checklist aún no existe (cabecera ETag con la actual)",
            cabeceras=("ETag",),
        ),
    },
)
def guardar(no_siniestro: str, datos: Annotated[CambiosChecklist, Body()]) -> Response[str]:
    item, creado = checklists.guardar(de_ruta(no_siniestro), datos, app.principal, si_coincide=app.cabecera("If-Match"))
    return respuesta(checklists.a_respuesta(item), 201 if creado else 200, headers={"ETag": checklists.etag(item)})


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
