"""The customer's follow-up milestones → one SES e-mail per step, recorded on the expediente and never
sent twice for the same step (docs/seguimiento.md)."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.core.observability import logger, metrics, tracer
from monitor.seguimiento import correos
from monitor.startup import collector


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        return correos.procesar(event, context)
    finally:
        collector.reanudar()  # the first batch ends init's pause of the garbage collector
