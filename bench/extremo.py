"""End to end: the local gateway (tools/local_gateway.py) over HTTP on loopback, against the same moto
server as the warm section, with N concurrent clients doing GET detail and PUT on their own expedientes.

It catches regressions in the gateway and the handlers together; the sequential pass gives a latency
that can be set beside the in-process figures (authorizer + handler) measured in the same run.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.escenarios import Banco, Personal, crear_expediente
from tools.aws_local import puerto_libre

RAIZ = Path(__file__).resolve().parent.parent
GATEWAY = RAIZ / "tools" / "local_gateway.py"
REGISTRO = RAIZ / "bench" / ".work" / "gateway.log"
CLIENTES = 8
MAX_PETICIONES = 400
MAX_SEGUNDOS = 20.0
SECUENCIALES = 40


@dataclass
class Carga:
    latencias: dict[str, list[float]] = field(default_factory=lambda: {"GET detalle": [], "PUT": []})
    estados: Counter[int] = field(default_factory=Counter)
    segundos: float = 0.0

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.latencias.values())


class Gateway:
    """The gateway as a subprocess pointed at this run's moto server and resources."""

    def __init__(self, banco: Banco) -> None:
        self.puerto = puerto_libre()
        entorno = {
            **os.environ,
            **banco.local.entorno(),
            "AWS_ENDPOINT_URL": banco.local.endpoint,
            "PORT": str(self.puerto),
            "MONITOR_ADMIN_PASSWORD": "bench-" + os.urandom(6).hex(),
            "MONITOR_PROHIBIR_SCAN": "1",
        }
        REGISTRO.parent.mkdir(parents=True, exist_ok=True)
        self._salida = REGISTRO.open("w")
        self.proceso = subprocess.Popen(  # noqa: S603
            [sys.executable, str(GATEWAY)], cwd=RAIZ, env=entorno, stdout=self._salida, stderr=subprocess.STDOUT
        )

    def esperar(self, limite_s: float = 60.0) -> None:
        fin = time.monotonic() + limite_s
        while time.monotonic() < fin:
            if self.proceso.poll() is not None:
                raise RuntimeError(f"el gateway terminó con código {self.proceso.returncode} (ver {REGISTRO})")
            try:
                estado, _ = peticion(
                    http.client.HTTPConnection("127.0.0.1", self.puerto, timeout=5), "GET", "/api/health"
                )
                if estado == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"el gateway no respondió en {limite_s:.0f} s (ver {REGISTRO})")

    def detener(self) -> None:
        self.proceso.terminate()
        try:
            self.proceso.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proceso.kill()
        self._salida.close()


def peticion(
    conexion: http.client.HTTPConnection, metodo: str, ruta: str, token: str | None = None, cuerpo: object = None
) -> tuple[int, bytes]:
    cabeceras = {"Content-Type": "application/json"}
    if token:
        cabeceras["Authorization"] = f"Bearer {token}"
    datos = json.dumps(cuerpo).encode() if cuerpo is not None else None
    conexion.request(metodo, ruta, body=datos, headers=cabeceras)
    respuesta = conexion.getresponse()
    return respuesta.status, respuesta.read()


@dataclass
class Compartido:
    """What the client threads share: the results, the request quota and the deadline."""

    carga: Carga
    cupo: threading.Semaphore
    fin: float
    cerrojo: threading.Lock = field(default_factory=threading.Lock)


class Cliente(threading.Thread):
    """One client: GET detail and PUT on its own expediente (so PUTs do not fight over one version)."""

    def __init__(self, puerto: int, token: str, no: str, compartido: Compartido) -> None:
        super().__init__(daemon=True)
        self.puerto, self.token, self.ruta, self.c = puerto, token, f"/api/expedientes/{no}", compartido

    def run(self) -> None:
        conexion = http.client.HTTPConnection("127.0.0.1", self.puerto, timeout=30)
        i = 0
        while time.monotonic() < self.c.fin and self.c.cupo.acquire(blocking=False):
            tipo = "GET detalle" if i % 2 == 0 else "PUT"
            t0 = time.perf_counter()
            if tipo == "PUT":
                estado, _ = peticion(conexion, "PUT", self.ruta, self.token, {"observaciones": f"Carga {i}"})
            else:
                estado, _ = peticion(conexion, "GET", self.ruta, self.token)
            dt = (time.perf_counter() - t0) * 1000
            with self.c.cerrojo:
                self.c.carga.latencias[tipo].append(dt)
                self.c.carga.estados[estado] += 1
            i += 1


def cargar(puerto: int, op: Personal, expedientes: list[str], *, clientes: int, maximo: int, segundos: float) -> Carga:
    inicio = time.monotonic()
    compartido = Compartido(Carga(), threading.Semaphore(maximo), inicio + segundos)
    hilos = [Cliente(puerto, op.token, no, compartido) for no in expedientes[:clientes]]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()
    compartido.carga.segundos = time.monotonic() - inicio
    return compartido.carga


def medir(banco: Banco, op: Personal) -> tuple[Carga, Carga]:
    """(sequential pass with one client, concurrent pass with CLIENTES clients)."""
    expedientes = [banco.siniestro(f"E2E{i}") for i in range(CLIENTES)]
    for no in expedientes:
        crear_expediente(banco, op, no)
    gateway = Gateway(banco)
    try:
        gateway.esperar()
        secuencial = cargar(gateway.puerto, op, expedientes, clientes=1, maximo=SECUENCIALES, segundos=MAX_SEGUNDOS)
        concurrente = cargar(
            gateway.puerto, op, expedientes, clientes=CLIENTES, maximo=MAX_PETICIONES, segundos=MAX_SEGUNDOS
        )
    finally:
        gateway.detener()
    return secuencial, concurrente


def disponible() -> bool:
    return GATEWAY.is_file()
