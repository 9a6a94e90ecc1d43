"""PATCH /api/expedientes/{no_siniestro}/estado: one step of the repair workflow, with its history entry."""

from typing import Annotated, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth.roles import ADMIN_OPERADOR
from monitor.core.http import MonitorResolver, Response, cabeceras, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.core.params import Body
from monitor.expedientes import estados
from monitor.expedientes import servicio as expedientes
from monitor.expedientes.campos import de_ruta
from monitor.expedientes.modelos import CambioEstado

app = MonitorResolver(roles=ADMIN_OPERADOR, error_interno="Error interno al cambiar el estado del expediente")


@app.patch(
    "/api/expedientes/<no_siniestro>/estado",
    summary="Cambiar el estado de un expediente",
    tags=["Expedientes"],
    openapi_extensions=cabeceras("If-Match"),
    responses={
        200: documentar("expedientes.Expediente", "El expediente en su nuevo estado", cabeceras=("ETag",)),
        400: documentar("ErrorValidacion", "Estado desconocido"),
        403: documentar("Error", "Rol sin acceso, o reabrir Salida sin ser administrador"),
        404: documentar("Error", "Expediente no encontrado"),
        409: documentar(
            ("Error", "expedientes.ErrorSalida"),
            "Mismo estado, salto no permitido, o requisitos de Salida faltantes (en palabras y en `faltantes`)",
        ),
        412: documentar("Error", "If-Match no coincide con la versión actual: no se escribe nada", cabeceras=("ETag",)),
    },
)
def cambiar_estado(no_siniestro: str, datos: Annotated[CambioEstado, Body()]) -> Response[str]:
    item = estados.cambiar(de_ruta(no_siniestro), datos.estado, app.principal, si_coincide=app.cabecera("If-Match"))
    return respuesta(expedientes.a_respuesta(item), headers={"ETag": expedientes.etag(item)})


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
