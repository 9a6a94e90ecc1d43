"""The first administrator of a deployed stack (`make admin STACK=...`).

Reads the stack's `TableName` output (or takes `--table`), asks for the password twice (or reads
MONITOR_ADMIN_PASSWORD), seeds the insurer catalog and creates the administrator through the same
layer code the API uses, so the item shapes cannot drift. Never prints the password.

    python tools/crear_admin.py --stack monitor-prod [--username admin] [--region us-east-1]
    python tools/crear_admin.py --table monitor-prod-Table-ABC123
"""

from __future__ import annotations

import argparse
import getpass
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ / "layers" / "common"))

PASSWORD_MIN = 8
_USERNAME = re.compile(r"^[A-Za-z0-9._-]{3,64}$")


class ErrorCli(Exception):
    pass


def salidas_de_pila(stack: str, region: str | None) -> dict[str, str]:
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    cfn = boto3.client("cloudformation", region_name=region)
    try:
        pilas = cfn.describe_stacks(StackName=stack)["Stacks"]
    except BotoCoreError as exc:
        raise ErrorCli(f"No se pudo leer la pila {stack}: {exc}") from None
    except ClientError as exc:
        raise ErrorCli(f"No se pudo leer la pila {stack}: {exc.response['Error'].get('Message', exc)}") from None
    return {o["OutputKey"]: o["OutputValue"] for o in pilas[0].get("Outputs", [])}


def leer_password(entorno: Mapping[str, str]) -> str:
    password = entorno.get("MONITOR_ADMIN_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            raise ErrorCli("Sin terminal: defina MONITOR_ADMIN_PASSWORD")
        password = getpass.getpass("Contraseña del administrador: ")
        if getpass.getpass("Repita la contraseña: ") != password:
            raise ErrorCli("Las contraseñas no coinciden")
    if len(password) < PASSWORD_MIN:
        raise ErrorCli(f"La contraseña debe tener al menos {PASSWORD_MIN} caracteres")
    return password


def argumentos(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Crea el primer administrador de una pila de Monitor.")
    destino = parser.add_mutually_exclusive_group(required=True)
    destino.add_argument("--stack", help="nombre de la pila de CloudFormation (lee su salida TableName)")
    destino.add_argument("--table", help="nombre de la tabla, si ya se conoce")
    parser.add_argument("--username", default="admin")
    parser.add_argument("--nombre", default="Administrador")
    parser.add_argument("--region", default=None)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = argumentos(argv)
    try:
        if not _USERNAME.match(args.username):
            raise ErrorCli("El usuario debe tener de 3 a 64 caracteres: letras, dígitos, punto, guion y guion bajo")
        if args.region:
            os.environ["AWS_DEFAULT_REGION"] = args.region
        tabla = args.table
        salidas: dict[str, Any] = {}
        if args.stack:
            salidas = salidas_de_pila(args.stack, args.region)
            tabla = salidas.get("TableName")
            if not tabla:
                raise ErrorCli(f"La pila {args.stack} no tiene la salida TableName")
        password = leer_password(os.environ)
    except ErrorCli as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2

    os.environ["MONITOR_TABLE"] = str(tabla)
    # Settings require it; creating users never signs anything.
    os.environ.setdefault("MONITOR_JWT_SECRET_ID", str(salidas.get("SigningSecretArn", "sin-uso")))
    from monitor.core import table as acceso
    from monitor.core.settings import settings
    from monitor.usuarios import semilla

    settings.cache_clear()
    acceso.cliente.cache_clear()
    creado = semilla.sembrar(args.username, password, nombre=args.nombre)
    if not creado:
        print(f"El usuario {args.username} ya existe en {tabla}; no se modificó.", file=sys.stderr)
        return 1
    print(f"Administrador {args.username} creado en {tabla}; catálogo de aseguradoras sembrado.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
