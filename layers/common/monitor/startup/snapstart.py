"""What a function restored from a SnapStart snapshot must not keep from the init the snapshot froze.

With the stack parameter `SnapStart=true` (docs/operations.md#snapstart) Lambda runs init once, when a
version is published, and starts every new execution environment from a copy of that process, minutes
or days later. Whatever init left in memory is then shared by every copy and as old as the snapshot;
the hooks below run in each copy right after it is restored, before its first request:

- `random`: Python seeds its Mersenne Twister once per process, so every copy would draw the same
  numbers (the write retries' jitter would collide instead of spreading). Reseeded from the kernel.
  `secrets`, `os.urandom` and `uuid.uuid4` read the kernel's generator on each call, which Lambda
  reseeds on restore: nothing to do for them.
- the signing keys: Powertools' parameters cache keeps the Secrets Manager value with the time it was
  read. Init reads none today, but a key cached before the snapshot must never outlive a rotation in a
  copy restored later: the cache is emptied.

Clients of boto3 stay: init creates none (they are built by the first request that needs them), and
one created before a snapshot would still work (botocore reconnects and refreshes its credentials).
`settings()` holds only the environment, which a restore does not change.

The hooks are registered only when Lambda initialises for a snapshot (AWS_LAMBDA_INITIALIZATION_TYPE
is "snap-start"), through the runtime's own `snapshot_restore_py`: an on-demand cold start, a test or
the local gateway imports nothing more. Delete this module if the stack stops offering SnapStart.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

INICIALIZACION_SNAPSTART = "snap-start"


def sembrar_aleatorios() -> None:
    """Reseeds `random` from os.urandom, if init imported it (a later import seeds itself)."""
    aleatorio = sys.modules.get("random")
    if aleatorio is not None:
        aleatorio.seed()


def olvidar_claves() -> None:
    """Empties the cache of Powertools' parameter providers (the signing keys), if this function loaded
    them; the providers and their clients stay."""
    constantes = sys.modules.get("aws_lambda_powertools.utilities.parameters.constants")
    for proveedor in getattr(constantes, "DEFAULT_PROVIDERS", {}).values():
        proveedor.clear_cache()


# Run in this order after each restore.
AL_RESTAURAR: tuple[Callable[[], None], ...] = (sembrar_aleatorios, olvidar_claves)


def instalar() -> bool:
    """Registers the hooks with the runtime when this init is a SnapStart one; True if it did."""
    if os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") != INICIALIZACION_SNAPSTART:
        return False
    try:
        from snapshot_restore_py import register_after_restore  # shipped by Lambda's Python runtimes
    except ImportError:  # only outside Lambda
        return False
    for gancho in AL_RESTAURAR:
        register_after_restore(gancho)
    return True
