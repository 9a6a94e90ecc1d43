"""TOKEN authorizer: one policy for the whole API (so API Gateway's cache is safe across routes);
roles are enforced by each function. A Deny becomes the gateway's 401 "Token inválido o expirado".

A DynamoDB or Secrets Manager outage is not a Deny: the exception propagates and API Gateway
answers 5XX, so a healthy token is never reported as invalid."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.auth import autorizador
from monitor.core.observability import logger, metrics, tracer
from monitor.startup import collector, preload

preload.precargar_tokens()


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        return autorizador.decidir(event)
    finally:
        collector.reanudar()  # the first request ends init's pause of the garbage collector
