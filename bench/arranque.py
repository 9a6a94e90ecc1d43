"""Cold init per function: fresh interpreters importing each function the way Lambda does, against
the floor of a process that only imports boto3 and creates the DynamoDB client.

Every probe is a separate `python -I -S -B bench/sonda.py` process (see sonda.py). Probes are
interleaved: a floor probe opens every small block of function probes, and each function sample is
divided by the median floor of its block and its neighbours in time (`pisos_vecinos`), so a burst of load
on this shared machine hits both sides of the ratio while one odd floor sample does not. Rounds repeat
until the requested count or the time budget runs out.
"""

from __future__ import annotations

import importlib.util
import json
import os
import py_compile
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from bench import construccion
from bench.estadistica import Resumen, razones
from tools import plantilla

RAIZ = construccion.RAIZ
SONDA = RAIZ / "bench" / "sonda.py"
EVENTOS = RAIZ / "events"
RUNTIME = construccion.TRABAJO / "runtime"
PYCACHE_FUENTE = construccion.TRABAJO / "pycache-fuente"
SITE_VENV = Path(next(p for p in sys.path if p.endswith("site-packages")))
# What the python3.13 Lambda runtime itself provides (/var/runtime); the layer must bring the rest.
PAQUETES_RUNTIME = ("boto3", "botocore", "s3transfer", "jmespath", "urllib3", "dateutil", "six.py")
BLOQUE = 4  # function probes per floor probe
VECINOS = 2  # floors on each side that make up a sample's reference (pisos_vecinos)
# Functions also measured with tracing on and from source (the Tracer and bytecode effects are the same
# machinery in every function; a sample keeps the run within its time budget).
MUESTRA = ("auth_authorizer", "salud", "auth_login", "expedientes_update", "ordenes_receive")
# A reference row, not a function: the floor plus what Powertools' validation imports (sonda.PILA_VALIDACION).
PILA = "(piso + validación)"
# The form functions' reference: that stack plus openpyxl (the spreadsheet layer), which they load at init.
PILA_XLSX = "(piso + validación + openpyxl)"
REFERENCIAS = (PILA, PILA_XLSX)
# Counted in instructions too (callgrind): exact where time is noisy, so a change's effect is not a guess.
CONTADAS = (
    *MUESTRA,
    "expedientes_get",
    "levantamientos_put",
    "levantamientos_conceptos_create",
    "levantamientos_conceptos_update",
)
OBJETIVO = 1.3  # issue 9: every endpoint function <= 1.3x the floor
OBJETIVO_AUTORIZADOR = 1.2
OBJETIVO_BYTECODE = 1.05


def preparar_runtime() -> Path:
    """A directory holding only the runtime-provided packages (symlinks into the venv), so a function
    that needs a package the layer does not ship fails here instead of finding it in the venv.

    A module linked by itself (six.py) looks for its bytecode beside the link, not in the venv: compiled
    here once, or every probe (-B) would compile it from source, floor included, as Lambda's runtime never does.
    """
    RUNTIME.mkdir(parents=True, exist_ok=True)
    for nombre in PAQUETES_RUNTIME:
        enlace = RUNTIME / nombre
        if not enlace.exists():
            enlace.symlink_to(SITE_VENV / nombre)
        if enlace.suffix == ".py":
            py_compile.compile(str(enlace), cfile=importlib.util.cache_from_source(str(enlace)), doraise=True)
    return RUNTIME


def entorno_lambda(
    base: dict[str, str], funcion: str, raiz_tarea: Path, *, traza: bool, pausa: bool = True
) -> dict[str, str]:
    """The variables Lambda and template.yaml set; tracing on means POWERTOOLS_TRACE_DISABLED unset, and
    `pausa=False` leaves out AWS_LAMBDA_FUNCTION_NAME, so `monitor.recolector` does not pause the collector."""
    entorno = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "TZ": ":UTC",
        **base,
        "LAMBDA_TASK_ROOT": str(raiz_tarea),
        "LAMBDA_RUNTIME_DIR": str(RUNTIME),
        "AWS_LAMBDA_FUNCTION_NAME": f"monitor-{funcion}",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
        "_HANDLER": "app.lambda_handler",
        "POWERTOOLS_LOG_LEVEL": "INFO",
        "POWERTOOLS_TRACER_CAPTURE_ERROR": "false",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    if traza:
        entorno.pop("POWERTOOLS_TRACE_DISABLED", None)
    if not pausa:
        entorno.pop("AWS_LAMBDA_FUNCTION_NAME")
    return entorno


@dataclass(frozen=True)
class Sonda:
    """One way of starting a fresh process: its sys.path, environment and interpreter flags."""

    modo: str  # "piso", "pila" (floor + validation stack), "funcion" or "vacio" (nothing imported)
    rutas: tuple[str, ...]
    entorno: dict[str, str]
    banderas: tuple[str, ...] = ("-I", "-S", "-B")
    evento: str | None = None  # served once after init (sonda._primera)

    def orden(self, python: str, *extra: str) -> list[str]:
        carga = json.dumps({"modo": self.modo, "rutas": list(self.rutas), "evento": self.evento})
        return [python, *self.banderas, *extra, str(SONDA), carga]

    def lanzar(
        self, python: str, *extra: str, delante: tuple[str, ...] = (), timeout: float = 60
    ) -> subprocess.CompletedProcess[str]:
        """One run of the probe: `extra` are interpreter flags, `delante` a command that wraps it (valgrind)."""
        return subprocess.run(  # noqa: S603
            [*delante, *self.orden(python, *extra)],
            env=self.entorno,
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
        )

    def medir(self, python: str) -> dict[str, object]:
        hecho = self.lanzar(python)
        if hecho.returncode != 0:
            ultima = (hecho.stderr.strip().splitlines() or ["?"])[-1]
            raise RuntimeError(f"la sonda falló: {ultima}")
        resultado: dict[str, object] = json.loads(hecho.stdout.strip().splitlines()[-1])
        return resultado


@dataclass
class Medidas:
    """Samples per (function, variant); each function sample keeps the index of its block's floor, and is
    divided by the median of the floors around it (`pisos_vecinos`)."""

    ms: dict[tuple[str, str], list[float]] = field(default_factory=lambda: defaultdict(list))
    # Floor samples in the order they were taken.
    indice_piso: dict[tuple[str, str], list[int]] = field(default_factory=lambda: defaultdict(list))
    piso: list[float] = field(default_factory=list)
    # The same in CPU time of the probe process (process_time): robust to other processes' load.
    cpu: dict[tuple[str, str], list[float]] = field(default_factory=lambda: defaultdict(list))
    piso_cpu: list[float] = field(default_factory=list)
    cargados: dict[str, list[str]] = field(default_factory=dict)
    modulos: dict[str, int] = field(default_factory=dict)  # len(sys.modules) after init: exact, unlike time
    modulos_piso: int = 0
    primera_cpu: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    estados: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    errores: dict[str, str] = field(default_factory=dict)
    rondas: int = 0


def con_hojas(funcion: str) -> bool:
    """Does the function attach the spreadsheet layer (so its probe finds it on the path, as in Lambda)?"""
    for recurso in plantilla.recursos("AWS::Serverless::Function").values():
        if str(recurso["Properties"].get("CodeUri", "")).rstrip("/").endswith(f"/{funcion}"):
            return {"Ref": "XlsxLayer"} in (recurso["Properties"].get("Layers") or [])
    return False


# Functions that load openpyxl at init (every request opens a workbook): judged against PILA_XLSX. The cycle
# report attaches the layer too but loads openpyxl at its first workbook: the floor's target holds for it.
CON_OPENPYXL_AL_INICIAR = ("formatos_get", "formatos_plantillas_confirm")


def objetivo(funcion: str) -> float | None:
    """The target ratio to the floor; None for a reference row or a form function (judged by its reference)."""
    if funcion in REFERENCIAS or funcion in CON_OPENPYXL_AL_INICIAR:
        return None
    return OBJETIVO_AUTORIZADOR if funcion == "auth_authorizer" else OBJETIVO


@dataclass(frozen=True)
class FilaArranque:
    funcion: str
    init: Resumen | None
    piso: Resumen | None
    razon: Resumen | None
    razon_cpu: Resumen | None
    traza_extra_ms: float | None
    bytecode: Resumen | None
    cargados: list[str]
    error: str | None = None
    primera: Resumen | None = None
    estados: tuple[int, ...] = ()
    modulos_extra: int | None = None  # modules imported beyond the floor's
    pausa_ms: float | None = None  # CPU ms the collector's pause changes init by (negative: saved)

    @property
    def objetivo(self) -> float | None:
        return objetivo(self.funcion)


class Arranque:
    """Plans the probes for every function and variant, runs the rounds and summarises them."""

    def __init__(self, python: str, build: Path | None, base: dict[str, str], *, peticion: bool = False) -> None:
        """`peticion`: `base` points at a live moto, so each build probe also serves its events/ request."""
        self.python = python
        self.build = build
        self.base = base
        self.peticion = peticion
        self.runtime = preparar_runtime()
        self.funciones = [f for f in construccion.funciones() if f.existe]

    def _sonda_build(self, f: construccion.Funcion, *, traza: bool, pausa: bool = True) -> Sonda | None:
        if self.build is None or not (self.build / f.logico / "app.py").is_file():
            return None
        tarea = self.build / f.logico
        capas = [str(self.build / "CommonLayer" / "python")]
        if con_hojas(f.nombre):  # Lambda unpacks every layer into /opt/python
            capas.append(str(self.build / "XlsxLayer" / "python"))
        evento = EVENTOS / f"{f.nombre}.json"
        variante = not traza and pausa
        return Sonda(
            "funcion",
            (str(tarea), *capas, str(self.runtime)),
            entorno_lambda(self.base, f.nombre, tarea, traza=traza, pausa=pausa),
            evento=str(evento) if self.peticion and variante and evento.is_file() else None,
        )

    def _sonda_fuente(self, f: construccion.Funcion) -> Sonda:
        """Source tree with a warm bytecode cache kept in bench/.work (the tree itself stays untouched)."""
        rutas = (str(f.codigo), str(RAIZ / "layers" / "common"), str(SITE_VENV))
        entorno = entorno_lambda(self.base, f.nombre, f.codigo, traza=False)
        return Sonda("funcion", rutas, entorno, ("-I", "-S", "-X", f"pycache_prefix={PYCACHE_FUENTE}"))

    def piso(self, modo: str = "piso") -> Sonda:
        rutas: tuple[str, ...] = (str(self.runtime),)
        if modo in ("pila", "pila_xlsx") and self.build is not None:
            rutas = (str(self.build / "CommonLayer" / "python"), *rutas)
        if modo == "pila_xlsx" and self.build is not None:
            rutas = (str(self.build / "XlsxLayer" / "python"), *rutas)
        return Sonda(modo, rutas, entorno_lambda(self.base, "piso", self.runtime, traza=False))

    def plan(self) -> list[tuple[str, str, Sonda]]:
        """(function, variant, probe) for one round: 'build' for all, 'traza', 'sin_pausa' and 'fuente' for
        MUESTRA, and the validation stack's reference row."""
        tareas: list[tuple[str, str, Sonda]] = []
        if self.build:
            tareas += [(PILA, "build", self.piso("pila")), (PILA_XLSX, "build", self.piso("pila_xlsx"))]
        for f in self.funciones:
            sonda = self._sonda_build(f, traza=False)
            if sonda is not None:
                tareas.append((f.nombre, "build", sonda))
            if f.nombre in MUESTRA:
                traza = self._sonda_build(f, traza=True)
                if traza is not None:
                    tareas.append((f.nombre, "traza", traza))
                sin_pausa = self._sonda_build(f, traza=False, pausa=False)
                if sin_pausa is not None:
                    tareas.append((f.nombre, "sin_pausa", sin_pausa))
                tareas.append((f.nombre, "fuente", self._sonda_fuente(f)))
        return tareas

    def calentar(self, tareas: list[tuple[str, str, Sonda]]) -> None:
        """One untimed run of each source probe fills the bytecode cache ('warm __pycache__')."""
        for _, variante, sonda in tareas:
            if variante == "fuente":
                sonda.medir(self.python)

    def medir(self, rondas: int, minimo: int, presupuesto_s: float, paralelo: int = 1) -> Medidas:
        """Rounds of shuffled blocks (one floor + BLOQUE function probes each), `paralelo` blocks at a time.

        Running two blocks at once halves the wall time on a 2-CPU machine; every sample is still divided
        by floors taken around it, under the same contention (`pisos_vecinos`).
        """
        medidas = Medidas()
        tareas = self.plan()
        piso = self.piso()
        try:
            self.calentar(tareas)
        except RuntimeError as exc:
            medidas.errores["(calentamiento)"] = str(exc)
        inicio = time.monotonic()
        azar = random.Random(9)  # noqa: S311 - shuffling probe order, not security
        cerrojo = threading.Lock()
        with ThreadPoolExecutor(max_workers=max(1, paralelo)) as ejecutor:
            for ronda in range(rondas):
                if ronda >= minimo and time.monotonic() - inicio > presupuesto_s:
                    break
                orden = tareas[:]
                azar.shuffle(orden)
                bloques = [orden[i : i + BLOQUE] for i in range(0, len(orden), BLOQUE)]
                list(ejecutor.map(lambda bloque: self._bloque(bloque, piso, medidas, cerrojo), bloques))
                medidas.rondas = ronda + 1
        return medidas

    def _bloque(
        self, bloque: list[tuple[str, str, Sonda]], piso: Sonda, medidas: Medidas, cerrojo: threading.Lock
    ) -> None:
        medida_piso = piso.medir(self.python)
        valor_piso = float(medida_piso["total_ms"])  # type: ignore[arg-type]
        cpu_piso = float(medida_piso["cpu_ms"])  # type: ignore[arg-type]
        with cerrojo:
            medidas.modulos_piso = int(medida_piso["modulos"])  # type: ignore[call-overload]
            indice = len(medidas.piso)
            medidas.piso.append(valor_piso)
            medidas.piso_cpu.append(cpu_piso)
        for nombre, variante, sonda in bloque:
            if nombre in medidas.errores:
                continue
            try:
                resultado = sonda.medir(self.python)
            except RuntimeError as exc:
                medidas.errores[nombre] = str(exc)
                continue
            with cerrojo:
                medidas.ms[(nombre, variante)].append(float(resultado["total_ms"]))  # type: ignore[arg-type]
                medidas.indice_piso[(nombre, variante)].append(indice)
                medidas.cpu[(nombre, variante)].append(float(resultado["cpu_ms"]))  # type: ignore[arg-type]
                if variante == "build":
                    medidas.cargados[nombre] = list(resultado.get("cargados", []))  # type: ignore[call-overload]
                    medidas.modulos[nombre] = int(resultado["modulos"])  # type: ignore[call-overload]
                    if "primera_cpu_ms" in resultado:
                        medidas.primera_cpu[nombre].append(float(resultado["primera_cpu_ms"]))  # type: ignore[arg-type]
                        medidas.estados[nombre].add(int(resultado["status"]))  # type: ignore[call-overload]

    def filas(self, medidas: Medidas) -> list[FilaArranque]:
        """One row per function of the template; those without code yet come out empty ("pendiente")."""
        filas = []
        for nombre in [*(f.nombre for f in construccion.funciones()), *(REFERENCIAS if self.build else ())]:
            muestras = medidas.ms.get((nombre, "build"), [])
            if not muestras:
                error = medidas.errores.get(nombre)
                filas.append(FilaArranque(nombre, None, None, None, None, None, None, [], error))
                continue
            pisos = pisos_vecinos(medidas.piso, medidas.indice_piso[(nombre, "build")])
            relativas = razones(muestras, pisos)
            cpu = self._relativas_cpu(medidas, nombre, "build")
            # Variant against variant (Tracer on, collector not paused, source tree) in CPU time, each first
            # divided by the floors around it: what is compared is the work done, which wall-clock noise
            # would otherwise swamp.
            piso_cpu = Resumen.de(medidas.piso_cpu).mediana
            sin_pausa = self._diferencia_cpu(medidas, nombre, "sin_pausa", cpu, piso_cpu)
            fuente = self._relativas_cpu(medidas, nombre, "fuente")
            bytecode = Resumen.de(razones(cpu, fuente)) if fuente and len(fuente) == len(cpu) else None
            filas.append(
                FilaArranque(
                    nombre,
                    Resumen.de(muestras),
                    Resumen.de(pisos),
                    Resumen.de(relativas),
                    Resumen.de(cpu),
                    self._diferencia_cpu(medidas, nombre, "traza", cpu, piso_cpu),
                    bytecode,
                    medidas.cargados.get(nombre, []),
                    medidas.errores.get(nombre),
                    Resumen.de(medidas.primera_cpu[nombre]) if medidas.primera_cpu.get(nombre) else None,
                    tuple(sorted(medidas.estados.get(nombre, ()))),
                    medidas.modulos[nombre] - medidas.modulos_piso if nombre in medidas.modulos else None,
                    -sin_pausa if sin_pausa is not None else None,
                )
            )
        return filas

    @classmethod
    def _diferencia_cpu(
        cls, medidas: Medidas, nombre: str, variante: str, cpu: list[float], piso_cpu: float
    ) -> float | None:
        """CPU ms a variant adds to the build probe: difference of floor-normalised medians, times the floor."""
        otra = cls._relativas_cpu(medidas, nombre, variante)
        return (Resumen.de(otra).mediana - Resumen.de(cpu).mediana) * piso_cpu if otra else None

    @staticmethod
    def _relativas_cpu(medidas: Medidas, nombre: str, variante: str) -> list[float]:
        pisos = pisos_vecinos(medidas.piso_cpu, medidas.indice_piso.get((nombre, variante), []))
        return razones(medidas.cpu.get((nombre, variante), []), pisos)

    def instrucciones(self, paralelo: int = 2) -> list[Instrucciones]:
        """Floor, reference row and CONTADAS, init only, one callgrind run each; none without valgrind or a
        build. A failed probe gets a row with its error; a failed floor or empty probe, no table."""
        valgrind = shutil.which("valgrind")
        if valgrind is None or self.build is None:
            return []
        sondas = {
            "vacio": replace(self.piso(), modo="vacio"),
            "piso": self.piso(),
            PILA: self.piso("pila"),
            PILA_XLSX: self.piso("pila_xlsx"),
        }
        for f in self.funciones:
            if f.nombre in CONTADAS and (sonda := self._sonda_build(f, traza=False)) is not None:
                sondas[f.nombre] = replace(sonda, evento=None)
        with ThreadPoolExecutor(max_workers=max(1, paralelo)) as ejecutor:
            contadas = ejecutor.map(lambda s: contar_instrucciones(valgrind, self.python, s), sondas.values())
            cuentas = dict(zip(sondas, contadas, strict=True))
        vacio, piso = cuentas.pop("vacio"), cuentas["piso"]
        if not isinstance(vacio, int) or not isinstance(piso, int):
            raise RuntimeError(f"callgrind falló en el piso: {vacio if isinstance(piso, int) else piso}")
        return [
            Instrucciones(nombre, total, vacio, piso)
            if isinstance(total, int)
            else Instrucciones(nombre, None, vacio, piso, error=total)
            for nombre, total in cuentas.items()
        ]

    def importtime(self, nombre: str) -> list[tuple[str, float, float]]:
        """`-X importtime` of one function's cold import: (module, cumulative ms, self ms), largest cumulative first."""
        f = next(f for f in self.funciones if f.nombre == nombre)
        sonda = replace(self._sonda_build(f, traza=False) or self._sonda_fuente(f), evento=None)  # init only
        hecho = sonda.lanzar(self.python, "-X", "importtime")
        filas = []
        for linea in hecho.stderr.splitlines():
            if not linea.startswith("import time:") or "imported package" in linea:
                continue
            propio, acumulado, modulo = (p.strip() for p in linea.removeprefix("import time:").split("|"))
            filas.append((modulo, int(acumulado) / 1000, int(propio) / 1000))
        filas.sort(key=lambda fila: fila[1], reverse=True)
        return filas


@dataclass(frozen=True)
class Instrucciones:
    """Instructions executed by one probe process under callgrind, minus those of an empty probe (interpreter
    start-up and sonda.py itself): the work of init alone. The same count on every run, give or take the
    0.1 % that hash randomisation moves it (`-I` ignores PYTHONHASHSEED)."""

    funcion: str
    total: int | None  # None: that probe failed (`error`)
    vacio: int
    piso: int
    error: str | None = None

    @property
    def propias(self) -> int | None:
        return None if self.total is None else self.total - self.vacio

    @property
    def razon(self) -> float | None:
        return None if self.propias is None else self.propias / (self.piso - self.vacio)


def contar_instrucciones(valgrind: str, python: str, sonda: Sonda) -> int | str:
    """Runs the probe under valgrind's callgrind (about 50 times slower): its instruction count, or the error."""
    callgrind = (valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null")
    try:
        hecho = sonda.lanzar(python, delante=callgrind, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{type(exc).__name__}: {exc}"
    encontrado = re.search(r"Collected : (\d+)", hecho.stderr)
    if hecho.returncode != 0 or encontrado is None:
        return (hecho.stderr.strip().splitlines() or ["?"])[-1]
    return int(encontrado.group(1))


def pisos_vecinos(pisos: list[float], indices: list[int], radio: int = VECINOS) -> list[float]:
    """The floor each sample is divided by: the median of the floors of its block and of the `radio` blocks
    before and after it. One floor sample swings by a quarter on this shared machine; a few neighbours in time
    still follow a change of load, without one outlier deciding a function's ratio."""
    return [statistics.median(pisos[max(0, i - radio) : i + radio + 1]) for i in indices]


def por_paquete(filas: list[tuple[str, float, float]]) -> list[tuple[str, float]]:
    """Self time summed by top-level package: where the milliseconds actually go (no double counting)."""
    suma: dict[str, float] = defaultdict(float)
    for modulo, _acumulado, propio in filas:
        suma[modulo.split(".")[0]] += propio
    return sorted(suma.items(), key=lambda par: par[1], reverse=True)


def python_313() -> str:
    """The base interpreter behind the venv (the same CPython the layer's bytecode was compiled for)."""
    return os.path.realpath(getattr(sys, "_base_executable", sys.executable))
