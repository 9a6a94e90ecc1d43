"""Build artefacts the benchmark reads: an x86_64 copy of `sam build` (this machine cannot import the
arm64 layer's native extensions) and the sizes of the real arm64 build from `make build`.

The x86_64 copy lives in bench/.work (git-ignored) and is rebuilt only when its inputs change, so a
repeated `make bench` does not pay for a second `sam build`.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))

from tools import plantilla  # noqa: E402

TRABAJO = RAIZ / "bench" / ".work"
BUILD_X86 = TRABAJO / "build-x86_64"
BUILD_ARM = RAIZ / ".aws-sam" / "build"
SAM = RAIZ / ".tools" / "sam" / "bin" / "sam"
SELLO = BUILD_X86 / ".entradas"
LIMITE_LAMBDA = 250 * 2**20  # unzipped, function + layers
OBJETIVO_CAPA = 20 * 2**20  # layer <= 20 MB unzipped (bench/README.md)


@dataclass(frozen=True)
class Funcion:
    logico: str  # logical id in template.yaml (directory name in the build output)
    nombre: str  # functions/<nombre>
    codigo: Path

    @property
    def existe(self) -> bool:
        return (self.codigo / "app.py").is_file()


def funciones() -> list[Funcion]:
    """Every function the template declares, in template order."""
    resultado = []
    for logico in plantilla.recursos("AWS::Serverless::Function"):
        codigo = plantilla.codigo_funcion(logico)
        resultado.append(Funcion(logico, codigo.name, codigo))
    return resultado


def _sello() -> str:
    """Hash of everything that goes into the build, so an unchanged tree skips the rebuild."""
    h = hashlib.sha256()
    archivos = [
        RAIZ / "template.yaml",
        *sorted((RAIZ / "layers" / "common").rglob("*")),
        *sorted((RAIZ / "layers" / "xlsx").rglob("*")),
        *sorted((RAIZ / "functions").rglob("*")),
    ]
    for archivo in archivos:
        if archivo.is_file() and "__pycache__" not in archivo.parts:
            h.update(str(archivo.relative_to(RAIZ)).encode())
            h.update(archivo.read_bytes())
    return h.hexdigest()


def _plantilla_filtrada(faltantes: set[str]) -> Path:
    """The template without functions whose code does not exist yet (sam build would fail on them).

    Written as JSON (CloudFormation accepts it) with absolute code paths, since it lives in bench/.work.
    """
    datos = json.loads(json.dumps(plantilla.cargar()))
    recursos = datos["Resources"]
    for logico in faltantes:
        recursos.pop(logico, None)
    for recurso in recursos.values():
        props = recurso.get("Properties") or {}
        for campo in ("CodeUri", "ContentUri"):
            if isinstance(props.get(campo), str):
                props[campo] = str(RAIZ / props[campo])
    destino = TRABAJO / "template-filtrada.json"
    destino.write_text(json.dumps(datos, indent=1), encoding="utf-8")
    return destino


def construir_x86(python: str) -> tuple[Path | None, list[str]]:
    """(build dir or None, notes). Builds only functions whose app.py exists, and says which it skipped."""
    notas: list[str] = []
    faltantes = {f.logico for f in funciones() if not f.existe}
    if faltantes:
        notas.append(f"build x86_64 sin {len(faltantes)} funciones aún inexistentes: {', '.join(sorted(faltantes))}")
    sello = _sello()
    if SELLO.is_file() and SELLO.read_text() == sello:
        return BUILD_X86, [*notas, "build x86_64 reutilizado (entradas sin cambios)"]
    TRABAJO.mkdir(parents=True, exist_ok=True)
    bin_python = str(Path(python).parent)
    entorno = {
        **os.environ,
        "PATH": f"{bin_python}:{os.environ.get('PATH', '')}",
        "MONITOR_PYTHON": python,
        "MONITOR_ARCH": "x86_64",
        "SAM_CLI_TELEMETRY": "0",
    }
    orden = [str(SAM), "build", "--build-dir", str(BUILD_X86), "--parameter-overrides", "Architecture=x86_64"]
    if faltantes:
        orden += ["--template-file", str(_plantilla_filtrada(faltantes))]
    registro = TRABAJO / "build-x86_64.log"
    with registro.open("w") as salida:
        hecho = subprocess.run(orden, cwd=RAIZ, env=entorno, stdout=salida, stderr=subprocess.STDOUT, check=False)  # noqa: S603
    if hecho.returncode != 0:
        return None, [*notas, f"sam build x86_64 falló (ver {registro.relative_to(RAIZ)})"]
    # As `make build` does: Lambda cannot write __pycache__, so ship hash-checked bytecode.
    subprocess.run(  # noqa: S603
        [python, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash", str(BUILD_X86)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    SELLO.write_text(sello)
    return BUILD_X86, notas


def tamano(ruta: Path) -> int:
    return sum(f.stat().st_size for f in ruta.rglob("*") if f.is_file())


@dataclass(frozen=True)
class Tamanos:
    capa: int | None
    funciones: dict[str, int | None]  # function name -> bytes (None: not in the build)


def tamanos(build: Path = BUILD_ARM) -> Tamanos:
    """Unzipped bytes as Lambda counts them: the layer's /opt content and each function's /var/task."""
    capa_dir = build / "CommonLayer"
    capa = tamano(capa_dir) if capa_dir.is_dir() else None
    por_funcion: dict[str, int | None] = {}
    for f in funciones():
        directorio = build / f.logico
        por_funcion[f.nombre] = tamano(directorio) if (directorio / "app.py").is_file() else None
    return Tamanos(capa, por_funcion)


def contenido_extra(build: Path = BUILD_ARM) -> dict[str, list[str]]:
    """Files a function ships beyond its own code (a function ships nothing more than its own code)."""
    extra: dict[str, list[str]] = {}
    for f in funciones():
        directorio = build / f.logico
        if directorio.is_dir():
            sobrantes = sorted(p.name for p in directorio.iterdir() if p.name not in {"app.py", "__pycache__"})
            if sobrantes:
                extra[f.nombre] = sobrantes
    return extra
