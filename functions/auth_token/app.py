"""POST /api/auth/token: an insurer client's credentials for a short-lived Integracion token.

Also a standard OAuth 2.0 client-credentials endpoint: a form body with
`grant_type=client_credentials` (secret in the body or in HTTP Basic) answers
`{"access_token","token_type","expires_in"}`. The body is parsed in the layer because one route
accepts both JSON and form encoding."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth import clientes
from monitor.core.http import MonitorResolver, Response, documentar, respuesta
from monitor.core.observability import CORRELACION_REST, logger, metrics, tracer
from monitor.startup import preload

preload.precargar_tokens()
app = MonitorResolver(roles=None, error_interno="Error interno al emitir el token")


@app.post(
    "/api/auth/token",
    summary="Token de integración (JSON o OAuth 2.0 client credentials)",
    tags=["Autenticación"],
    description=(
        'JSON `{"client_id","client_secret"}` → `{"token","expires_in"}`; o formulario '
        "`application/x-www-form-urlencoded` con `grant_type=client_credentials`, `client_id` y `client_secret` "
        "(o las credenciales en HTTP Basic) → `{access_token, token_type, expires_in}`."
    ),
    responses={
        200: documentar(
            ("auth.Token", "auth.TokenOAuth"),
            "JSON: {token, expires_in}; formulario OAuth: {access_token, token_type, expires_in}",
        ),
        400: documentar("Error", "Cuerpo inválido o grant_type no soportado"),
        401: documentar("Error", "Credenciales de cliente inválidas"),
    },
)
def emitir_token() -> Response[str]:
    evento = app.current_event
    solicitud = clientes.leer_solicitud(
        evento.headers.get("content-type"), evento.decoded_body, evento.headers.get("authorization")
    )
    return respuesta(clientes.intercambiar(solicitud), headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


@logger.inject_lambda_context(correlation_id_path=CORRELACION_REST)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
