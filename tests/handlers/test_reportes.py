"""The reports against a generated history: hundreds of units over seven months, driven through the handlers
with the clock (`monitor.core.dates.reloj`) set to each event's moment, on a table of their own so every
figure is known. Every figure is recomputed here from the plan alone (what the test told the system to do
and when), never from what the system stored.

The plan: units of three insurers and without one; each stays a known number of days in each stage (event
times at 00:xx and 23:xx local on purpose: days are the shop's calendar days, not 24-hour spans); some go
back a stage and forward again, some are reopened after delivery (Salida → Pendiente_de_salida → Salida),
some change insurer or promised date, some are deleted, some are still in the shop (late or not); orders
arrive for claims with and without an expediente.
"""

from __future__ import annotations

import json
import math
import random
import statistics
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from monitor.aseguradoras import servicio as aseguradoras
from monitor.auth.roles import Principal
from monitor.core import dates, jsoncodec, table
from monitor.core.settings import settings
from monitor.reportes import ciclo, produccion
from monitor.usuarios.campos import Rol
from tests.apoyo.checklists import aprobar_checklist
from tests.apoyo.llamantes import Llamante
from tests.apoyo.ordenes import crear_cliente, orden
from tools import plantilla

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")

Invocar = Callable[..., dict[str, Any]]
ZONA = ZoneInfo("America/Mexico_City")  # the default MONITOR_ZONA_HORARIA (UTC-6 all year since 2022)
HOY = date(2024, 7, 20)
AHORA = datetime(2024, 7, 20, 9, 30, tzinfo=ZONA)
ETAPAS = ("Ingreso", "Restauracion", "Pendiente_de_salida")
ESTADOS = (*ETAPAS, "Salida")
HORAS = (0, 1, 9, 13, 18, 23)  # local hours: the first and last of a day on purpose


def local(dia: date, hora: int, minuto: int = 30) -> datetime:
    return datetime(dia.year, dia.month, dia.day, hora, minuto, tzinfo=ZONA)


@dataclass
class Unidad:
    """What the test does to one unit, and so what every report must say about it."""

    no: str
    aseguradora_inicial: int | None
    ingreso: date  # fecha_ingreso
    promesa_inicial: date  # fecha_entrega when created
    eventos: list[tuple[datetime, str, Any]] = field(default_factory=list)  # (moment, kind, argument)
    primeras: dict[str, datetime] = field(default_factory=dict)  # first entry into each state
    estado: str = "Ingreso"
    borrada: bool = False

    def __post_init__(self) -> None:
        self.aseguradora = self.aseguradora_inicial
        self.promesa = self.promesa_inicial

    def entrar(self, momento: datetime, estado: str, tipo: str = "estado") -> None:
        self.eventos.append((momento, tipo, estado))
        self.primeras.setdefault(estado, momento)
        self.estado = estado


_RNG = random.Random(22)
CORTE = AHORA - timedelta(hours=2)  # every change happens before; deletions after


def _siguiente(momento: datetime, dias: int) -> datetime:
    """`dias` calendar days later at one of HORAS, strictly after `momento`."""
    dia = momento.astimezone(ZONA).date() + timedelta(days=dias)
    candidato = local(dia, _RNG.choice(HORAS), _RNG.randrange(60))
    return candidato if candidato > momento else momento + timedelta(minutes=7)


def plan(prefijo: str, cantidad: int) -> list[Unidad]:
    rng = _RNG
    unidades = []
    for i in range(cantidad):
        ingreso = date(2024, 1, 2) + timedelta(days=rng.randrange(0, 175))
        u = Unidad(
            no=f"{prefijo}-{i:04d}",
            aseguradora_inicial=rng.choice([1, 2, 3, None]),
            ingreso=ingreso,
            promesa_inicial=ingreso + timedelta(days=rng.randrange(3, 40)),
        )
        # Often opened the day the keys came in (fecha_ingreso), sometimes days later: the cycle counts from the keys.
        creado = local(
            ingreso + timedelta(days=rng.choice((0, 0, 0, 1, 3))), rng.choice((9, 13, 18)), rng.randrange(60)
        )
        u.eventos.append((creado, "crear", None))
        u.primeras["Ingreso"] = creado
        destino = rng.choices(ESTADOS, weights=(1, 1, 1, 6))[0]
        momento = creado
        for estado in ESTADOS[1 : ESTADOS.index(destino) + 1]:
            if estado == "Restauracion" and rng.random() < 0.15:  # into a stage, back, and forward again
                ida = _siguiente(momento, rng.randrange(0, 4))
                vuelta = _siguiente(ida, rng.randrange(0, 3))
                if vuelta >= CORTE:
                    break
                u.entrar(ida, "Restauracion")
                u.entrar(vuelta, "Ingreso")
                momento = vuelta
            siguiente = _siguiente(momento, rng.randrange(0, 12))
            if siguiente >= CORTE:
                break
            if estado == "Salida":  # what the gate asks for, just before
                u.eventos.append((siguiente - timedelta(minutes=2), "listo", None))
            u.entrar(siguiente, estado)
            momento = siguiente
        if u.estado == "Salida" and rng.random() < 0.15:  # reopened, then delivered again
            reabierta = _siguiente(momento, rng.randrange(0, 4))
            otra = _siguiente(reabierta, rng.randrange(0, 4))
            if otra < CORTE:
                u.entrar(reabierta, "Pendiente_de_salida", "reabrir")
                u.entrar(otra, "Salida")
        if rng.random() < 0.12:  # the insurer changes half-way: its counters move with it
            nueva = rng.choice([a for a in (1, 2, 3, None) if a != u.aseguradora])
            cuando = creado + (u.eventos[-1][0] - creado) / 2 + timedelta(seconds=30)
            u.eventos.append((cuando, "aseguradora", nueva))
            u.aseguradora = nueva
        if rng.random() < 0.1:  # a new promised date, soon after the creation
            u.promesa = u.promesa + timedelta(days=rng.randrange(-5, 15))
            u.eventos.append((creado + timedelta(minutes=3), "promesa", u.promesa))
        if rng.random() < 0.04:
            u.eventos.append((CORTE + timedelta(minutes=30), "borrar", None))
            u.borrada = True
        u.eventos.sort(key=lambda e: e[0])
        unidades.append(u)
    return unidades


# ---- the table of this module, and the history in it
@pytest.fixture(scope="module")
def tabla_propia() -> Iterator[str]:
    """A table of its own (from template.yaml): the counters and indexes then hold only this history."""
    import os

    anterior = os.environ["MONITOR_TABLE"]
    nombre = f"{anterior}-reportes-{uuid.uuid4().hex[:6]}"
    table.cliente().create_table(TableName=nombre, **plantilla.definicion_tabla())
    os.environ["MONITOR_TABLE"] = nombre
    settings.cache_clear()
    aseguradoras.sembrar_catalogo()
    try:
        yield nombre
    finally:
        os.environ["MONITOR_TABLE"] = anterior
        settings.cache_clear()


def _llamante(rol: Rol) -> Llamante:
    return Llamante(Principal(id="7", username=f"{rol.value.lower()}-reportes", rol=rol), token="")


OPERADOR, ADMIN, TECNICO = _llamante(Rol.OPERADOR), _llamante(Rol.ADMINISTRADOR), _llamante(Rol.TECNICO)
RUTA = "/api/expedientes/{no_siniestro}"


def _aplicar(invocar: Invocar, u: Unidad, tipo: str, argumento: Any) -> None:
    ruta = {"no_siniestro": u.no}
    if tipo == "crear":
        cuerpo = {
            "no_siniestro": u.no,
            "nombre_cliente": f"Cliente {u.no}",
            "telefono_cliente": "555-000-0000",
            "marca": "Kenworth",
            "placas": f"P-{u.no[-4:]}",
            "tipo": "Tractocamión",
            "modelo": "T680",
            "fecha_ingreso": u.ingreso.isoformat(),
            "fecha_entrega": u.promesa_inicial.isoformat(),
            "id_aseguradora": u.aseguradora_inicial,
        }
        r = invocar("expedientes_create", "POST", "/api/expedientes", llamante=OPERADOR, cuerpo=cuerpo)
    elif tipo in ("estado", "reabrir"):
        r = invocar(
            "expedientes_estado",
            "PATCH",
            RUTA + "/estado",
            llamante=ADMIN if tipo == "reabrir" else OPERADOR,
            ruta_params=ruta,
            cuerpo={"estado": argumento},
        )
    elif tipo == "borrar":
        r = invocar("expedientes_delete", "DELETE", RUTA, llamante=ADMIN, ruta_params=ruta)
    else:
        if tipo == "listo":
            cuerpo: dict[str, Any] = {"unidad_terminada": "2024-01-01", "doc_finiquito": True}
        elif tipo == "aseguradora":
            cuerpo = {"id_aseguradora": argumento, "doc_finiquito": True}
        else:
            cuerpo = {"fecha_entrega": argumento.isoformat()}
        r = invocar("expedientes_update", "PUT", RUTA, llamante=OPERADOR, ruta_params=ruta, cuerpo=cuerpo)
        if tipo == "listo" and r["statusCode"] == 200:
            aprobar_checklist(invocar, OPERADOR, u.no)  # the exit checklist Salida needs too
    assert r["statusCode"] in (200, 201), (u.no, tipo, argumento, r["json"])


@dataclass
class Historia:
    unidades: list[Unidad]
    sin_expediente: list[dict[str, Any]]  # the board's orders, as the test expects them


def _reloj(momento: datetime) -> Callable[[], datetime]:
    return lambda: momento.astimezone(UTC)


def _ordenes(invocar: Invocar, unidades: list[Unidad]) -> list[dict[str, Any]]:
    """Orders for claims without an expediente (one later cancelled), for one whose expediente is then
    created, for one whose expediente is then deleted, and for an existing unit. Returns what the board
    must list."""
    cliente = crear_cliente(id_aseguradora=2, exigir_firma=False)
    existente = next(u for u in unidades if not u.borrada)
    recibidas: dict[str, list[dict[str, Any]]] = {}
    momento = CORTE + timedelta(minutes=5)

    def recibir(reclamo: str) -> dict[str, Any]:
        nonlocal momento
        momento += timedelta(minutes=1)
        dates.reloj = _reloj(momento)
        cuerpo = jsoncodec.dumps(orden(claim=reclamo))
        r = invocar("ordenes_receive", "POST", "/serviceOrders", llamante=cliente.llamante, cuerpo=cuerpo)
        assert r["statusCode"] == 201, r["json"]
        recibida = {
            "no_siniestro": reclamo,
            "serviceOrderId": r["json"]["serviceOrderId"],
            "serviceOrderNumber": r["json"]["serviceOrderNumber"],
            "id_aseguradora": 2,
            "recibida_en": dates.iso(momento),
        }
        recibidas.setdefault(reclamo, []).append(recibida)
        return recibida

    for reclamo in ("ORD-A", "ORD-A", "ORD-A", "ORD-B", "ORD-C", existente.no):
        recibir(reclamo)
    cancelada = recibidas["ORD-A"][1]
    r = invocar(
        "ordenes_cancel",
        "POST",
        "/serviceOrders/{serviceOrderId}/cancel",
        llamante=cliente.llamante,
        ruta_params={"serviceOrderId": str(cancelada["serviceOrderId"])},
        cuerpo={"serviceOrderId": cancelada["serviceOrderId"]},
    )
    assert r["json"]["isCancelled"] is True
    for reclamo, borrar in (("ORD-B", False), ("ORD-C", True)):
        u = Unidad(reclamo, 2, HOY, HOY + timedelta(days=9))
        u.primeras["Ingreso"] = momento
        u.borrada = borrar
        dates.reloj = _reloj(momento + timedelta(minutes=2))
        _aplicar(invocar, u, "crear", None)
        if borrar:
            _aplicar(invocar, u, "borrar", None)
        unidades.append(u)
    esperadas = [o for o in recibidas["ORD-A"] if o is not cancelada] + recibidas["ORD-C"]
    return sorted(esperadas, key=lambda o: (o["recibida_en"], o["serviceOrderId"]))


@pytest.fixture(scope="module")
def historia(tabla_propia: str) -> Iterator[Historia]:
    """Plays the plan in time order through the handlers, the clock set to each event's moment."""
    from tools import eventos, funciones

    cargados: dict[str, Any] = {}

    def invocar(nombre: str, metodo: str, recurso: str, **kwargs: Any) -> dict[str, Any]:
        if nombre not in cargados:
            cargados[nombre] = funciones.cargar(nombre)
        camino = recurso
        for k, v in (kwargs.get("ruta_params") or {}).items():
            camino = camino.replace("{" + k + "}", v)
        cuerpo = kwargs.get("cuerpo")
        evento = eventos.evento_rest(
            metodo,
            recurso,
            camino,
            cuerpo=cuerpo if cuerpo is None or isinstance(cuerpo, str) else json.dumps(cuerpo),
            parametros_ruta=kwargs.get("ruta_params"),
            query={},
            headers={"Content-Type": ["application/json"]},
            autorizador=kwargs["llamante"].autorizador,
        )
        respuesta = funciones.invocar(cargados[nombre], evento, nombre)
        return {**respuesta, "json": json.loads(respuesta["body"]) if respuesta.get("body") else None}

    unidades = plan("REP", 220)
    todos = sorted(((m, i, t, a) for i, u in enumerate(unidades) for m, t, a in u.eventos), key=lambda e: (e[0], e[1]))
    original = dates.reloj
    try:
        for momento, i, tipo, argumento in todos:
            dates.reloj = _reloj(momento)
            _aplicar(invocar, unidades[i], tipo, argumento)
        sin_expediente = _ordenes(invocar, unidades)
        dates.reloj = _reloj(AHORA)
        yield Historia(unidades, sin_expediente)
    finally:
        dates.reloj = original


# ---- what the reports must say, computed from the plan alone
def dia(momento: datetime) -> date:
    return momento.astimezone(ZONA).date()


def media(valores: list[int]) -> Decimal | None:
    if not valores:
        return None
    return (Decimal(sum(valores)) / len(valores)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def resumen_esperado(unidades: list[Unidad]) -> dict[str, Any]:
    dias = [(dia(u.primeras["Salida"]) - u.ingreso).days for u in unidades]
    limites = {
        "Ingreso": lambda u: (dia(u.primeras["Restauracion"]) - u.ingreso).days,
        "Restauracion": lambda u: (dia(u.primeras["Pendiente_de_salida"]) - dia(u.primeras["Restauracion"])).days,
        "Pendiente_de_salida": lambda u: (dia(u.primeras["Salida"]) - dia(u.primeras["Pendiente_de_salida"])).days,
    }
    orden_dias = sorted(dias)
    return {
        "unidades": len(unidades),
        "dias_llave_a_llave": {
            "promedio": media(dias),
            "mediana": Decimal(str(statistics.median(dias))).quantize(Decimal("0.01")) if dias else None,
            "p90": orden_dias[math.ceil(len(orden_dias) * 9 / 10) - 1] if dias else None,
        },
        "dias_por_etapa": {
            etapa: {"promedio": media([f(u) for u in unidades]), "unidades": len(unidades)}
            for etapa, f in limites.items()
        },
    }


def ciclo_esperado(h: Historia, desde: date, hasta: date, aseguradora: int | None = None) -> dict[str, Any]:
    entregadas = [
        u
        for u in h.unidades
        if not u.borrada
        and "Salida" in u.primeras
        and desde <= dia(u.primeras["Salida"]) <= hasta
        and (aseguradora is None or u.aseguradora == aseguradora)
    ]
    grupos = sorted({u.aseguradora for u in entregadas}, key=lambda a: (a is None, a or 0))
    return {
        "desde": desde.isoformat(),
        "hasta": hasta.isoformat(),
        "zona_horaria": "America/Mexico_City",
        "id_aseguradora": aseguradora,
        "general": resumen_esperado(entregadas),
        "por_aseguradora": [
            {"id_aseguradora": a, **resumen_esperado([u for u in entregadas if u.aseguradora == a])} for a in grupos
        ],
    }


def _numeros(valor: Any) -> Any:
    """Decimals compared by value (12.5 == 12.50), the rest as is."""
    if isinstance(valor, dict):
        return {k: _numeros(v) for k, v in valor.items()}
    if isinstance(valor, list):
        return [_numeros(v) for v in valor]
    if isinstance(valor, Decimal):
        return valor.normalize()
    return valor


def pedir(nombre: str, ruta: str, llamante: Llamante, query: dict[str, str] | None = None) -> tuple[int, Any]:
    from tests.apoyo.aws import _modulos
    from tools import eventos, funciones

    if nombre not in _modulos:
        _modulos[nombre] = funciones.cargar(nombre)
    evento = eventos.evento_rest(
        "GET",
        ruta,
        ruta,
        cuerpo=None,
        parametros_ruta=None,
        query={k: [v] for k, v in (query or {}).items()},
        headers={},
        autorizador=llamante.autorizador,
    )
    respuesta = funciones.invocar(_modulos[nombre], evento, nombre)
    return respuesta["statusCode"], json.loads(respuesta["body"], parse_float=Decimal, parse_int=Decimal)


def ciclo_de(query: dict[str, str], llamante: Llamante = OPERADOR) -> tuple[int, Any]:
    return pedir("reportes_ciclo", "/api/reportes/ciclo", llamante, query)


# ---- the production board
def test_the_board_counts_every_unit_by_state_and_insurer_from_its_counters(
    historia: Historia, dynamo_requests: Any
) -> None:
    vivas = [u for u in historia.unidades if not u.borrada]
    conteo = Counter((u.estado, u.aseguradora) for u in vivas)
    aseguradoras_vistas = sorted({a for _e, a in conteo}, key=lambda a: (a is None, a or 0))

    def grupo(filtro: Callable[[int | None], bool]) -> dict[str, Any]:
        por_estado = {e: sum(c for (es, a), c in conteo.items() if es == e and filtro(a)) for e in ESTADOS}
        return {"por_estado": por_estado, "en_taller": sum(por_estado[e] for e in ETAPAS)}

    atrasadas = sorted((u for u in vivas if u.estado != "Salida" and u.promesa < HOY), key=lambda u: (u.promesa, u.no))
    dynamo_requests.reiniciar()

    status, cuerpo = pedir("reportes_produccion", "/api/reportes/produccion", OPERADOR)

    assert status == 200
    assert dynamo_requests.llamadas == {"Query": 3}
    assert _numeros(cuerpo) == _numeros(
        {
            "fecha": "2024-07-20",
            "zona_horaria": "America/Mexico_City",
            **grupo(lambda _a: True),
            "por_aseguradora": [{"id_aseguradora": a, **grupo(lambda x, a=a: x == a)} for a in aseguradoras_vistas],
            "atrasadas": [
                {
                    "no_siniestro": u.no,
                    "nombre_cliente": f"Cliente {u.no}",
                    "placas": f"P-{u.no[-4:]}",
                    "id_aseguradora": u.aseguradora,
                    "estado": u.estado,
                    "fecha_entrega": f"{u.promesa.isoformat()}T12:00:00.000Z",
                    "dias_atraso": (HOY - u.promesa).days,
                }
                for u in atrasadas
            ],
            "ordenes_sin_expediente": historia.sin_expediente,
        }
    )
    # the history is what the acceptance asks for: hundreds of units, every kind of path
    assert len(vivas) >= 200
    assert len(atrasadas) >= 5
    assert {None, 1, 2, 3} <= set(aseguradoras_vistas)
    assert sum(1 for u in vivas if any(t == "reabrir" for _m, t, _a in u.eventos)) >= 5


def test_the_board_reads_one_more_page_per_page_of_overdue_units(
    historia: Historia, dynamo_requests: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    atrasadas = sum(1 for u in historia.unidades if not u.borrada and u.estado != "Salida" and u.promesa < HOY)
    marcadores = 2  # ORD-A and ORD-C
    monkeypatch.setattr(produccion, "TAMANO_PAGINA", 4)
    dynamo_requests.reiniciar()

    status, cuerpo = pedir("reportes_produccion", "/api/reportes/produccion", ADMIN)

    assert status == 200
    assert len(cuerpo["atrasadas"]) == atrasadas
    # counters (1) + overdue pages + marker pages; a page of exactly 4 leaves one empty page to confirm the end
    assert dynamo_requests.llamadas == {"Query": 1 + (atrasadas // 4 + 1) + (marcadores // 4 + 1)}


# ---- the cycle report
RANGOS = [
    (date(2024, 1, 1), date(2024, 7, 20), None),
    (date(2024, 3, 1), date(2024, 3, 31), None),
    (date(2024, 1, 1), date(2024, 7, 20), 2),
    (date(2024, 5, 1), date(2024, 6, 30), None),
    (date(2023, 1, 1), date(2023, 12, 31), None),
]


@pytest.mark.parametrize(("desde", "hasta", "aseguradora"), RANGOS)
def test_cycle_figures_match_the_plan_exactly(
    historia: Historia, dynamo_requests: Any, desde: date, hasta: date, aseguradora: int | None
) -> None:
    query = {"desde": desde.isoformat(), "hasta": hasta.isoformat()}
    if aseguradora is not None:
        query["id_aseguradora"] = str(aseguradora)
    dynamo_requests.reiniciar()

    status, cuerpo = ciclo_de(query)

    assert status == 200
    assert dynamo_requests.llamadas == {"Query": 1}
    assert _numeros(cuerpo) == _numeros(ciclo_esperado(historia, desde, hasta, aseguradora))


def test_a_delivery_late_in_the_evening_counts_on_the_shops_day_not_utcs(historia: Historia) -> None:
    tarde = next(
        u
        for u in historia.unidades
        if not u.borrada and "Salida" in u.primeras and u.primeras["Salida"].astimezone(ZONA).hour == 23
    )
    entrega = dia(tarde.primeras["Salida"])
    assert tarde.primeras["Salida"].astimezone(UTC).date() == entrega + timedelta(days=1)  # UTC says tomorrow

    _status, cuerpo = ciclo_de({"desde": entrega.isoformat(), "hasta": entrega.isoformat()})
    _status, manana = ciclo_de({"desde": (entrega + timedelta(days=1)).isoformat(), "hasta": "2024-07-20"})

    assert _numeros(cuerpo) == _numeros(ciclo_esperado(historia, entrega, entrega))
    assert cuerpo["general"]["unidades"] >= 1
    assert _numeros(manana) == _numeros(ciclo_esperado(historia, entrega + timedelta(days=1), date(2024, 7, 20)))


def test_a_reopened_unit_counts_once_at_its_first_delivery(historia: Historia) -> None:
    reabierta = next(u for u in historia.unidades if not u.borrada and any(t == "reabrir" for _m, t, _a in u.eventos))
    segunda = max(m for m, t, a in reabierta.eventos if t == "estado" and a == "Salida")
    primera = dia(reabierta.primeras["Salida"])
    assert dia(segunda) > primera or segunda > reabierta.primeras["Salida"]

    _s, en_primera = ciclo_de({"desde": primera.isoformat(), "hasta": primera.isoformat()})
    _s, todo = ciclo_de({"desde": "2024-01-01", "hasta": "2024-07-20"})

    assert en_primera["general"]["unidades"] >= 1
    assert todo["general"]["unidades"] == sum(
        1 for u in historia.unidades if not u.borrada and "Salida" in u.primeras
    )  # each delivered unit once, reopened or not


def test_the_cycle_reads_one_page_per_page_of_delivered_units_in_the_range(
    historia: Historia, dynamo_requests: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    entregadas = sum(
        1
        for u in historia.unidades
        if not u.borrada
        and "Salida" in u.primeras
        and date(2024, 3, 1) <= dia(u.primeras["Salida"]) <= date(2024, 4, 30)
    )
    monkeypatch.setattr(ciclo, "TAMANO_PAGINA", 7)
    dynamo_requests.reiniciar()

    status, cuerpo = ciclo_de({"desde": "2024-03-01", "hasta": "2024-04-30", "id_aseguradora": "1"})

    assert status == 200
    # the insurer is a filter: the pages are those of every unit delivered in the range, never of the table
    assert dynamo_requests.llamadas == {"Query": entregadas // 7 + 1}
    assert _numeros(cuerpo) == _numeros(ciclo_esperado(historia, date(2024, 3, 1), date(2024, 4, 30), 1))


@pytest.mark.parametrize(
    ("query", "campo"),
    [
        ({"desde": "2024-03-01"}, "hasta"),
        ({"desde": "2024-02-30", "hasta": "2024-03-31"}, "desde"),
        ({"desde": "01/03/2024", "hasta": "2024-03-31"}, "desde"),
        ({"desde": "2024-04-01", "hasta": "2024-03-31"}, "hasta"),
        ({"desde": "2024-01-01", "hasta": "2025-01-01"}, "hasta"),  # 367 days
        ({"desde": "9999-12-31", "hasta": "9999-12-31"}, "desde"),  # the day after would not be a date
        ({"desde": "2024-01-01", "hasta": "2024-12-31", "id_aseguradora": "0"}, "id_aseguradora"),
        ({"desde": "2024-01-01", "hasta": "2024-12-31", "id_aseguradora": "99999999999999999999999"}, "id_aseguradora"),
        ({"desde": "2024-01-01", "hasta": "2024-12-31", "formato": "pdf"}, "formato"),
    ],
)
def test_bad_ranges_are_400_naming_the_field(
    tabla_propia: str, dynamo_requests: Any, query: dict[str, str], campo: str
) -> None:
    dynamo_requests.reiniciar()

    status, cuerpo = ciclo_de(query)

    assert status == 400
    assert campo in [d["campo"] for d in cuerpo["detalles"]]
    assert dynamo_requests.total == 0


def test_a_range_of_366_days_is_accepted(tabla_propia: str) -> None:
    status, cuerpo = ciclo_de({"desde": "2024-01-01", "hasta": "2024-12-31"})  # 2024 is a leap year

    assert status == 200
    assert cuerpo["desde"] == "2024-01-01"


def test_the_reports_are_for_administrators_and_operators(tabla_propia: str) -> None:
    status, cuerpo = ciclo_de({"desde": "x"}, TECNICO)
    assert (status, cuerpo) == (403, {"error": "Acceso restringido a administradores y operadores"})
    status, cuerpo = pedir("reportes_produccion", "/api/reportes/produccion", TECNICO)
    assert (status, cuerpo) == (403, {"error": "Acceso restringido a administradores y operadores"})


def test_xlsx_is_a_download_of_the_same_figures(historia: Historia, aws: Any) -> None:
    import io
    from urllib.parse import unquote, urlparse

    import requests
    from openpyxl import load_workbook

    status, cuerpo = ciclo_de({"desde": "2024-01-01", "hasta": "2024-07-20", "formato": "xlsx"})

    assert status == 200
    assert set(cuerpo) == {"url", "nombre_archivo", "expira_en"}
    assert cuerpo["nombre_archivo"] == "ciclo_2024-01-01_2024-07-20.xlsx"
    assert cuerpo["expira_en"] == dates.iso(AHORA + timedelta(minutes=15))
    assert unquote(urlparse(cuerpo["url"]).path).split("/", 2)[2].startswith("reportes/ciclo/")
    descarga = requests.get(cuerpo["url"], timeout=10)
    assert descarga.status_code == 200
    assert "attachment" in descarga.headers["Content-Disposition"]
    libro = load_workbook(io.BytesIO(descarga.content))
    filas = {f[0]: f for f in libro["Resumen"].iter_rows(min_row=2, values_only=True)}
    esperado = ciclo_esperado(historia, date(2024, 1, 1), date(2024, 7, 20))
    for grupo, nombre in [
        (esperado["general"], "General"),
        *[
            (g, {1: "Qualitas", 2: "AXA", 3: "HDI", None: "Sin aseguradora"}[g["id_aseguradora"]])
            for g in esperado["por_aseguradora"]
        ],
    ]:
        fila = filas[nombre]
        dias = grupo["dias_llave_a_llave"]
        assert fila[1] == grupo["unidades"]
        assert Decimal(str(fila[2])) == dias["promedio"]
        assert Decimal(str(fila[3])) == dias["mediana"]
        assert fila[4] == dias["p90"]
        assert [Decimal(str(v)) for v in fila[5:8]] == [grupo["dias_por_etapa"][e]["promedio"] for e in ETAPAS]
    unidades = list(libro["Unidades"].iter_rows(min_row=2, values_only=True))
    assert len(unidades) == esperado["general"]["unidades"]


# ---- the writes keep the aggregates without an extra request
def test_the_writes_keep_the_aggregates_in_their_own_transaction(
    tabla_propia: str, dynamo_requests: Any, invocar: Invocar
) -> None:
    """Create 1 write, transition 1 read + 1 write, PUT 1 + 1, as before the reports; the deletion reads the
    item first (its counter must be known) and then writes as before."""
    u = Unidad("REP-ESCRITURAS", 1, date(2024, 7, 1), date(2024, 7, 5))

    def contar(accion: Callable[[], None]) -> dict[str, int]:
        dynamo_requests.reiniciar()
        accion()
        return dict(dynamo_requests.llamadas)

    def conteos() -> dict[tuple[str, str], int]:
        total: Counter[tuple[str, str]] = Counter()
        for item in table.query_todo("PK = :pk", {":pk": "REPORTES#PRODUCCION"}):
            estado, aseguradora, _ = item["SK"].split("#")[1:4]
            total[(estado, aseguradora)] += int(item["unidades"])
        return {k: v for k, v in total.items() if v}

    base = conteos()
    assert contar(lambda: _aplicar(invocar, u, "crear", None)) == {"TransactWriteItems": 1}
    assert conteos() == dict(Counter(base) + Counter({("Ingreso", "1"): 1}))
    assert contar(lambda: _aplicar(invocar, u, "estado", "Restauracion")) == {"GetItem": 1, "TransactWriteItems": 1}
    detalle = invocar("expedientes_get", "GET", RUTA, llamante=TECNICO, ruta_params={"no_siniestro": u.no})
    assert set(detalle["json"]["hitos"]) == {"Ingreso", "Restauracion", "en_reparacion"}  # in the responses too
    assert contar(lambda: _aplicar(invocar, u, "aseguradora", None)) == {"GetItem": 1, "TransactWriteItems": 1}
    assert conteos() == dict(Counter(base) + Counter({("Restauracion", "-"): 1}))
    assert contar(lambda: _aplicar(invocar, u, "borrar", None)) == {
        "GetItem": 1,
        "TransactWriteItems": 1,
        "Query": 1,
        "BatchWriteItem": 1,
    }
    assert conteos() == base
    assert table.get({"PK": f"EXP#{u.no}", "SK": "EXP"}) is None
