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
# Functions also measured with tracing off and from source (the Tracer and bytecode effects are the same
# machinery in every function; a sample keeps the run within its time budget).
MUESTRA = ("auth_authorizer", "salud", "auth_login", "expedientes_update", "ordenes_receive")
# A reference row, not a function: the floor plus what Powertools' validation imports (sonda.PILA_VALIDACION).
PILA = "(piso + validación)"
# The form functions' reference: that stack plus openpyxl (the spreadsheet layer), which they load at init.
PILA_XLSX = "(piso + validación + openpyxl)"
REFERENCIAS = (PILA, PILA_XLSX)
# Counted in instructions too (callgrind): exact where time is noisy, so a change's effect is not a guess.
# `--todas` counts every function.
CONTADAS = (
    *MUESTRA,
    "expedientes_get",
    "levantamientos_put",
    "levantamientos_conceptos_create",
    "levantamientos_conceptos_update",
    "checklists_catalogo",
    "checklists_get",
    "checklists_put",
    "checklists_delete",
    "formatos_get",
    "reportes_produccion",
    "auth_logout",
    "seguimiento_suscripciones_create",
    "seguimiento_publicar",
    "seguimiento_enviar",
    "seguimiento_notificar",
)
# Each start-up trick (monitor.startup.switches) switched off in turn, for the functions where it acts: what it
# buys is the difference with the same probe with every trick on. `tracing` acts only where tracing is off, so
# it is compared with the tracing-off probe; the others with the headline probe (tracing on, as deployed).
TRUCOS: dict[str, tuple[str, ...]] = {
    "collector": MUESTRA,
    "deferred_inits": MUESTRA,
    "route_models": ("auth_login", "expedientes_update", "ordenes_receive"),
    "preload": ("auth_authorizer", "auth_login"),
    "tracing": MUESTRA,
}
SIN_TRAZA = "sin_traza"
# What Lambda sets for each invocation when active tracing samples it: the X-Ray SDK builds its facade segment
# from it, so a traced probe's first request records subsegments as a deployed function does (sent over UDP
# to 127.0.0.1:2000, where nothing listens).
TRAZA_LAMBDA = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
OBJETIVO = 1.3  # every endpoint function <= 1.3x the floor (bench/README.md)
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
    base: dict[str, str], funcion: str, raiz_tarea: Path, *, traza: bool, apagados: str = ""
) -> dict[str, str]:
    """The variables Lambda and template.yaml set. Tracing on (as deployed) means POWERTOOLS_TRACE_DISABLED
    unset and an X-Ray trace header; `apagados` switches start-up tricks off (monitor.startup.switches)."""
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
        entorno["_X_AMZN_TRACE_ID"] = TRAZA_LAMBDA
    else:
        entorno["POWERTOOLS_TRACE_DISABLED"] = "true"
    if apagados:
        entorno["MONITOR_STARTUP_OFF"] = apagados
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

    def medir(self, python: str, timeout: float = 300) -> dict[str, object]:
        """One timed run; a probe that fails or outlasts `timeout` (a loaded machine) is a RuntimeError."""
        try:
            hecho = self.lanzar(python, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"la sonda tardó más de {timeout:.0f} s") from None
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
    cargados: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    modulos: dict[tuple[str, str], int] = field(default_factory=dict)  # len(sys.modules) after init: exact
    modulos_piso: int = 0
    primera_cpu: dict[tuple[str, str], list[float]] = field(default_factory=lambda: defaultdict(list))
    estados: dict[tuple[str, str], set[int]] = field(default_factory=lambda: defaultdict(set))
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


def variante_truco(truco: str) -> str:
    return f"sin_{truco}"


@dataclass(frozen=True)
class FilaArranque:
    funcion: str
    init: Resumen | None
    piso: Resumen | None
    razon: Resumen | None
    razon_cpu: Resumen | None
    traza_extra_ms: float | None  # CPU ms tracing adds to init (headline row only)
    bytecode: Resumen | None
    cargados: list[str]
    error: str | None = None
    primera: Resumen | None = None
    estados: tuple[int, ...] = ()
    modulos_extra: int | None = None  # modules imported beyond the floor's
    traza: bool = True  # False: the second row of a function, with tracing off

    @property
    def objetivo(self) -> float | None:
        return objetivo(self.funcion)

    @property
    def etiqueta(self) -> str:
        return self.funcion if self.traza or self.funcion in REFERENCIAS else f"{self.funcion} (sin trazas)"


@dataclass(frozen=True)
class Truco:
    """What one start-up trick buys one function, in CPU ms (negative: the trick saves them): init, and the
    first request after it (a trick may move work between the two)."""

    funcion: str
    truco: str
    init_ms: float | None
    primera_ms: float | None


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

    def _sonda_build(self, f: construccion.Funcion, *, traza: bool = True, apagados: str = "") -> Sonda | None:
        if self.build is None or not (self.build / f.logico / "app.py").is_file():
            return None
        tarea = self.build / f.logico
        capas = [str(self.build / "CommonLayer" / "python")]
        if con_hojas(f.nombre):  # Lambda unpacks every layer into /opt/python
            capas.append(str(self.build / "XlsxLayer" / "python"))
        evento = EVENTOS / f"{f.nombre}.json"
        return Sonda(
            "funcion",
            (str(tarea), *capas, str(self.runtime)),
            entorno_lambda(self.base, f.nombre, tarea, traza=traza, apagados=apagados),
            evento=str(evento) if self.peticion and evento.is_file() else None,
        )

    def _sonda_fuente(self, f: construccion.Funcion) -> Sonda:
        """Source tree with a warm bytecode cache kept in bench/.work (the tree itself stays untouched)."""
        rutas = (str(f.codigo), str(RAIZ / "layers" / "common"), str(SITE_VENV))
        entorno = entorno_lambda(self.base, f.nombre, f.codigo, traza=True)
        return Sonda("funcion", rutas, entorno, ("-I", "-S", "-X", f"pycache_prefix={PYCACHE_FUENTE}"))

    def piso(self, modo: str = "piso") -> Sonda:
        rutas: tuple[str, ...] = (str(self.runtime),)
        if modo in ("pila", "pila_xlsx") and self.build is not None:
            rutas = (str(self.build / "CommonLayer" / "python"), *rutas)
        if modo == "pila_xlsx" and self.build is not None:
            rutas = (str(self.build / "XlsxLayer" / "python"), *rutas)
        return Sonda(modo, rutas, entorno_lambda(self.base, "piso", self.runtime, traza=False))

    def plan(self) -> list[tuple[str, str, Sonda]]:
        """(function, variant, probe) for one round: 'build' (tracing on, as deployed) for all; for MUESTRA
        'sin_traza' (tracing off), 'fuente' and one 'sin_<truco>' per start-up trick that acts there; and the
        reference rows (the validation stack, and with openpyxl for the form functions)."""
        tareas: list[tuple[str, str, Sonda]] = []
        if self.build:
            tareas += [(PILA, "build", self.piso("pila")), (PILA_XLSX, "build", self.piso("pila_xlsx"))]
        for f in self.funciones:
            candidatas: list[tuple[str, Sonda | None]] = [("build", self._sonda_build(f))]
            if f.nombre in MUESTRA:
                candidatas.append((SIN_TRAZA, self._sonda_build(f, traza=False)))
                candidatas += [
                    (variante_truco(t), self._sonda_build(f, traza=t != "tracing", apagados=t))
                    for t, funciones in TRUCOS.items()
                    if f.nombre in funciones
                ]
                candidatas.append(("fuente", self._sonda_fuente(f)))
            tareas += [(f.nombre, variante, sonda) for variante, sonda in candidatas if sonda is not None]
        return tareas

    def calentar(self, tareas: list[tuple[str, str, Sonda]]) -> None:
        """One untimed run of each source probe fills the bytecode cache ('warm __pycache__')."""
        for _, variante, sonda in tareas:
            if variante == "fuente":
                sonda.medir(self.python, timeout=900)  # compiles the layer and its packages from source

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
                medidas.errores[nombre] = f"{variante}: {exc}"
                continue
            clave = (nombre, variante)
            with cerrojo:
                medidas.ms[clave].append(float(resultado["total_ms"]))  # type: ignore[arg-type]
                medidas.indice_piso[clave].append(indice)
                medidas.cpu[clave].append(float(resultado["cpu_ms"]))  # type: ignore[arg-type]
                medidas.cargados[clave] = list(resultado.get("cargados", []))  # type: ignore[call-overload]
                medidas.modulos[clave] = int(resultado["modulos"])  # type: ignore[call-overload]
                if "primera_cpu_ms" in resultado:
                    medidas.primera_cpu[clave].append(float(resultado["primera_cpu_ms"]))  # type: ignore[arg-type]
                    medidas.estados[clave].add(int(resultado["status"]))  # type: ignore[call-overload]

    def filas(self, medidas: Medidas) -> list[FilaArranque]:
        """One row per function of the template (tracing on), followed for MUESTRA by a second row with tracing
        off; functions without code yet come out empty ("pendiente")."""
        filas = []
        for nombre in [*(f.nombre for f in construccion.funciones()), *(REFERENCIAS if self.build else ())]:
            if not medidas.ms.get((nombre, "build")):
                error = medidas.errores.get(nombre)
                filas.append(FilaArranque(nombre, None, None, None, None, None, None, [], error))
                continue
            cpu = self._relativas_cpu(medidas, nombre, "build")
            piso_cpu = Resumen.de(medidas.piso_cpu).mediana
            # Variant against variant (tracing off, source tree) in CPU time, each first divided by the floors
            # around it: what is compared is the work done, which wall-clock noise would otherwise swamp.
            sin_traza = self._diferencia_cpu(medidas, nombre, SIN_TRAZA, cpu, piso_cpu)
            fuente = self._relativas_cpu(medidas, nombre, "fuente")
            bytecode = Resumen.de(razones(cpu, fuente)) if fuente and len(fuente) == len(cpu) else None
            filas.append(self._fila(medidas, nombre, "build", -sin_traza if sin_traza is not None else None, bytecode))
            if medidas.ms.get((nombre, SIN_TRAZA)):
                filas.append(self._fila(medidas, nombre, SIN_TRAZA, None, None))
        return filas

    def _fila(
        self, medidas: Medidas, nombre: str, variante: str, traza_extra: float | None, bytecode: Resumen | None
    ) -> FilaArranque:
        clave = (nombre, variante)
        muestras = medidas.ms[clave]
        pisos = pisos_vecinos(medidas.piso, medidas.indice_piso[clave])
        return FilaArranque(
            nombre,
            Resumen.de(muestras),
            Resumen.de(pisos),
            Resumen.de(razones(muestras, pisos)),
            Resumen.de(self._relativas_cpu(medidas, nombre, variante)),
            traza_extra,
            bytecode,
            medidas.cargados.get(clave, []),
            medidas.errores.get(nombre),
            Resumen.de(medidas.primera_cpu[clave]) if medidas.primera_cpu.get(clave) else None,
            tuple(sorted(medidas.estados.get(clave, ()))),
            medidas.modulos[clave] - medidas.modulos_piso if clave in medidas.modulos else None,
            traza=variante != SIN_TRAZA,
        )

    def trucos(self, medidas: Medidas) -> list[Truco]:
        """For each trick and function it acts on: the probe with every trick on minus the one with that trick
        off, in floor-normalised CPU ms, for init and for the first request."""
        piso_cpu = Resumen.de(medidas.piso_cpu).mediana if medidas.piso_cpu else 0.0
        resultado = []
        for truco, funciones in TRUCOS.items():
            base = SIN_TRAZA if truco == "tracing" else "build"
            for nombre in funciones:
                apagado = variante_truco(truco)
                if not medidas.ms.get((nombre, apagado)) or not medidas.ms.get((nombre, base)):
                    continue
                cpu_base = self._relativas_cpu(medidas, nombre, base)
                sin = self._diferencia_cpu(medidas, nombre, apagado, cpu_base, piso_cpu)
                primeras = [medidas.primera_cpu.get((nombre, v)) for v in (base, apagado)]
                primera = (
                    Resumen.de(primeras[0]).mediana - Resumen.de(primeras[1]).mediana
                    if primeras[0] and primeras[1]
                    else None
                )
                resultado.append(Truco(nombre, truco, -sin if sin is not None else None, primera))
        return resultado

    @classmethod
    def _diferencia_cpu(
        cls, medidas: Medidas, nombre: str, variante: str, cpu: list[float], piso_cpu: float
    ) -> float | None:
        """CPU ms a variant adds to the build probe: difference of floor-normalised medians, times the floor."""
        otra = cls._relativas_cpu(medidas, nombre, variante)
        return (Resumen.de(otra).mediana - Resumen.de(cpu).mediana) * piso_cpu if otra and cpu else None

    @staticmethod
    def _relativas_cpu(medidas: Medidas, nombre: str, variante: str) -> list[float]:
        pisos = pisos_vecinos(medidas.piso_cpu, medidas.indice_piso.get((nombre, variante), []))
        return razones(medidas.cpu.get((nombre, variante), []), pisos)

    def instrucciones(self, *, todas: bool = False, paralelo: int = 2) -> list[Instrucciones]:
        """Floor, reference row and CONTADAS (every function with `todas`), init only, one callgrind run each
        with tracing on (as deployed) and one with tracing off; none without valgrind or a build. A failed probe
        gets a row with its error; a failed floor or empty probe, no table."""
        valgrind = shutil.which("valgrind")
        if valgrind is None or self.build is None:
            return []
        sondas: dict[tuple[str, bool], Sonda] = {
            ("vacio", False): replace(self.piso(), modo="vacio"),
            ("piso", False): self.piso(),
            (PILA, False): self.piso("pila"),
            (PILA_XLSX, False): self.piso("pila_xlsx"),
        }
        for f in self.funciones:
            if todas or f.nombre in CONTADAS:
                for traza in (True, False):
                    if (sonda := self._sonda_build(f, traza=traza)) is not None:
                        sondas[(f.nombre, traza)] = replace(sonda, evento=None)
        with ThreadPoolExecutor(max_workers=max(1, paralelo)) as ejecutor:
            contadas = ejecutor.map(lambda s: contar_instrucciones(valgrind, self.python, s), sondas.values())
            cuentas = dict(zip(sondas, contadas, strict=True))
        vacio, piso = cuentas.pop(("vacio", False)), cuentas[("piso", False)]
        if not isinstance(vacio, int) or not isinstance(piso, int):
            raise RuntimeError(f"callgrind falló en el piso: {vacio if isinstance(piso, int) else piso}")
        filas: dict[str, Instrucciones] = {}
        for (nombre, traza), total in cuentas.items():
            fila = filas.setdefault(nombre, Instrucciones(nombre, None, vacio, piso))
            if not isinstance(total, int):
                filas[nombre] = replace(fila, error=total)
            elif traza or nombre in ("piso", *REFERENCIAS):  # the floor and the reference rows: one count, tracing off
                filas[nombre] = replace(fila, total=total)
            else:
                filas[nombre] = replace(fila, sin_traza=total)
        return list(filas.values())

    def importtime(self, nombre: str) -> list[tuple[str, float, float]]:
        """`-X importtime` of one function's cold import: (module, cumulative ms, self ms), largest cumulative first."""
        f = next(f for f in self.funciones if f.nombre == nombre)
        sonda = replace(self._sonda_build(f) or self._sonda_fuente(f), evento=None)  # init only, as deployed
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
    total: int | None  # tracing on, as deployed (the floor and reference row: their only count); None: failed
    vacio: int
    piso: int
    error: str | None = None
    sin_traza: int | None = None  # the same init with tracing off

    @property
    def propias(self) -> int | None:
        return None if self.total is None else self.total - self.vacio

    @property
    def propias_sin_traza(self) -> int | None:
        return None if self.sin_traza is None else self.sin_traza - self.vacio

    @property
    def razon(self) -> float | None:
        return None if self.propias is None else self.propias / (self.piso - self.vacio)


def contar_instrucciones(valgrind: str, python: str, sonda: Sonda) -> int | str:
    """Runs the probe under valgrind's callgrind (about 50 times slower): its instruction count, or the error."""
    callgrind = (valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null")
    try:
        hecho = sonda.lanzar(python, delante=callgrind, timeout=1800)  # a loaded machine slows callgrind a lot
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
