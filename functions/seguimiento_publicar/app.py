"""The table's stream (outbox inserts only, filtered by the event source mapping) → the EventBridge bus,
with partial batch failures: a record that cannot be published is reported alone (docs/seguimiento.md)."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from monitor.core.observability import logger, metrics, tracer
from monitor.seguimiento import publicador
from monitor.startup import collector


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        return publicador.procesar(event, context)
    finally:
        collector.reanudar()  # the first batch ends init's pause of the garbage collector
