"""The cold-start tricks that must run before any function imports Powertools, installed by `import monitor`.

The others run where they apply: `route_models` as each route registers, `tracing` when
`monitor.core.observability` builds the Tracer, `preload` in the functions that sign or verify tokens.
docs/startup.md lists each one with what it buys, its bench switch (`monitor.startup.switches`) and when to
delete it.
"""

from monitor.startup import collector, deferred_inits, snapstart


def install() -> None:
    collector.pausar()
    deferred_inits.instalar()
    snapstart.instalar()
