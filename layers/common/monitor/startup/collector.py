"""The garbage collector paused while a Lambda initialises, and told to leave init's objects alone after.

Init allocates some 100 000 objects that live as long as the process (botocore's service models, modules,
classes, Pydantic validators) and the collector rescans them dozens of times while they pile up, for no
garbage (what that costs: column «pausa GC» of bench/results.md; docs/startup.md). So collection pauses
from the first import of `monitor` until the first response is out; then everything init built is frozen
(`gc.freeze`, never scanned again, the gc docs' advice for a pre-forked server) and collection resumes.

Only inside Lambda (`AWS_LAMBDA_FUNCTION_NAME`, set by the runtime and by `sam local`): a test run or a
tool that imports `monitor` and never serves a request keeps its collector as it was.
"""

import gc
import os

from monitor.startup.switches import apagado


class _Pausa:
    activa = False


def pausar() -> None:
    if "AWS_LAMBDA_FUNCTION_NAME" in os.environ and gc.isenabled() and not apagado("collector"):
        gc.disable()
        _Pausa.activa = True


def reanudar() -> None:
    """Called when a request ends; does something only the first time."""
    if _Pausa.activa:
        _Pausa.activa = False
        gc.freeze()
        gc.enable()
