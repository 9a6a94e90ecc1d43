"""openpyxl stays out of the common layer and out of every cold start: only the cycle report's function and the
form functions that open workbooks (tests/unit/test_formatos_capas.py) attach the spreadsheet layer; the cycle
report loads openpyxl at the first workbook, not at init."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from tools import plantilla

RAIZ = Path(__file__).resolve().parents[2]
CAPA = RAIZ / "layers" / "common"


def test_only_the_spreadsheet_modules_import_openpyxl_and_the_reports_only_inside_a_function() -> None:
    importadores = {}
    for archivo in (CAPA / "monitor").rglob("*.py"):
        arbol = ast.parse(archivo.read_text(encoding="utf-8"))
        for nodo in ast.walk(arbol):
            nombres = [a.name for a in nodo.names] if isinstance(nodo, ast.Import) else []
            if isinstance(nodo, ast.ImportFrom) and nodo.module:
                nombres = [nodo.module]
            if any(n.split(".")[0] == "openpyxl" for n in nombres):
                importadores.setdefault(archivo.relative_to(CAPA).as_posix(), []).append(nodo.col_offset)
    assert set(importadores) == {"monitor/core/xlsx.py", "monitor/formatos/llenado.py"}
    assert all(columna > 0 for columna in importadores["monitor/core/xlsx.py"])  # indented: inside a function


def test_the_spreadsheet_layer_is_attached_to_the_cycle_report_and_the_form_functions_alone() -> None:
    funciones = plantilla.recursos("AWS::Serverless::Function")
    con_hojas = {n for n, r in funciones.items() if {"Ref": "XlsxLayer"} in (r["Properties"].get("Layers") or [])}
    assert con_hojas == {"ReportesCicloFunction", "FormatosGetFunction", "FormatosPlantillasConfirmFunction"}
    assert "openpyxl" not in (CAPA / "requirements.txt").read_text(encoding="utf-8")
    assert "openpyxl" in (RAIZ / "layers" / "xlsx" / "requirements.txt").read_text(encoding="utf-8")


def test_the_cycle_function_does_not_load_openpyxl_at_init() -> None:
    codigo = "\n".join(
        [
            "import json, sys",
            f"sys.path[:0] = [{str(RAIZ / 'functions' / 'reportes_ciclo')!r}, {str(CAPA)!r}]",
            "import app",
            "print(json.dumps('openpyxl' in sys.modules))",
        ]
    )
    entorno = {"MONITOR_TABLE": "t", "MONITOR_JWT_SECRET_ID": "s", "AWS_DEFAULT_REGION": "us-east-1", "PATH": ""}
    hecho = subprocess.run(
        [sys.executable, "-c", codigo], capture_output=True, text=True, env=entorno, timeout=120, check=True
    )
    assert json.loads(hecho.stdout.strip().splitlines()[-1]) is False
