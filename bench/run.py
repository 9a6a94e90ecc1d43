"""`make bench`: cold init, warm latency, DynamoDB requests, package sizes and end-to-end load, each as a
ratio to a floor measured side by side in the same run. Writes bench/results.md and prints it.

    .venv/bin/python bench/run.py [--rondas 5] [--repeticiones 200] [--solo frio,caliente,dynamo,...,seguimiento]
    .venv/bin/python bench/run.py --solo instrucciones --todas   # callgrind counts of every function's init
    .venv/bin/python bench/run.py --solo reportes      # section 6, not in the default run (minutes of loading)

See bench/README.md for how to read the tables. Nothing here asserts timings: the tables say "NO" where a
performance target (bench/README.md) is missed, and the exit status is non-zero only if a Scan was issued or
a section crashed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
import traceback
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
for ruta in (RAIZ, RAIZ / "layers" / "common"):
    if str(ruta) not in sys.path:
        sys.path.insert(0, str(ruta))

from bench import arranque, construccion, dynamo, escenarios, extremo, reportes, seguimiento  # noqa: E402
from bench.estadistica import (  # noqa: E402
    ND,
    PENDIENTE,
    Resumen,
    cumple,
    mib,
    ms,
    percentil,
    rango_ms,
    tabla_md,
    veces,
    veces_rango,
)
from tools import aws_local  # noqa: E402

RESULTADOS = RAIZ / "bench" / "results.md"
RESULTADOS_REPORTES = RAIZ / "bench" / "results-reportes.md"  # written by `--solo reportes`
OBJETIVO_CALIENTE = 1.2
SECCIONES = ("frio", "instrucciones", "caliente", "dynamo", "tamano", "e2e", "seguimiento")
OPCIONALES = ("reportes",)  # only when named in --solo


def avisar(texto: str) -> None:
    """Progress goes to stderr so stdout carries only the tables."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {texto}", file=sys.stderr, flush=True)


# ---- 1. cold init
def seccion_frio(args: argparse.Namespace, notas: list[str]) -> str:
    python = arranque.python_313()
    build, notas_build = construccion.construir_x86(python)
    notas.extend(notas_build)
    # A moto of its own, so each probe also serves its first request (tables start empty: reads answer 404).
    aws_local.olvidar_recursos()
    local = aws_local.iniciar(prefijo=f"bench-frio-{os.getpid()}")
    try:
        medidor = arranque.Arranque(python, build, local.entorno(), peticion=True)
        avisar(f"arranque en frío: {len(medidor.funciones)} funciones, hasta {args.rondas} rondas")
        medidas = medidor.medir(args.rondas, args.rondas_minimas, args.presupuesto_frio, args.paralelo)
    finally:
        local.detener()
    filas = medidor.filas(medidas)
    cuerpo = [
        f"{medidas.rondas} rondas, {args.paralelo} bloques a la vez; piso (import boto3 + cliente DynamoDB) mediana "
        f"{ms(Resumen.de(medidas.piso).mediana) if medidas.piso else ND} ms. Trazas activas, como en Lambda "
        "(POWERTOOLS_TRACE_DISABLED sin definir, parches del SDK de X-Ray, cabecera de traza muestreada); para una "
        "muestra de funciones, una segunda fila «(sin trazas)» con POWERTOOLS_TRACE_DISABLED=true, como en las "
        "pruebas y el gateway local. «razón» en tiempo de reloj (perf_counter), «razón CPU» en tiempo de CPU del "
        "proceso (process_time, casi inmune a la carga de otros procesos). Código del build x86_64 de `sam build` "
        "(bytecode unchecked-hash) con -B, como Lambda. «+trazas»: lo que las trazas añaden al init (fila con "
        "trazas menos fila sin trazas, ms de CPU). «1ª petición»: CPU de la primera solicitud tras el init "
        "(events/<función>.json contra un moto propio que empieza vacío y conserva lo que crean las sondas; entre "
        "paréntesis los códigos HTTP vistos): lo que el init no cuenta, para que el trabajo movido del init a la "
        "primera solicitud se vea. «+módulos»: módulos importados en el init más allá de los del piso; a "
        f"diferencia del tiempo, es exacto entre ejecuciones. «{arranque.PILA}» no es una función: el piso más lo "
        "que importa la validación de Powertools (Pydantic, sus campos y tipos, params y middleware) tras el "
        "`__init__` de `monitor` (paquetes diferidos, recolector en pausa) y nada más de Monitor: el mínimo de una "
        f"función que valida. «{arranque.PILA_XLSX}»: lo mismo más openpyxl (y Pillow, que importa), la capa de hojas "
        "de cálculo que solo las funciones de formatos adjuntan y cargan en el init: su referencia, en vez del "
        "objetivo sobre el piso.",
        "",
        tabla_md(
            [
                "función",
                "init ms (mín–máx)",
                "piso ms",
                "razón (mín–máx)",
                "razón CPU",
                "objetivo",
                "cumple",
                "+trazas ms CPU",
                "build/fuente CPU",
                "1ª petición ms CPU",
                "+módulos",
                "importa",
            ],
            [_fila_frio(f) for f in filas],
        ),
        "",
        _tabla_trucos(medidor.trucos(medidas)),
    ]
    medidas_ok = [f for f in filas if f.init is not None and f.funcion not in arranque.REFERENCIAS and f.traza]
    if medidas_ok:
        lenta = max(medidas_ok, key=lambda f: f.init.mediana if f.init else 0)
        importes = medidor.importtime(lenta.funcion)
        paquetes = arranque.por_paquete(importes)
        cuerpo += [
            "",
            f"`-X importtime` de la más lenta ({lenta.funcion}, con trazas), una ejecución. 15 mayores acumulados:",
            "",
            tabla_md(["módulo", "acumulado ms", "propio ms"], [[m, ms(a), ms(p)] for m, a, p in importes[:15]]),
            "",
            "El mismo import, tiempo propio sumado por paquete de primer nivel (sin doble conteo):",
            "",
            tabla_md(["paquete", "propio ms"], [[m, ms(p)] for m, p in paquetes[:12]]),
        ]
    return "\n".join(cuerpo)


# Column of the tricks table → trick (monitor.startup.switches), as docs/startup.md names them.
COLUMNAS_TRUCOS = {
    "pausa GC": "collector",
    "diferidos": "deferred_inits",
    "modelos por ruta": "route_models",
    "precarga tokens": "preload",
    "Tracer nulo (sin trazas)": "tracing",
}


def _tabla_trucos(trucos: list[arranque.Truco]) -> str:
    """What each start-up trick buys, re-measured on every run: one column per trick (docs/startup.md)."""
    por_clave = {(t.funcion, t.truco): t for t in trucos}
    filas = []
    for nombre in arranque.MUESTRA:
        fila = [nombre]
        for truco in COLUMNAS_TRUCOS.values():
            t = por_clave.get((nombre, truco))
            if nombre not in arranque.TRUCOS[truco]:
                fila.append("-")
            elif t is None or t.init_ms is None:
                fila.append(ND)
            else:
                primera = ND if t.primera_ms is None else f"{t.primera_ms:+.0f}"
                fila.append(f"{t.init_ms:+.0f} / {primera}")
        filas.append(fila)
    return "\n".join(
        [
            "Lo que compra cada truco de arranque (`monitor/startup/`, docs/startup.md), medido en cada ejecución: "
            "la misma sonda con todos los trucos menos ese uno apagado (`MONITOR_STARTUP_OFF=<truco>`), en ms de "
            "CPU (el init normalizado por el piso), «init / 1ª petición»: lo que el truco cambia en cada uno "
            "(negativo: ahorra). Con trazas, como en Lambda, salvo «Tracer nulo», que solo actúa sin trazas y "
            "se compara con la fila sin trazas. «-»: el truco no actúa en esa función.",
            "",
            tabla_md(["función", *COLUMNAS_TRUCOS], filas),
        ]
    )


def seccion_instrucciones(args: argparse.Namespace, notas: list[str]) -> str:
    python = arranque.python_313()
    build, notas_build = construccion.construir_x86(python)
    if "frio" not in args.solo:
        notas.extend(notas_build)
    aws_local.olvidar_recursos()
    local = aws_local.iniciar(prefijo=f"bench-instr-{os.getpid()}")
    try:
        medidor = arranque.Arranque(python, build, local.entorno())
        avisar(f"instrucciones (callgrind){' de todas las funciones' if args.todas else ''}")
        cuentas: list[arranque.Instrucciones] | str = medidor.instrucciones(todas=args.todas)
    except RuntimeError as exc:
        cuentas = f"error: {exc}"
    finally:
        local.detener()
    return _tabla_instrucciones(cuentas)


def _millones(propias: int | None) -> str:
    return ND if propias is None else f"{propias / 1e6:,.0f}"


def _objetivo_texto(funcion: str, meta: float | None) -> str:
    if funcion in ("piso", *arranque.REFERENCIAS):
        return "referencia"
    return f"vs «{arranque.PILA_XLSX}»" if meta is None else f"≤ {meta:.1f}×"


def _tabla_instrucciones(cuentas: list[arranque.Instrucciones] | str) -> str:
    if isinstance(cuentas, str):
        return f"Instrucciones: {cuentas}"
    if not cuentas:
        return "Instrucciones: n/d (sin valgrind en esta máquina, o sin build x86_64)."
    filas = []
    for c in cuentas:
        referencia = c.funcion in ("piso", *arranque.REFERENCIAS)
        objetivo = _objetivo_texto(c.funcion, arranque.objetivo(c.funcion))
        if c.propias is None:
            filas.append([c.funcion, f"error: {(c.error or '?')[:60]}", "", "", "", "", objetivo])
            continue
        trazas = (
            "-" if referencia or c.propias_sin_traza is None else f"{(c.propias - c.propias_sin_traza) / 1e6:+,.0f}"
        )
        filas.append(
            [
                c.funcion,
                _millones(c.propias),
                f"{(c.propias - (c.piso - c.vacio)) / 1e6:+,.0f}",
                veces(c.razon),
                "-" if referencia else _millones(c.propias_sin_traza),
                trazas,
                objetivo,
            ]
        )
    return "\n".join(
        [
            "Instrucciones ejecutadas por el init (callgrind de valgrind, una ejecución por celda, sin la petición), "
            "descontado un proceso vacío (intérprete y sonda), con trazas como en Lambda y, al lado, sin trazas. A "
            "diferencia del tiempo, la cifra se repite entre ejecuciones (±0.1 %): decide si un cambio mejora el "
            "init. No es tiempo: no ve esperas de memoria ni de disco, así que el objetivo (de tiempo) se muestra "
            "solo como referencia; «cumple» lo juzga la tabla de tiempos. `--todas` cuenta todas las funciones.",
            "",
            tabla_md(
                ["función", "millones", "sobre el piso", "razón", "sin trazas", "+trazas", "objetivo de tiempo"],
                filas,
            ),
        ]
    )


def _fila_frio(f: arranque.FilaArranque) -> list[str]:
    if f.init is None or f.razon is None or f.piso is None:
        return [f.etiqueta, PENDIENTE if f.error is None else f"error: {f.error[:60]}", *[""] * 10]
    extra = "-" if not f.traza else ND if f.traza_extra_ms is None else f"{f.traza_extra_ms:+.0f}"
    bytecode = (
        ND
        if f.bytecode is None
        else f"{veces_rango(f.bytecode)} {cumple(f.bytecode.mediana, arranque.OBJETIVO_BYTECODE)}"
    )
    return [
        f.etiqueta,
        f"{ms(f.init.mediana)} ({rango_ms(f.init)})",
        ms(f.piso.mediana),
        veces_rango(f.razon),
        veces_rango(f.razon_cpu) if f.razon_cpu else ND,
        _objetivo_texto(f.funcion, f.objetivo),
        "-" if f.objetivo is None else cumple(f.razon.mediana, f.objetivo),
        extra,
        bytecode if f.traza else "-",
        ND if f.primera is None else f"{ms(f.primera.mediana)} ({', '.join(map(str, f.estados))})",
        ND if f.modulos_extra is None else f"+{f.modulos_extra}",
        ", ".join(f.cargados) or "-",
    ]


# ---- 2 and 3. warm latency and DynamoDB requests (one local AWS for both, and for e2e)
class Caliente:
    """Sections 2, 3 and 5 share one local AWS and one set of fixtures: built once, used three times."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.banco = escenarios.Banco()
        with escenarios.sin_stdout():
            self.grupos = escenarios.grupos(self.banco) + seguimiento.grupos(self.banco)
        escenarios.marcar_pendientes(self.grupos)
        self.tiempos: dict[str, escenarios.Tiempos] = {}
        self.llamadas: dict[str, list[dynamo.Llamada]] = {}

    def correr(self, contar: bool, medir: bool) -> None:
        for grupo in self.grupos:
            if any(e.pendiente for e in grupo.escenarios):
                continue
            nombres = ", ".join(e.nombre for e in grupo.escenarios)
            with escenarios.sin_stdout():
                if contar:
                    self.llamadas |= escenarios.contar(self.banco, grupo)
                if medir:
                    avisar(f"latencia en caliente: {nombres}")
                    self.tiempos |= escenarios.medir(
                        self.banco,
                        grupo,
                        repeticiones=self.args.repeticiones,
                        calentamiento=self.args.calentamiento,
                        presupuesto_s=self.args.presupuesto_caliente,
                        minimo=self.args.repeticiones_minimas,
                    )

    def todos(self) -> list[escenarios.Escenario]:
        return [e for g in self.grupos for e in g.escenarios]

    def tabla_latencia(self) -> str:
        filas = []
        for e in self.todos():
            t = self.tiempos.get(e.nombre)
            if e.pendiente or t is None or not t.handler:
                filas.append([e.nombre, PENDIENTE, *[""] * 8])
                continue
            filas.append(_fila_latencia(e.nombre, t.handler, t.piso, informativo=e.informativo))
            if t.kdf:
                sin_kdf = [h - k for h, k in zip(t.handler, t.kdf, strict=True)]
                filas.append(_fila_latencia(f"{e.nombre} sin KDF", sin_kdf, t.piso))
                kdf = Resumen.de(t.kdf)
                filas.append(
                    [
                        "KDF scrypt (aparte)",
                        str(kdf.n),
                        ms(kdf.mediana),
                        ms(percentil(t.kdf, 99)),
                        "",
                        "",
                        "",
                        "",
                        "",
                        "informativo",
                    ]
                )
        return tabla_md(
            [
                "endpoint",
                "n",
                "handler p50",
                "p99",
                "piso p50",
                "p99",
                "sobrecarga p50 ms",
                "razón medianas",
                "objetivo",
                "cumple",
            ],
            filas,
        )

    def tabla_dynamo(self) -> str:
        filas = []
        for e in self.todos():
            llamadas = self.llamadas.get(e.nombre)
            if e.pendiente or not llamadas:
                filas.append([e.nombre, PENDIENTE, "", "", "", "", ""])
                continue
            ultima = llamadas[-1]
            totales = sorted({c.total for c in llamadas})
            presupuesto = dynamo.PRESUPUESTO[e.nombre]
            filas.append(
                [
                    e.nombre,
                    " + ".join(f"{n}×{op}" for op, n in sorted(ultima.operaciones.items())),
                    "/".join(str(t) for t in totales),
                    str(presupuesto),
                    cumple(max(totales), presupuesto),
                    str(ultima.consistentes),
                    ultima.capacidad_texto(),
                ]
            )
        return tabla_md(
            [
                "endpoint",
                "peticiones por llamada",
                "total",
                "presupuesto",
                "cumple",
                "lecturas consistentes",
                "capacidad según moto",
            ],
            filas,
        )

    def detener(self) -> None:
        receptor = getattr(self.banco, "receptor", None)
        if receptor is not None:
            receptor.detener()
        self.banco.detener()


def _fila_latencia(nombre: str, handler: list[float], piso: list[float], *, informativo: bool = False) -> list[str]:
    h, p = Resumen.de(handler), Resumen.de(piso)
    sobrecarga = Resumen.de([a - b for a, b in zip(handler, piso, strict=True)])
    razon = h.mediana / p.mediana if p.mediana > 0 else None
    return [
        nombre,
        str(h.n),
        ms(h.mediana),
        ms(percentil(handler, 99)),
        ms(p.mediana),
        ms(percentil(piso, 99)),
        f"{sobrecarga.mediana:+.1f}",
        veces(razon),
        "llenado = sobrecarga" if informativo else f"≤ {OBJETIVO_CALIENTE}×",
        "informativo" if informativo else cumple(razon, OBJETIVO_CALIENTE),
    ]


# ---- 4. sizes
def seccion_tamano(notas: list[str]) -> str:
    tamanos = construccion.tamanos()
    if tamanos.capa is None:
        return f"{PENDIENTE}: no hay `.aws-sam/build` (ejecute `make build`)."
    capa = tamanos.capa
    filas = [
        [
            "capa CommonLayer",
            mib(capa),
            f"≤ {mib(construccion.OBJETIVO_CAPA)} (objetivo)",
            cumple(capa, construccion.OBJETIVO_CAPA),
        ]
    ]
    for nombre, octetos in tamanos.funciones.items():
        if octetos is None:
            filas.append([nombre, PENDIENTE, "", ""])
            continue
        total = octetos + capa
        filas.append(
            [
                nombre,
                f"{octetos / 1024:.1f} KiB (+capa {mib(total)})",
                f"≤ {mib(construccion.LIMITE_LAMBDA)} (Lambda)",
                cumple(total, construccion.LIMITE_LAMBDA),
            ]
        )
    extra = construccion.contenido_extra()
    for nombre, archivos in extra.items():
        notas.append(f"{nombre} envía más que su código: {', '.join(archivos)}")
    return "Build arm64 de `make build` (`.aws-sam/build`), descomprimido.\n\n" + tabla_md(
        ["artefacto", "tamaño", "límite", "cumple"], filas
    )


# ---- 5. end to end
def seccion_e2e(caliente: Caliente | None) -> str:
    if not extremo.disponible():
        return f"{PENDIENTE}: tools/local_gateway.py no existe todavía."
    if caliente is None:
        return f"{PENDIENTE}: necesita la sección «caliente» (fixtures y moto)."
    op = escenarios.crear_personal(caliente.banco)
    with escenarios.sin_stdout():
        secuencial, concurrente = extremo.medir(caliente.banco, op)
    filas = []
    for nombre, carga, clientes in (("secuencial", secuencial, 1), ("concurrente", concurrente, extremo.CLIENTES)):
        fila = [nombre, str(clientes), str(carga.total), f"{carga.segundos:.1f}", f"{carga.total / carga.segundos:.1f}"]
        for tipo in ("GET detalle", "PUT"):
            lat = carga.latencias[tipo]
            fila += [ms(Resumen.de(lat).mediana), ms(percentil(lat, 99))] if lat else [ND, ND]
        fila.append(", ".join(f"{k}×{v}" for k, v in sorted(carga.estados.items())))
        filas.append(fila)
    texto = tabla_md(
        ["pasada", "clientes", "peticiones", "s", "req/s", "GET p50", "GET p99", "PUT p50", "PUT p99", "estados"], filas
    )
    return texto + "\n\n" + _gateway_vs_proceso(caliente, secuencial)


def _gateway_vs_proceso(caliente: Caliente, secuencial: extremo.Carga) -> str:
    """HTTP through the gateway (authorizer included) against authorizer + handler in-process, same run."""
    aut = caliente.tiempos.get("authorizer")
    lineas = []
    for tipo, escenario in (("GET detalle", "GET detalle"), ("PUT", "PUT")):
        handler = caliente.tiempos.get(escenario)
        http = secuencial.latencias[tipo]
        if aut is None or handler is None or not http:
            continue
        en_proceso = Resumen.de(aut.handler).mediana + Resumen.de(handler.handler).mediana
        lineas.append(
            f"- {tipo}: gateway secuencial p50 {ms(Resumen.de(http).mediana)} ms vs authorizer + handler en proceso "
            f"{ms(en_proceso)} ms → {veces(Resumen.de(http).mediana / en_proceso)}"
        )
    return "\n".join(lineas)


# ---- 7. seguimiento: per event, and through the local pipeline
def seccion_seguimiento(caliente: Caliente | None) -> str:
    lineas = []
    tiempos = caliente.tiempos if caliente else {}
    publicar = tiempos.get(f"publicar (lote de {seguimiento.LOTE_STREAM})")
    enviar = tiempos.get("enviar (1 webhook)")
    if publicar and publicar.handler:
        h, p = Resumen.de(publicar.handler).mediana, Resumen.de(publicar.piso).mediana
        lineas.append(
            f"- publicador en caliente, por evento: {ms(h / seguimiento.LOTE_STREAM)} ms "
            f"(lote de {seguimiento.LOTE_STREAM}: {ms(h)} ms; piso {ms(p)} ms → {veces(h / p)})"
        )
    if enviar and enviar.handler:
        h, p = Resumen.de(enviar.handler).mediana, Resumen.de(enviar.piso).mediana
        lineas.append(f"- remitente en caliente, por webhook: {ms(h)} ms (piso {ms(p)} ms → {veces(h / p)})")
    medido = _tuberia_aparte()
    estado = "" if medido.completo else f" (INCOMPLETO: no llegaron todos en {seguimiento.ESPERA_PIPELINE:.0f} s)"
    lineas.append(
        f"- tubería local (stream → publicador → bus → cola → remitente → webhook en loopback): "
        f"{medido.eventos} eventos en {medido.total_s:.1f} s = "
        f"{medido.eventos / medido.total_s:.1f} eventos/s{estado}; "
        f"las {seguimiento.EVENTOS_PIPELINE} altas por el handler tardaron {medido.escritura_s:.1f} s"
    )
    return "\n".join(lineas)


def _tuberia_aparte() -> seguimiento.Rendimiento:
    """The pipeline's throughput in a process of its own, on a fresh local AWS (bench/README.md, section 6)."""
    hecho = subprocess.run(
        [sys.executable, "-m", "bench.seguimiento"],
        cwd=RAIZ,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(RAIZ), str(RAIZ / "layers" / "common")])},
        capture_output=True,
        text=True,
        check=True,
        timeout=seguimiento.ESPERA_PIPELINE + 300,
    )
    return seguimiento.Rendimiento(**json.loads(hecho.stdout.strip().splitlines()[-1]))


# ---- the report
def ejecutar(nombre: str, fn: Callable[[], str], errores: list[str]) -> str:
    try:
        return fn()
    except Exception as exc:
        errores.append(f"{nombre}: {type(exc).__name__}: {exc}")
        traceback.print_exc(file=sys.stderr)
        return f"error: {type(exc).__name__}: {exc}"


def cabecera(inicio: float) -> str:
    carga = os.getloadavg()
    return "\n".join(
        [
            "# Monitor — resultados de `make bench`",
            "",
            f"Generado {datetime.now(UTC):%Y-%m-%d %H:%M} UTC en {platform.machine()}, {os.cpu_count()} CPU, "
            f"carga {carga[0]:.1f}/{carga[1]:.1f}/{carga[2]:.1f}, Python {platform.python_version()}, "
            f"duración {time.monotonic() - inicio:.0f} s. Cada cifra es una mediana de muestras repetidas, "
            "comparada con su piso medido a la vez. Ver bench/README.md.",
        ]
    )


def _caliente(args: argparse.Namespace, errores: list[str]) -> Caliente | None:
    """The local AWS and fixtures of sections 2, 3, 5 and 7, when one of them runs."""
    if not {"caliente", "dynamo", "e2e", "seguimiento"} & set(args.solo):
        return None
    avisar("moto y fixtures (a través de los handlers)")
    try:
        caliente = Caliente(args)
        caliente.correr(contar="dynamo" in args.solo, medir=bool({"caliente", "seguimiento"} & set(args.solo)))
    except Exception as exc:
        errores.append(f"caliente: {type(exc).__name__}: {exc}")
        traceback.print_exc(file=sys.stderr)
        return None
    return caliente


def main(argv: list[str] | None = None) -> int:
    args = argumentos(argv)
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    inicio = time.monotonic()
    notas: list[str] = []
    errores: list[str] = []
    secciones: dict[str, str] = {}
    if "frio" in args.solo:
        secciones["1. Arranque en frío por función"] = ejecutar("frio", lambda: seccion_frio(args, notas), errores)
    if "instrucciones" in args.solo:
        secciones["1b. Instrucciones del init (callgrind)"] = ejecutar(
            "instrucciones", lambda: seccion_instrucciones(args, notas), errores
        )
    caliente = _caliente(args, errores)
    if "caliente" in args.solo:
        secciones["2. Latencia en caliente (en proceso, moto en loopback)"] = (
            caliente.tabla_latencia() if caliente else "error: ver stderr"
        )
    if "dynamo" in args.solo:
        scans = caliente.banco.observador.scans if caliente else 0
        texto = caliente.tabla_dynamo() if caliente else "error: ver stderr"
        secciones["3. Peticiones DynamoDB por llamada"] = texto + f"\n\nScans emitidos en toda la ejecución: {scans}."
        if scans:
            errores.append(f"se emitieron {scans} Scan")
    if "tamano" in args.solo:
        secciones["4. Tamaño de los artefactos"] = ejecutar("tamano", lambda: seccion_tamano(notas), errores)
    posteriores: list[tuple[str, str, str, Callable[[], str]]] = [
        (
            "e2e",
            "extremo a extremo por el gateway local",
            "5. Extremo a extremo (gateway local, loopback)",
            lambda: seccion_e2e(caliente),
        ),
        (
            "seguimiento",
            "seguimiento: tubería local",
            "7. Seguimiento (publicador y remitente por evento; tubería local)",
            lambda: seccion_seguimiento(caliente),
        ),
    ]
    for nombre, aviso, titulo, seccion in posteriores:
        if nombre in args.solo:
            avisar(aviso)
            secciones[titulo] = ejecutar(nombre, seccion, errores)
    if caliente is not None:
        caliente.detener()
    if "reportes" in args.solo:
        secciones["6. Reportes con 1 000 y 10 000 expedientes (moto en loopback)"] = ejecutar(
            "reportes", lambda: reportes.seccion(args.repeticiones_reportes, avisar), errores
        )

    partes = [cabecera(inicio)]
    partes += [f"## {titulo}\n\n{texto}" for titulo, texto in secciones.items()]
    if notas or errores:
        partes.append("## Notas\n\n" + "\n".join(f"- {n}" for n in [*notas, *errores]))
    informe = "\n\n".join(partes) + "\n"
    destino = {frozenset(SECCIONES): RESULTADOS, frozenset(OPCIONALES): RESULTADOS_REPORTES}.get(frozenset(args.solo))
    if destino is not None:
        destino.write_text(informe, encoding="utf-8")
    print(informe)
    return 1 if errores else 0


def argumentos(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rondas", type=int, default=9, help="rondas de arranque en frío (máximo)")
    p.add_argument("--rondas-minimas", type=int, default=5, help="rondas aunque se agote el presupuesto")
    p.add_argument("--paralelo", type=int, default=1, help="bloques de sondas a la vez (2 acorta, pero con más ruido)")
    p.add_argument("--presupuesto-frio", type=float, default=240, help="segundos para las rondas de arranque")
    p.add_argument("--repeticiones", type=int, default=200, help="llamadas medidas por endpoint (máximo)")
    p.add_argument("--repeticiones-minimas", type=int, default=50, help="llamadas aunque se agote el presupuesto")
    p.add_argument("--calentamiento", type=int, default=20)
    p.add_argument("--presupuesto-caliente", type=float, default=12, help="segundos por grupo de endpoints")
    p.add_argument("--repeticiones-reportes", type=int, default=8, help="llamadas medidas por reporte y tamaño")
    p.add_argument(
        "--solo", type=lambda t: t.split(","), default=list(SECCIONES), help=",".join(SECCIONES + OPCIONALES)
    )
    p.add_argument("--todas", action="store_true", help="instrucciones de todas las funciones, no solo de la muestra")
    args = p.parse_args(argv)
    desconocidas = set(args.solo) - set(SECCIONES) - set(OPCIONALES)
    if desconocidas:
        p.error(f"secciones desconocidas: {', '.join(sorted(desconocidas))}")
    return args


if __name__ == "__main__":
    sys.exit(main())
