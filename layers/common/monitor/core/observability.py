"""Logger, Tracer and Metrics created once; configured by POWERTOOLS_* variables from the template."""

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit

from monitor.core.metrics import Metrica
from monitor.startup.tracing import crear_tracer

logger = Logger(service="monitor", utc=True)
tracer = crear_tracer("monitor")  # a free one where tracing is off (monitor.startup.tracing)
metrics = Metrics(namespace="Monitor", service="monitor")

CORRELACION_REST = correlation_paths.API_GATEWAY_REST


def contar(metrica: Metrica, valor: float = 1) -> None:
    metrics.add_metric(name=metrica.value, unit=MetricUnit.Count, value=valor)
