"""openpyxl (and Pillow) stay out of the common layer and out of every cold start but the two functions that
open workbooks on every request: those attach the spreadsheet layer and load it at init."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tools import plantilla

RAIZ = Path(__file__).resolve().parents[2]
CAPA = RAIZ / "layers" / "common"
CON_HOJAS = {"FormatosGetFunction", "FormatosPlantillasConfirmFunction"}
PESADOS = ("openpyxl", "PIL")


def test_the_form_functions_that_open_workbooks_attach_the_spreadsheet_layer() -> None:
    funciones = plantilla.recursos("AWS::Serverless::Function")
    con_hojas = {n for n, r in funciones.items() if {"Ref": "XlsxLayer"} in (r["Properties"].get("Layers") or [])}
    assert {n for n in con_hojas if n.startswith("Formatos")} == CON_HOJAS
    comun = (CAPA / "requirements.txt").read_text(encoding="utf-8").lower()
    assert "pillow" not in comun
    hojas = (RAIZ / "layers" / "xlsx" / "requirements.txt").read_text(encoding="utf-8").lower()
    assert {"openpyxl", "pillow", "defusedxml"} <= {linea.split("==")[0] for linea in hojas.splitlines()}


def _cargados_al_iniciar(funcion: str) -> dict[str, bool]:
    codigo = "\n".join(
        [
            "import json, sys",
            f"sys.path[:0] = [{str(RAIZ / 'functions' / funcion)!r}, {str(CAPA)!r}]",
            "import app",
            f"print(json.dumps({{m: m in sys.modules for m in {list(PESADOS)!r}}}))",
        ]
    )
    entorno = {"MONITOR_TABLE": "t", "MONITOR_JWT_SECRET_ID": "s", "AWS_DEFAULT_REGION": "us-east-1", "PATH": ""}
    hecho = subprocess.run(
        [sys.executable, "-c", codigo], capture_output=True, text=True, env=entorno, timeout=120, check=True
    )
    resultado: dict[str, bool] = json.loads(hecho.stdout.strip().splitlines()[-1])
    return resultado


@pytest.mark.parametrize(
    "funcion",
    ["formatos_get", "formatos_plantillas_confirm", "formatos_plantillas_put", "formatos_plantillas_get"],
)
def test_openpyxl_is_loaded_at_init_exactly_where_every_request_needs_it(funcion: str) -> None:
    necesita = funcion in ("formatos_get", "formatos_plantillas_confirm")
    # openpyxl imports Pillow with it (to read images): both, or neither.
    assert _cargados_al_iniciar(funcion) == {"openpyxl": necesita, "PIL": necesita}
