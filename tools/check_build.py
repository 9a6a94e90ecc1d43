"""Checks `sam build` output: the layer is built for the functions' architecture, ships no
runtime-provided or development packages, carries bytecode; each function ships only its own code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))

from tools import plantilla  # noqa: E402

BUILD = RAIZ / ".aws-sam" / "build"
PAQUETE = RAIZ / "layers" / "common" / "monitor"
MAQUINA_ELF = {"arm64": 0xB7, "x86_64": 0x3E}
LIMITE_CAPA = 20 * 1024 * 1024
LIMITE_LAMBDA = 250 * 1024 * 1024
PROHIBIDOS_EN_CAPA = {
    "boto3",
    "botocore",
    "s3transfer",
    "pytest",
    "moto",
    "_pytest",
    "mypy",
    "ruff",
    "cryptography",
    "openpyxl",  # the spreadsheet layer's, attached only where forms are filled
    "PIL",
}
EN_CAPA_XLSX = ("openpyxl", "PIL", "et_xmlfile", "defusedxml")
PERMITIDOS_EN_FUNCION = {"app.py", "__pycache__"}


def datos_del_paquete() -> list[Path]:
    """Files the package reads at run time besides its code (the checklist's catalog, ...)."""
    return sorted(f for f in PAQUETE.rglob("*") if f.is_file() and f.suffix not in {".py", ".pyc"})


def tamano(ruta: Path) -> int:
    return sum(f.stat().st_size for f in ruta.rglob("*") if f.is_file())


def maquina_elf(so: Path) -> int:
    cabecera = so.read_bytes()[:20]
    if cabecera[:4] != b"\x7fELF":
        raise ValueError(f"{so} no es ELF")
    return int.from_bytes(cabecera[18:20], "little")


def revisar(arquitectura: str) -> list[str]:
    errores: list[str] = []
    capa = BUILD / "CommonLayer" / "python"
    if not capa.is_dir():
        return [f"No existe {capa}: ejecute make build"]
    objetos = list(capa.rglob("*.so"))
    if not objetos:
        errores.append("La capa no tiene extensiones nativas (¿falta pydantic-core?)")
    for so in objetos:
        if maquina_elf(so) != MAQUINA_ELF[arquitectura]:
            errores.append(f"{so.relative_to(BUILD)} no es {arquitectura}")
    presentes = {p.name for p in capa.iterdir()}
    for prohibido in sorted(PROHIBIDOS_EN_CAPA & presentes):
        errores.append(f"La capa incluye {prohibido}, que no debe enviarse")
    if not (capa / "monitor" / "__init__.py").is_file():
        errores.append("La capa no incluye el paquete monitor")
    for dato in datos_del_paquete():
        enviado = capa / "monitor" / dato.relative_to(PAQUETE)
        if not enviado.is_file() or enviado.read_bytes() != dato.read_bytes():
            errores.append(f"La capa no incluye {dato.relative_to(RAIZ)} tal cual (lo carga en ejecución)")
    if not (capa / "tzdata" / "zoneinfo" / "America" / "Mexico_City").is_file():
        errores.append("La capa no incluye tzdata (zona horaria del taller si el runtime no trae la base IANA)")
    fuentes = list((capa / "monitor").rglob("*.py"))
    compilados = list((capa / "monitor").rglob("__pycache__/*.cpython-313.pyc"))
    if len(compilados) < len(fuentes):
        errores.append(f"Bytecode incompleto en monitor: {len(compilados)} .pyc para {len(fuentes)} .py")
    peso = tamano(capa)
    if peso > LIMITE_CAPA:
        errores.append(f"La capa ocupa {peso / 2**20:.1f} MiB descomprimida (> {LIMITE_CAPA / 2**20:.0f} MiB)")

    plantillas = sorted(p.name for p in (capa / "monitor" / "formatos" / "plantillas").glob("*.xlsx"))
    if plantillas != ["checklist.xlsx", "expediente.xlsx", "levantamiento.xlsx"]:
        errores.append(f"La capa no lleva las tres plantillas de formatos: {plantillas}")
    peso_xlsx, errores_xlsx = revisar_xlsx(arquitectura)
    errores += errores_xlsx

    funciones = plantilla.recursos("AWS::Serverless::Function")
    for nombre, recurso in funciones.items():
        capas_propias = recurso["Properties"].get("Layers") or []
        directorio = BUILD / nombre
        if not (directorio / "app.py").is_file():
            errores.append(f"{nombre}: falta app.py en el artefacto")
            continue
        sobrantes = {p.name for p in directorio.iterdir()} - PERMITIDOS_EN_FUNCION
        if sobrantes:
            errores.append(f"{nombre}: envía archivos que no son su código: {sorted(sobrantes)}")
        if not list((directorio / "__pycache__").glob("app.cpython-313.pyc")):
            errores.append(f"{nombre}: sin bytecode compilado")
        if tamano(directorio) + peso + (peso_xlsx if capas_propias else 0) > LIMITE_LAMBDA:
            errores.append(f"{nombre}: supera el límite de Lambda de 250 MiB con la capa")
    print(
        f"capa: {peso / 2**20:.2f} MiB, {len(objetos)} extensiones {arquitectura};"
        f" capa xlsx: {peso_xlsx / 2**20:.2f} MiB; funciones: {len(funciones)}"
    )
    return errores


def revisar_xlsx(arquitectura: str) -> tuple[int, list[str]]:
    """The spreadsheet layer: openpyxl with Pillow (native, for the functions' architecture) and defusedxml."""
    capa = BUILD / "XlsxLayer" / "python"
    if not capa.is_dir():
        return 0, [f"No existe {capa}: ejecute make build"]
    errores = [f"La capa xlsx no incluye {p}" for p in EN_CAPA_XLSX if not (capa / p).is_dir()]
    objetos = list(capa.rglob("*.so"))
    if not objetos:
        errores.append("La capa xlsx no tiene extensiones nativas (¿falta Pillow?)")
    errores += [
        f"{so.relative_to(BUILD)} no es {arquitectura}"
        for so in objetos
        if maquina_elf(so) != MAQUINA_ELF[arquitectura]
    ]
    return tamano(capa), errores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--arch", choices=sorted(MAQUINA_ELF), default="arm64")
    errores = revisar(parser.parse_args().arch)
    for error in errores:
        print(f"ERROR: {error}", file=sys.stderr)
    if not errores:
        print("Artefactos de sam build correctos")
    return 1 if errores else 0


if __name__ == "__main__":
    sys.exit(main())
