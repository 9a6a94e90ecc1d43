"""TOKEN authorizer: one policy for the whole API (so API Gateway's cache is safe across routes);
roles are enforced by each function. A Deny becomes the gateway's 401 "Token inválido o expirado".

A DynamoDB or Secrets Manager outage is not a Deny: the exception propagates and API Gateway
answers 5XX, so a healthy token is never reported as invalid."""

from typing import Any

from aws_lambda_powertools.utilities.data_classes import event_source
from aws_lambda_powertools.utilities.data_classes.api_gateway_authorizer_event import (
    APIGatewayAuthorizerResponse,
    APIGatewayAuthorizerTokenEvent,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor import autorizador
from monitor.auth import TokenInvalido
from monitor.metricas import Metrica
from monitor.observability import contar, logger, metrics, tracer


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
@event_source(data_class=APIGatewayAuthorizerTokenEvent)
def lambda_handler(event: APIGatewayAuthorizerTokenEvent, context: LambdaContext) -> dict[str, Any]:
    arn = event.parsed_arn
    try:
        principal = autorizador.autenticar(autorizador.extraer_token(event.authorization_token))
    except TokenInvalido as exc:
        contar(Metrica.TOKEN_RECHAZADO)
        logger.info("Token rechazado", extra={"motivo": str(exc)})
        denegar = APIGatewayAuthorizerResponse(
            principal_id="anonimo",
            region=arn.region,
            aws_account_id=arn.aws_account_id,
            api_id=arn.api_id,
            stage=arn.stage,
        )
        denegar.deny_all_routes()
        return denegar.asdict()

    logger.info("Token aceptado", extra={"caller": principal.id, "rol": principal.rol.value})
    permitir = APIGatewayAuthorizerResponse(
        principal_id=principal.id,
        region=arn.region,
        aws_account_id=arn.aws_account_id,
        api_id=arn.api_id,
        stage=arn.stage,
        context=autorizador.contexto(principal),
    )
    permitir.allow_all_routes()
    return permitir.asdict()
