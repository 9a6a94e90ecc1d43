"""The delivery queue → signed webhooks to the subscriptions of each event's insurer and topic, every
attempt logged, failures retried with back-off for up to 24 h (docs/seguimiento.md)."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.core.observability import logger, metrics, tracer
from monitor.seguimiento import entregas
from monitor.startup import collector


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        return entregas.procesar(event, context)
    finally:
        collector.reanudar()  # the first batch ends init's pause of the garbage collector
