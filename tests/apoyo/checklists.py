"""The exit checklist's calls shared by the checklist, Salida, state, report and e2e tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from monitor.core import jsoncodec, keys, table
from tests.apoyo.expedientes import RUTA

Invocar = Callable[..., dict[str, Any]]
RUTA_CHECKLIST = RUTA + "/checklist"
# What Salida needs of the checklist (docs/checklists.md).
APROBADO = {"aprobada": True, "fecha_entrega": "2024-04-02", "nombre_quien_recibe": "Juan García"}
PUNTO = {"sistema": "SISTEMA DE FRENO", "nombre_item": "Liquido de freno"}


def poner(
    invocar: Invocar, llamante: Any, no: str, cuerpo: Any, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    return invocar(
        "checklists_put",
        "PUT",
        RUTA_CHECKLIST,
        llamante=llamante,
        ruta_params={"no_siniestro": no},
        cuerpo=cuerpo if isinstance(cuerpo, str) else jsoncodec.dumps(cuerpo),  # exact decimals out
        headers=headers,
    )


def leer(invocar: Invocar, llamante: Any, no: str) -> dict[str, Any]:
    return invocar("checklists_get", "GET", RUTA_CHECKLIST, llamante=llamante, ruta_params={"no_siniestro": no})


def borrar(invocar: Invocar, llamante: Any, no: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    return invocar(
        "checklists_delete",
        "DELETE",
        RUTA_CHECKLIST,
        llamante=llamante,
        ruta_params={"no_siniestro": no},
        headers=headers,
    )


def aprobar_checklist(invocar: Invocar, llamante: Any, no: str, **extra: Any) -> dict[str, Any]:
    """The checklist Salida needs: approved, with the hand-over date and who receives the unit."""
    r = poner(invocar, llamante, no, {**APROBADO, **extra})
    assert r["statusCode"] in (200, 201), r["json"]
    return r["json"]


def guardado(no: str) -> dict[str, Any] | None:
    return table.get(keys.checklist(no), consistente=True)
