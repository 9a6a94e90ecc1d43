"""Concurrency over HTTP on the local gateway (real threads, one container per in-flight request, as
Lambda does): bounded bursts that must lose nothing and give exactly one winner where one is due."""

from __future__ import annotations

import http.client
import json
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest

from monitor.core import jsoncodec, keys, table
from monitor.usuarios.campos import Rol
from tests.apoyo.llamantes import Llamante
from tests.apoyo.ordenes import crear_cliente, orden, texto
from tests.apoyo.resumen import anotar

pytestmark = pytest.mark.e2e

ENVIADAS: Counter[str] = Counter()
PERDIDOS: Counter[str] = Counter()
REINTENTOS_503: Counter[str] = Counter()
TIMEOUT = 180  # seconds per request: 50 writers on one item through moto are slow, not stuck


@pytest.fixture(scope="module", autouse=True)
def resumen() -> Iterator[None]:
    yield
    if ENVIADAS:
        detalle = ", ".join(f"{k}: {v}" for k, v in ENVIADAS.items())
        anotar(
            f"concurrencia: {sum(ENVIADAS.values())} solicitudes concurrentes ({detalle}); "
            f"elementos perdidos: {sum(PERDIDOS.values())}; 503 reenviados: {dict(REINTENTOS_503) or 0}"
        )


@dataclass
class Respuesta:
    status_code: int
    text: str
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.text)


@dataclass
class Pedido:
    """One HTTP request, sendable on a connection opened in advance (or on a new one)."""

    api: Any
    metodo: str
    ruta: str
    token: str | None = None
    cuerpo: bytes | None = None
    cabeceras: dict[str, str] = field(default_factory=dict)

    def conectar(self) -> http.client.HTTPConnection:
        partes = urlsplit(self.api.url)
        conexion = http.client.HTTPConnection(partes.hostname or "127.0.0.1", partes.port, timeout=TIMEOUT)
        conexion.connect()
        return conexion

    def __call__(self, conexion: http.client.HTTPConnection | None = None) -> Respuesta:
        conexion = conexion or self.conectar()
        cabeceras = {"Content-Type": "application/json", "Connection": "close", **self.cabeceras}
        if self.token:
            cabeceras["Authorization"] = f"Bearer {self.token}"
        try:
            conexion.request(self.metodo, self.ruta, body=self.cuerpo, headers=cabeceras)
            respuesta = conexion.getresponse()
            return Respuesta(respuesta.status, respuesta.read().decode("utf-8"), dict(respuesta.getheaders()))
        finally:
            conexion.close()


def peticion(api: Any, metodo: str, ruta: str, *, token: str | None = None, json_: Any = None, **extra: Any) -> Pedido:
    cuerpo = extra.get("data")
    if json_ is not None:
        cuerpo = jsoncodec.dumps(json_).encode("utf-8")
    return Pedido(api, metodo, ruta, token, cuerpo, dict(extra.get("headers") or {}))


def en_rafaga(api: Any, nombre: str, pedidos: list[Pedido]) -> list[Respuesta]:
    """Every connection is opened (and accepted by the gateway) first; then a barrier releases all the
    requests at once, each on its own thread. The burst is of requests, not of TCP handshakes."""
    conexiones = [pedido.conectar() for pedido in pedidos]
    barrera = threading.Barrier(len(pedidos))

    def lanzar(indice: int) -> Respuesta:
        barrera.wait(timeout=60)
        return pedidos[indice](conexiones[indice])

    with ThreadPoolExecutor(max_workers=len(pedidos)) as hilos:
        respuestas = list(hilos.map(lanzar, range(len(pedidos))))
    ENVIADAS[nombre] += len(pedidos)
    return respuestas


def con_reintentos(nombre: str, pedidos: list[Pedido], respuestas: list[Respuesta]) -> list[Respuesta]:
    """What a well-behaved client does with a 503: honour Retry-After and send again (at most 3 times).

    A 503 under contention is an honest answer, not a loss; what must never happen is a 2xx whose change
    is missing. The 503s are counted in the summary."""
    finales = []
    for pedido, primera in zip(pedidos, respuestas, strict=True):
        actual = primera
        for _ in range(3):
            if actual.status_code != 503:
                break
            assert int(actual.headers.get("Retry-After", "0")) >= 1, "503 sin Retry-After"
            REINTENTOS_503[nombre] += 1
            actual = pedido()
        finales.append(actual)
    return finales


def crear_expediente(api: Any, token: str, no_siniestro: str) -> None:
    alta = {
        "no_siniestro": no_siniestro,
        "nombre_cliente": "Juan Peña",
        "telefono_cliente": "555-100-2000",
        "marca": "Toyota",
        "placas": "ABC-123",
        "tipo": "Sedán",
        "modelo": "Corolla",
        "fecha_ingreso": "2024-03-15",
        "fecha_entrega": "2024-03-30",
    }
    respuesta = api.request("POST", "/api/expedientes", token=token, json=alta)
    assert respuesta.status_code == 201, respuesta.text


def items_de(no_siniestro: str, prefijo: str) -> list[dict[str, Any]]:
    return table.query_todo(
        "PK = :pk AND begins_with(SK, :sk)",
        {":pk": keys.expediente(no_siniestro)["PK"], ":sk": prefijo},
        consistente=True,
    )


# The 40 writable fields of the seed, each with a value of its type; the first ten get a second writer.
_TEXTOS = [
    "factura", "orden", "asesor", "tecnico", "mecanico", "vehiculo", "observaciones", "marca", "modelo", "tipo",
    "color", "placas", "nombre_cliente", "telefono_cliente", "correo_cliente", "comentarios_aseguradora",
    "dato1", "dato2", "dato3", "dato4",
]  # fmt: skip
_FECHAS = ["fecha_ingreso", "fecha_valuacion", "fecha_autorizacion", "fecha_pzas_completas", "unidad_terminada"]
_MARCAS = ["comentarios_aseguradora_fh", "dato1_fecha_hora", "dato2_fecha_hora", "dato3_fecha_hora", "dato4_fecha_hora"]
_DOCS = [
    "doc_orden_admision", "doc_identificacion", "doc_tarjeta_circulacion", "doc_caratula_poliza",
    "doc_carta_reparacion", "doc_comprobante_deducible", "doc_finiquito", "doc_encuesta_servicio",
]  # fmt: skip


def cambios_distintos() -> list[dict[str, Any]]:
    """50 single-field PUTs: all 40 writable fields, the first ten text fields written twice."""
    cambios: list[dict[str, Any]] = [{campo: f"{campo} concurrente ñ"} for campo in _TEXTOS]
    cambios[_TEXTOS.index("correo_cliente")] = {"correo_cliente": "concurrente@example.com"}
    cambios += [{campo: f"2024-04-{10 + i:02d}"} for i, campo in enumerate(_FECHAS)]
    cambios += [{campo: f"2024-04-0{1 + i}T10:30:00.000Z"} for i, campo in enumerate(_MARCAS)]
    cambios += [{campo: True} for campo in _DOCS]
    cambios += [{"id_aseguradora": 2}, {"fecha_entrega": "2024-05-01"}]
    cambios += [{campo: f"{campo} segundo escritor"} for campo in _TEXTOS[:10]]
    return cambios


def test_50_concurrent_puts_on_distinct_fields_lose_nothing(api: Any, operador: Llamante, siniestro: Any) -> None:
    # Given a fresh expediente and 50 single-field updates: 40 fields, 10 of them with two writers
    no = siniestro()
    crear_expediente(api, operador.token, no)
    version_inicial = int(api.request("GET", f"/api/expedientes/{no}", token=operador.token).json()["version"])
    cambios = cambios_distintos()
    assert len(cambios) == 50

    # When they all arrive at once
    pedidos = [peticion(api, "PUT", f"/api/expedientes/{no}", token=operador.token, json_=c) for c in cambios]
    respuestas = con_reintentos("PUT expediente", pedidos, en_rafaga(api, "PUT expediente", pedidos))

    # Then every one succeeds, each is audited once, and the final expediente holds every change
    assert [r.status_code for r in respuestas] == [200] * 50, [r.text for r in respuestas if r.status_code != 200]
    final = api.request("GET", f"/api/expedientes/{no}", token=operador.token).json()
    perdidos = []
    for cambio in cambios:
        campo = next(iter(cambio))
        escritores = [c[campo] for c in cambios if campo in c]
        esperado = [api_valor(campo, v) for v in escritores]
        if final.get(campo) not in esperado:
            perdidos.append(campo)
    PERDIDOS["PUT expediente"] += len(perdidos)
    assert perdidos == [], f"cambios perdidos: {perdidos}"
    auditoria = items_de(no, keys.PREFIJO_AUDITORIA)
    assert len(auditoria) == 50
    assert int(final["version"]) == version_inicial + 50
    assert len({int(r.json()["version"]) for r in respuestas}) == 50, "dos escrituras con la misma versión"


def api_valor(campo: str, valor: Any) -> Any:
    """What the API returns for a value it stored: dates at noon UTC, timestamps as sent."""
    if campo in _FECHAS or campo == "fecha_entrega":
        return f"{valor}T12:00:00.000Z"
    return valor


def test_20_concurrent_deliveries_of_one_order_store_one(api: Any, operador: Llamante, siniestro: Any) -> None:
    # Given one signed order body
    no = siniestro()
    cliente = crear_cliente(id_aseguradora=1)
    datos = orden(claim=no)
    cuerpo = texto(datos).encode("utf-8")
    cabeceras = {"Content-Type": "application/json", **cliente.cabeceras(cuerpo.decode("utf-8"))}

    # When the sender retries it 20 times at once
    pedidos = [peticion(api, "POST", "/serviceOrders", token=cliente.token, data=cuerpo, headers=cabeceras)] * 20
    respuestas = con_reintentos("entrega de orden", pedidos, en_rafaga(api, "entrega de orden", pedidos))

    # Then one 201, nineteen 200, one number for all, one order item, its number and its link
    estados = Counter(r.status_code for r in respuestas)
    assert estados == Counter({201: 1, 200: 19}), [r.text for r in respuestas]
    numeros = {r.json()["serviceOrderNumber"] for r in respuestas}
    assert len(numeros) == 1
    sid = int(datos["serviceOrderId"])
    guardada = table.get(keys.orden_servicio(sid), consistente=True)
    assert guardada is not None
    assert guardada["serviceOrderNumber"] in numeros
    assert len(guardada["items"]) == len(datos["items"])
    numero = table.get(keys.numero_orden(guardada["serviceOrderNumber"]), consistente=True)
    assert numero is not None
    assert int(numero["serviceOrderId"]) == sid
    enlaces = items_de(no, keys.PREFIJO_ORDEN)
    assert len(enlaces) == 1
    PERDIDOS["entrega de orden"] += 0 if guardada and enlaces else 1


def test_10_concurrent_identical_transitions_have_one_winner(api: Any, operador: Llamante, siniestro: Any) -> None:
    # Given an expediente in Ingreso
    no = siniestro()
    crear_expediente(api, operador.token, no)

    # When ten identical transitions to Restauracion arrive at once
    pedidos = [
        peticion(api, "PATCH", f"/api/expedientes/{no}/estado", token=operador.token, json_={"estado": "Restauracion"})
        for _ in range(10)
    ]
    respuestas = en_rafaga(api, "transición", pedidos)

    # Then one 200, nine 409, and exactly one new history entry
    estados = Counter(r.status_code for r in respuestas)
    assert estados == Counter({200: 1, 409: 9}), [r.text for r in respuestas]
    for r in respuestas:
        if r.status_code == 409:
            assert set(r.json()) == {"error"}
    historial = items_de(no, keys.PREFIJO_HISTORIAL)
    assert sorted(h["estado_nuevo"] for h in historial) == ["Ingreso", "Restauracion"]
    PERDIDOS["transición"] += 0 if len(historial) == 2 else 1


def test_concurrent_user_creation_with_one_username_gives_one_user(
    api: Any, crear_usuario: Callable[..., Llamante]
) -> None:
    # Given ten administrators' requests for the same new username
    admin = crear_usuario(Rol.ADMINISTRADOR)
    username = f"carrera-{uuid.uuid4().hex[:10]}"
    cuerpos = [
        {"nombre": f"Intento {i}", "username": username, "password": "clave-segura-123", "rol": "Tecnico"}
        for i in range(10)
    ]

    # When they arrive at once
    respuestas = en_rafaga(
        api, "alta de usuario", [peticion(api, "POST", "/api/usuarios", token=admin.token, json_=c) for c in cuerpos]
    )

    # Then one 201, nine 409, and the username points at the one user created
    estados = Counter(r.status_code for r in respuestas)
    assert estados == Counter({201: 1, 409: 9}), [r.text for r in respuestas]
    creado = next(r.json() for r in respuestas if r.status_code == 201)
    unico = table.get(keys.nombre_usuario(username), consistente=True)
    assert unico is not None
    assert int(unico["id"]) == int(creado["id"])
    usuario = table.get(keys.usuario(int(creado["id"])), consistente=True)
    assert usuario is not None
    assert usuario["username"] == username


# ---- the last administrator
def test_two_administrators_demoting_each_other_at_once_leave_one(api: Any, crear_usuario: Any) -> None:
    """Both see the other as one of two administrators; the counter in each transaction lets one win."""
    from monitor.usuarios import administradores

    a, b = crear_usuario(Rol.ADMINISTRADOR), crear_usuario(Rol.ADMINISTRADOR)
    # As if they were the only two active administrators of the shop.
    table.put({**keys.administradores_activos(), "tipo": "administradores", "activos": 2})
    try:
        pedidos = [
            peticion(api, "PUT", f"/api/usuarios/{b.principal.id}", token=a.token, json_={"rol": "Operador"}),
            peticion(api, "PUT", f"/api/usuarios/{a.principal.id}", token=b.token, json_={"rol": "Operador"}),
        ]
        respuestas = con_reintentos(
            "degradar administradores", pedidos, en_rafaga(api, "degradar administradores", pedidos)
        )

        assert sorted(r.status_code for r in respuestas) == [200, 409], [r.text for r in respuestas]
        rechazo = next(r for r in respuestas if r.status_code == 409)
        assert rechazo.json() == {"error": administradores.ULTIMO}
        roles = [table.get(keys.usuario(int(u.principal.id)), consistente=True)["rol"] for u in (a, b)]  # type: ignore[index]
        assert sorted(roles) == ["Administrador", "Operador"]
        contador = table.get(keys.administradores_activos(), consistente=True)
        assert contador is not None
        assert int(contador["activos"]) == 1
    finally:
        table.delete(keys.administradores_activos())
        administradores.asegurar()
