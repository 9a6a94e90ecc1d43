"""A Tracer provider that does nothing, for processes where tracing is off.

With `POWERTOOLS_TRACE_DISABLED` (tests, the local gateway, `sam local`), Powertools' own provider still
imports the X-Ray SDK and patches nothing with it; this one makes `capture_lambda_handler` and friends free
and leaves the SDK unimported. Where tracing is on, as in every deployed function, the Tracer is
Powertools' own, with its X-Ray patches: this trick changes nothing there (docs/startup.md).
"""

from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from aws_lambda_powertools import Tracer
from aws_lambda_powertools.tracing.base import BaseProvider, BaseSegment

from monitor.startup.switches import apagado


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


class SinTrazas(BaseProvider):
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


def crear_tracer(servicio: str) -> Tracer:
    if Tracer._is_tracer_disabled() and not apagado("tracing"):
        return Tracer(service=servicio, disabled=False, auto_patch=False, provider=SinTrazas())
    return Tracer(service=servicio)
