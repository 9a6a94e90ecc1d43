"""Logger, Tracer and Metrics created once; configured by POWERTOOLS_* variables from the template."""

from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.tracing.base import BaseProvider, BaseSegment

from monitor.core.metrics import Metrica


class _SegmentoNulo(BaseSegment):
    def close(self, end_time: int | None = None) -> None:
        pass

    def add_subsegment(self, subsegment: Any) -> None:
        pass

    def remove_subsegment(self, subsegment: Any) -> None:
        pass

    def put_annotation(self, key: str, value: Any) -> None:
        pass

    def put_metadata(self, key: str, value: Any, namespace: str = "default") -> None:
        pass

    def add_exception(self, exception: BaseException, stack: Any, remote: bool = False) -> None:
        pass


class _SinTrazas(BaseProvider):
    """Where tracing is off (tests, local gateway, benchmarks) Powertools would still import the
    X-Ray SDK (25-80 ms of cold start) just to disable it; this provider makes the decorators free."""

    @contextmanager
    def in_subsegment(self, name: Any = None, **kwargs: Any) -> Iterator[BaseSegment]:
        yield _SegmentoNulo()

    @asynccontextmanager
    async def in_subsegment_async(self, name: Any = None, **kwargs: Any) -> AsyncIterator[BaseSegment]:
        yield _SegmentoNulo()

    def put_annotation(self, key: str, value: Any) -> None:
        pass

    def put_metadata(self, key: str, value: Any, namespace: str = "default") -> None:
        pass

    def patch(self, modules: Sequence[str]) -> None:
        pass

    def patch_all(self) -> None:
        pass


def _crear_tracer() -> Tracer:
    if Tracer._is_tracer_disabled():
        return Tracer(service="monitor", disabled=False, auto_patch=False, provider=_SinTrazas())
    return Tracer(service="monitor")


logger = Logger(service="monitor", utc=True)
tracer = _crear_tracer()
metrics = Metrics(namespace="Monitor", service="monitor")

CORRELACION_REST = correlation_paths.API_GATEWAY_REST


def contar(metrica: Metrica, valor: float = 1) -> None:
    metrics.add_metric(name=metrica.value, unit=MetricUnit.Count, value=valor)
