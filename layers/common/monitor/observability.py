"""Logger, Tracer and Metrics created once; configured by POWERTOOLS_* variables from the template."""

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit

from monitor.metricas import Metrica

logger = Logger(service="monitor", utc=True)
tracer = Tracer(service="monitor")
metrics = Metrics(namespace="Monitor", service="monitor")

CORRELACION_REST = correlation_paths.API_GATEWAY_REST


def contar(metrica: Metrica, valor: float = 1) -> None:
    metrics.add_metric(name=metrica.value, unit=MetricUnit.Count, value=valor)


def enmascarar(valor: str | None, visibles: int = 3) -> str | None:
    """Keeps phones and e-mails recognisable to on-call without putting them in logs."""
    if not valor:
        return valor
    if "@" in valor:
        nombre, _, dominio = valor.partition("@")
        return f"{nombre[:1]}***@{dominio}"
    return "***" + valor[-visibles:] if len(valor) > visibles else "***"
