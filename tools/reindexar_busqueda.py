"""Joins the expedientes written before the search and sync indexes to both (`make reindexar STACK=...`).

Pages through every expediente (GSI1, never a Scan) and, for each one without its token items or its sync
key, writes them in one transaction conditioned on the version it read (`expedientes.servicio.reindexar`):
safe while the API runs, and run again it finds nothing left to do. An expediente also joins on its next PUT
or PATCH, so this only matters for the ones nobody touches.

    python tools/reindexar_busqueda.py --stack monitor-prod [--region us-east-1]
    python tools/reindexar_busqueda.py --table monitor-prod-Table-ABC123
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(RAIZ), str(RAIZ / "layers" / "common")]

from tools.crear_admin import ErrorCli, salidas_de_pila  # noqa: E402


def reindexar(pagina: int = 100) -> int:
    """How many expedientes were joined, over the whole table."""
    from monitor.expedientes import servicio

    unidos = 0
    inicio = None
    while True:
        pendientes, inicio = servicio.sin_indexar(pagina, inicio)
        unidos += sum(1 for no in pendientes if servicio.reindexar(no))
        if inicio is None:
            return unidos


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    destino = p.add_mutually_exclusive_group(required=True)
    destino.add_argument("--stack", help="pila desplegada (lee su salida TableName)")
    destino.add_argument("--table", help="nombre de la tabla")
    p.add_argument("--region")
    args = p.parse_args(argv)
    try:
        tabla = args.table or salidas_de_pila(args.stack, args.region)["TableName"]
    except (ErrorCli, KeyError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    os.environ["MONITOR_TABLE"] = tabla
    os.environ.setdefault("MONITOR_JWT_SECRET_ID", "sin-uso")  # settings requires it; nothing here signs
    if args.region:
        os.environ["AWS_DEFAULT_REGION"] = args.region
    unidos = reindexar()
    print(f"Expedientes unidos a los índices de búsqueda y sincronización: {unidos}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
