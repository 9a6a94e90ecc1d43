"""Every cold-start trick, installed by `import monitor` before any function imports Powertools.

Each one is listed in docs/startup.md with what it buys, the bench switch that measures it and when to
delete it.
"""

from monitor.startup import collector, deferred_inits, snapstart


def install() -> None:
    collector.pausar()
    deferred_inits.instalar()
    snapstart.instalar()
