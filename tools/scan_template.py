"""`make scan`: checkov over template.yaml, failing on any finding that is neither fixed nor explained.

The project keeps no baseline file of accepted findings: each one is accepted where it lives, as
`Metadata: checkov: skip: [{id, comment}]` on the resource, with the reason in the comment
(docs/operations.md#checkov). So this fails when checkov reports a failed check or a skip without a
reason, and for each failure says what to do: usually, copy the skip that the resource's siblings
already carry (a new function gets the same three findings as every other function).

    .venv/bin/python tools/scan_template.py --checkov .tools/checkov/bin/checkov
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))

from tools import plantilla  # noqa: E402

CONFIGURACION = RAIZ / ".checkov.yaml"
SIN_COMENTARIO = "No comment provided"  # what checkov reports for a skip without `comment`


@dataclass(frozen=True)
class Hallazgo:
    check: str
    nombre: str
    tipo: str  # AWS::Serverless::Function
    recurso: str  # logical id
    linea: int

    @classmethod
    def de(cls, resultado: dict[str, Any]) -> Hallazgo:
        tipo, _, recurso = str(resultado["resource"]).partition(".")
        lineas = resultado.get("file_line_range") or [0]
        return cls(resultado["check_id"], resultado.get("check_name", ""), tipo, recurso, int(lineas[0]))


def ejecutar_checkov(checkov: str) -> dict[str, Any]:
    """checkov's JSON report (one framework, so one report). Exit code 1 only means "findings"."""
    orden = [checkov, "--config-file", str(CONFIGURACION), "--output", "json"]
    hecho = subprocess.run(orden, cwd=RAIZ, capture_output=True, text=True, check=False)
    try:
        informe = json.loads(hecho.stdout)
    except json.JSONDecodeError:
        raise SystemExit(f"checkov no produjo un informe JSON (código {hecho.returncode}):\n{hecho.stderr}") from None
    if isinstance(informe, list):  # several frameworks: the configuration asks for one
        informe = next(i for i in informe if i.get("check_type") == "cloudformation")
    if not isinstance(informe, dict) or "results" not in informe:
        raise SystemExit(f"Informe de checkov inesperado:\n{hecho.stdout[:2000]}")
    return informe


def omisiones(tipo: str) -> dict[str, tuple[str, str]]:
    """check id → (a resource of this type that skips it, its comment): what a new sibling should copy."""
    conocidas: dict[str, tuple[str, str]] = {}
    for nombre, recurso in plantilla.recursos(tipo).items():
        for omision in ((recurso.get("Metadata") or {}).get("checkov") or {}).get("skip") or []:
            conocidas.setdefault(str(omision.get("id")), (nombre, str(omision.get("comment", ""))))
    return conocidas


def consejo(hallazgo: Hallazgo) -> str:
    hermano = omisiones(hallazgo.tipo).get(hallazgo.check)
    if hermano is not None and hermano[0] != hallazgo.recurso:
        nombre, comentario = hermano
        return (
            f"    Los demás {hallazgo.tipo} lo omiten con una razón: copie de {nombre} a {hallazgo.recurso}\n"
            f"    Metadata:\n      checkov:\n        skip:\n          - id: {hallazgo.check}\n"
            f"            comment: {comentario}\n"
            f"    (o corríjalo, si en este recurso sí aplica)."
        )
    return (
        f"    Corríjalo en el recurso, o, si no aplica aquí, añada a {hallazgo.recurso}:\n"
        f"    Metadata:\n      checkov:\n        skip:\n          - id: {hallazgo.check}\n"
        f"            comment: <por qué no aplica a este recurso>"
    )


def revisar(informe: dict[str, Any]) -> list[str]:
    resultados = informe["results"]
    errores: list[str] = []
    for error in resultados.get("parsing_errors") or []:
        errores.append(f"checkov no pudo leer {error}")
    for resultado in resultados.get("failed_checks") or []:
        hallazgo = Hallazgo.de(resultado)
        errores.append(
            f"{hallazgo.check} en {hallazgo.recurso} ({hallazgo.tipo}, template.yaml:{hallazgo.linea}): "
            f"{hallazgo.nombre}\n{consejo(hallazgo)}"
        )
    for resultado in resultados.get("skipped_checks") or []:
        comentario = str((resultado.get("check_result") or {}).get("suppress_comment") or "").strip()
        if not comentario or comentario == SIN_COMENTARIO:
            hallazgo = Hallazgo.de(resultado)
            errores.append(
                f"{hallazgo.check} se omite en {hallazgo.recurso} (template.yaml:{hallazgo.linea}) sin razón: "
                "añada `comment:` diciendo por qué no aplica."
            )
    return errores


def resumen(informe: dict[str, Any]) -> str:
    datos = informe.get("summary") or {}
    omitidas = Counter(r["check_id"] for r in informe["results"].get("skipped_checks") or [])
    detalle = ", ".join(f"{check} ×{n}" for check, n in sorted(omitidas.items()))
    version, recursos = datos.get("checkov_version", "?"), datos.get("resource_count", "?")
    return (
        f"checkov {version} sobre template.yaml ({recursos} recursos): "
        f"{datos.get('passed', 0)} comprobaciones cumplen, {datos.get('skipped', 0)} omitidas con su razón "
        f"({detalle or 'ninguna'}), {datos.get('failed', 0)} hallazgos sin resolver"
    )


def main() -> int:
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--checkov", required=True, help="the checkov executable (make installs .tools/checkov)")
    opciones = argumentos.parse_args()
    if not Path(opciones.checkov).is_file():
        print(f"No existe {opciones.checkov}: `make scan` lo instala.", file=sys.stderr)
        return 2
    informe = ejecutar_checkov(opciones.checkov)
    errores = revisar(informe)
    print(resumen(informe))
    if errores:
        print(f"\n{len(errores)} hallazgo(s) de checkov sin corregir ni explicar:\n", file=sys.stderr)
        print("\n\n".join(errores), file=sys.stderr)
        print("\nVea docs/operations.md#checkov.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
