"""Milestones, report counters and report indexes for the data written before they existed (`make migrar-hitos
STACK=...`): a one-off, resumable migration of a deployed stack's table (docs/operations.md).

Runs `monitor.reportes.migracion` (the same layer code the API writes with) against the stack's `TableName`
output or `--table`. Interrupted, it resumes from its last saved page; run again when finished, it changes
nothing.

    python tools/migrar_hitos.py --stack monitor-prod [--region us-east-1] [--desde-cero]
    python tools/migrar_hitos.py --table monitor-prod-Table-ABC123
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ / "layers" / "common"))
sys.path.insert(0, str(RAIZ))

from tools.crear_admin import ErrorCli, salidas_de_pila  # noqa: E402


def argumentos(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Hitos, contadores e índices de reportes de los datos existentes.")
    destino = parser.add_mutually_exclusive_group(required=True)
    destino.add_argument("--stack", help="nombre de la pila de CloudFormation (lee su salida TableName)")
    destino.add_argument("--table", help="nombre de la tabla, si ya se conoce")
    parser.add_argument("--region", default=None)
    parser.add_argument("--desde-cero", action="store_true", help="olvida el avance guardado y recorre todo otra vez")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = argumentos(argv)
    try:
        if args.region:
            os.environ["AWS_DEFAULT_REGION"] = args.region
        tabla = args.table
        if args.stack:
            tabla = salidas_de_pila(args.stack, args.region).get("TableName")
            if not tabla:
                raise ErrorCli(f"La pila {args.stack} no tiene la salida TableName")
    except ErrorCli as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2

    os.environ["MONITOR_TABLE"] = str(tabla)
    os.environ.setdefault("MONITOR_JWT_SECRET_ID", "sin-uso")  # settings require it; nothing is signed
    from monitor.core import table as acceso
    from monitor.core.settings import settings
    from monitor.reportes import migracion

    settings.cache_clear()
    acceso.cliente.cache_clear()

    def informar(avance: migracion.Avance) -> None:
        print(
            f"{avance.fase}: {avance.expedientes} expedientes migrados, {avance.omitidos} ya al día, "
            f"{avance.ordenes} órdenes sin expediente marcadas",
            flush=True,
        )

    final = migracion.ejecutar(desde_cero=args.desde_cero, informar=informar)
    print(f"Migración terminada en {tabla}: {final.expedientes} expedientes, {final.ordenes} órdenes.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
