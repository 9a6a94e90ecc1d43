"""The off switch of each start-up trick, for the bench alone: `MONITOR_STARTUP_OFF=collector,tracing`
turns those tricks off in one process, so bench/run.py measures what each one buys on every run
(docs/startup.md). template.yaml never sets it; the names are the trick modules of `monitor.startup`."""

import os

VARIABLE = "MONITOR_STARTUP_OFF"
TRUCOS = ("collector", "deferred_inits", "route_models", "tracing", "preload")


def apagado(truco: str) -> bool:
    return truco in os.environ.get(VARIABLE, "").split(",")
