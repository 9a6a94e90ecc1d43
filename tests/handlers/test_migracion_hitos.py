"""tools/migrar_hitos.py: the milestones, counters, indexes and order markers of data written before they
existed, rebuilt from the history, resumable after an interruption and idempotent.

The data is made by today's handlers, then stripped of everything the reports added (as the table looked
before the deployment); the migration must bring it back to what the writes themselves had produced, and the
reports must then say exactly what they said before the strip.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from monitor.aseguradoras import servicio as aseguradoras
from monitor.auth.roles import Principal
from monitor.core import dates, jsoncodec, keys, table
from monitor.core.settings import settings
from monitor.reportes import agregados, migracion
from monitor.usuarios.campos import Rol
from tests.apoyo.checklists import aprobar_checklist
from tests.apoyo.llamantes import Llamante
from tests.apoyo.ordenes import crear_cliente, orden
from tools import migrar_hitos, plantilla

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")

Invocar = Callable[..., dict[str, Any]]
OPERADOR = Llamante(Principal(id="5", username="op-migracion", rol=Rol.OPERADOR), token="")
RUTA = "/api/expedientes/{no_siniestro}"
ATRIBUTOS_NUEVOS = ("hitos", agregados.CONTABILIZADO, "TallerPK", "TallerSK", "EntregasPK", "EntregasSK")
INICIO = datetime(2024, 2, 5, 15, 0, tzinfo=UTC)


@pytest.fixture
def tabla_propia() -> Iterator[str]:
    anterior = os.environ["MONITOR_TABLE"]
    nombre = f"{anterior}-migracion-{uuid.uuid4().hex[:6]}"
    table.cliente().create_table(TableName=nombre, **plantilla.definicion_tabla())
    os.environ["MONITOR_TABLE"] = nombre
    settings.cache_clear()
    aseguradoras.sembrar_catalogo()
    original = dates.reloj
    try:
        yield nombre
    finally:
        dates.reloj = original
        os.environ["MONITOR_TABLE"] = anterior
        settings.cache_clear()


class Reloj:
    """Each call of a handler one hour after the previous one."""

    def __init__(self) -> None:
        self.momento = INICIO

    def avanzar(self, horas: float = 1) -> None:
        self.momento += timedelta(hours=horas)
        momento = self.momento
        dates.reloj = lambda: momento


def _historia(invocar: Invocar, reloj: Reloj) -> list[str]:
    """Twelve expedientes down every path (fields set at creation or later, reopened, insurer changed,
    deleted), and orders for a claim without an expediente."""
    nos = [f"MIG-{i:02d}" for i in range(12)]
    for i, no in enumerate(nos):
        reloj.avanzar()
        cuerpo = {
            "no_siniestro": no,
            "nombre_cliente": f"Cliente {i}",
            "telefono_cliente": "555",
            "marca": "Dina",
            "placas": f"M-{i}",
            "tipo": "Autobús",
            "modelo": "Runner",
            "fecha_ingreso": "2024-02-05",
            "fecha_entrega": "2024-02-20" if i % 3 else "2024-04-20",
            "id_aseguradora": [1, 2, None][i % 3],
        }
        if i % 4 == 0:
            cuerpo["fecha_autorizacion"] = "2024-02-05"  # a milestone reached at creation
        assert (
            invocar("expedientes_create", "POST", "/api/expedientes", llamante=OPERADOR, cuerpo=cuerpo)["statusCode"]
            == 201
        )
    for i, no in enumerate(nos):
        ruta = {"no_siniestro": no}

        def put(cuerpo: dict[str, Any], ruta: dict[str, str] = ruta) -> None:
            reloj.avanzar(5)
            r = invocar("expedientes_update", "PUT", RUTA, llamante=OPERADOR, ruta_params=ruta, cuerpo=cuerpo)
            assert r["statusCode"] == 200, r["json"]

        def estado(destino: str, ruta: dict[str, str] = ruta, rol: Rol = Rol.OPERADOR) -> None:
            reloj.avanzar(7)
            quien = Llamante(Principal(id="5", username="x", rol=rol), token="")
            r = invocar(
                "expedientes_estado",
                "PATCH",
                RUTA + "/estado",
                llamante=quien,
                ruta_params=ruta,
                cuerpo={"estado": destino},
            )
            assert r["statusCode"] == 200, r["json"]

        if i % 2:
            put({"fecha_pzas_completas": "2024-02-09", "fecha_autorizacion": "2024-02-08"})
        for destino in ("Restauracion", "Pendiente_de_salida", "Salida")[: i % 4]:
            if destino == "Salida":
                put({"unidad_terminada": "2024-02-10", "doc_finiquito": True})
                aprobar_checklist(invocar, OPERADOR, no)
            estado(destino)
            if destino == "Restauracion" and i % 3 == 0:  # back a stage and forward again
                estado("Ingreso")
                estado("Restauracion")
        if i == 5:
            put({"id_aseguradora": 1})
    # i == 3 reaches Salida: reopen it (administrator) and deliver it again
    estado_admin = Llamante(Principal(id="1", username="admin", rol=Rol.ADMINISTRADOR), token="")
    for destino in ("Pendiente_de_salida", "Salida"):
        reloj.avanzar(3)
        r = invocar(
            "expedientes_estado",
            "PATCH",
            RUTA + "/estado",
            llamante=estado_admin,
            ruta_params={"no_siniestro": nos[3]},
            cuerpo={"estado": destino},
        )
        assert r["statusCode"] == 200, r["json"]
    reloj.avanzar()
    assert (
        invocar("expedientes_delete", "DELETE", RUTA, llamante=estado_admin, ruta_params={"no_siniestro": nos[11]})[
            "statusCode"
        ]
        == 200
    )
    cliente = crear_cliente(id_aseguradora=1, exigir_firma=False)
    for reclamo in ("MIG-SIN-1", "MIG-SIN-1", nos[0]):
        reloj.avanzar()
        cuerpo = jsoncodec.dumps(orden(claim=reclamo))
        r = invocar("ordenes_receive", "POST", "/serviceOrders", llamante=cliente.llamante, cuerpo=cuerpo)
        assert r["statusCode"] == 201, r["json"]
    return nos[:11]


def _estado_de_reportes(nos: list[str]) -> dict[str, Any]:
    """What the reports rest on: each expediente's milestones and index keys, the counters, the markers."""
    expedientes = {
        no: {a: item.get(a) for a in ATRIBUTOS_NUEVOS if a != agregados.CONTABILIZADO}
        for no in nos
        if (item := table.get(keys.expediente(no), consistente=True)) is not None
    }
    contadores: dict[tuple[str, str], int] = {}
    for item in table.query_todo("PK = :pk", {":pk": keys.PRODUCCION}, consistente=True):
        estado, aseguradora, _ = item["SK"].removeprefix(keys.PREFIJO_UNIDADES).split("#")
        contadores[(estado, aseguradora)] = contadores.get((estado, aseguradora), 0) + int(item["unidades"])
    marcadores = {
        i["no_siniestro"]: sorted(i.get(agregados.ORDENES) or [])
        for i in table.query_todo("GSI1PK = :pk", {":pk": keys.ORDENES_SIN_EXPEDIENTE}, indice="GSI1")
    }
    return {
        "expedientes": expedientes,
        "contadores": {k: v for k, v in contadores.items() if v},
        "marcadores": marcadores,
    }


def _quitar_lo_nuevo(nos: list[str]) -> None:
    """The table as it was before the deployment: no milestones, marks, index keys, counters or markers."""
    nombres = {f"#a{i}": a for i, a in enumerate(ATRIBUTOS_NUEVOS)}
    for no in nos:
        if table.get(keys.expediente(no)) is not None:
            table.update(keys.expediente(no), "REMOVE " + ", ".join(nombres), nombres=nombres)
    contadores = table.query_todo("PK = :pk", {":pk": keys.PRODUCCION}, consistente=True)
    marcadores = table.query_todo("GSI1PK = :pk", {":pk": keys.ORDENES_SIN_EXPEDIENTE}, indice="GSI1")
    table.borrar_varios([{"PK": i["PK"], "SK": i["SK"]} for i in [*contadores, *marcadores]])


def _reportes(invocar: Invocar) -> tuple[Any, Any]:
    admin = Llamante(Principal(id="1", username="admin", rol=Rol.ADMINISTRADOR), token="")
    tablero = invocar("reportes_produccion", "GET", "/api/reportes/produccion", llamante=admin)
    ciclo = invocar(
        "reportes_ciclo",
        "GET",
        "/api/reportes/ciclo",
        llamante=admin,
        query={"desde": "2024-02-01", "hasta": "2024-03-31"},
    )
    assert tablero["statusCode"] == ciclo["statusCode"] == 200
    return json.loads(tablero["body"], parse_float=Decimal), json.loads(ciclo["body"], parse_float=Decimal)


def test_an_interrupted_migration_resumes_and_rebuilds_what_the_writes_had_written(
    tabla_propia: str, invocar: Invocar, monkeypatch: pytest.MonkeyPatch, dynamo_requests: Any
) -> None:
    reloj = Reloj()
    nos = _historia(invocar, reloj)
    reloj.avanzar(24 * 30)  # "today" is weeks later: some promised dates are past
    antes = _estado_de_reportes(nos)
    tablero, ciclo = _reportes(invocar)
    assert antes["contadores"]
    assert antes["marcadores"] == {"MIG-SIN-1": antes["marcadores"]["MIG-SIN-1"]}
    assert len(antes["marcadores"]["MIG-SIN-1"]) == 2
    assert ciclo["general"]["unidades"] >= 2
    assert tablero["atrasadas"]

    _quitar_lo_nuevo(nos)
    assert _estado_de_reportes(nos)["contadores"] == {}
    # A change after the deployment and before the migration: the unit is not counted yet, so its move must
    # not touch the counters, and its new milestone is later than the history's.
    reloj.avanzar()
    no = nos[1]
    r = invocar(
        "expedientes_estado",
        "PATCH",
        RUTA + "/estado",
        llamante=OPERADOR,
        ruta_params={"no_siniestro": no},
        cuerpo={"estado": "Ingreso"},
    )
    assert r["statusCode"] == 200
    assert _estado_de_reportes(nos)["contadores"] == {}
    r = invocar(
        "expedientes_estado",
        "PATCH",
        RUTA + "/estado",
        llamante=OPERADOR,
        ruta_params={"no_siniestro": no},
        cuerpo={"estado": "Restauracion"},
    )
    assert r["statusCode"] == 200

    # Interrupted half-way through the second page.
    real = migracion.migrar_expediente
    llamadas = {"n": 0}

    def fallar_en_la_septima(no_siniestro: str) -> bool:
        llamadas["n"] += 1
        if llamadas["n"] == 7:
            raise RuntimeError("corte de red simulado")
        return real(no_siniestro)

    monkeypatch.setattr(migracion, "migrar_expediente", fallar_en_la_septima)
    with pytest.raises(RuntimeError):
        migracion.ejecutar(pagina=5)
    avance = migracion.leer_avance()
    assert (avance.fase, avance.expedientes) == ("expedientes", 5)
    monkeypatch.setattr(migracion, "migrar_expediente", real)

    assert migrar_hitos.main(["--table", tabla_propia]) == 0  # resumes from the saved page

    final = migracion.leer_avance()
    assert final.fase == "terminada"
    # the one migrated in the interrupted page was found marked and skipped: counted once
    assert (final.expedientes, final.omitidos) == (len(nos) - 1, 1)
    assert final.ordenes == 2
    despues = _estado_de_reportes(nos)
    assert despues == antes
    assert _reportes(invocar) == (tablero, ciclo)

    # Idempotent: a whole new run writes nothing but its progress.
    dynamo_requests.reiniciar()
    otra = migracion.ejecutar(desde_cero=True)
    assert otra.expedientes == 0
    assert otra.omitidos == len(nos)
    assert "TransactWriteItems" not in dynamo_requests.llamadas
    assert _estado_de_reportes(nos) == antes


def test_milestones_of_fields_come_from_the_audit_or_the_creation() -> None:
    historial = [
        {"estado_nuevo": "Ingreso", "fecha_cambio": "2024-01-01T10:00:00.000Z"},
        {"estado_nuevo": "Restauracion", "fecha_cambio": "2024-01-03T10:00:00.000Z"},
        {"estado_nuevo": "Ingreso", "fecha_cambio": "2024-01-04T10:00:00.000Z"},
        {"estado_nuevo": "Restauracion", "fecha_cambio": "2024-01-05T10:00:00.000Z"},
    ]
    auditoria = [
        {
            "fecha": "2024-01-02T10:00:00.000Z",
            "cambios": [{"campo": "fecha_pzas_completas", "anterior": None, "nuevo": "x"}],
        },
        {
            "fecha": "2024-01-06T10:00:00.000Z",
            "cambios": [{"campo": "fecha_autorizacion", "anterior": "a", "nuevo": "b"}],
        },
        {
            "fecha": "2024-01-07T10:00:00.000Z",
            "recurso": "checklist",
            "cambios": [{"campo": "fecha_pzas_completas", "anterior": None, "nuevo": "y"}],
        },
    ]

    hitos = migracion.hitos_de_historial(historial, auditoria, {})

    assert hitos == {
        "Ingreso": "2024-01-01T10:00:00.000Z",
        "Restauracion": "2024-01-03T10:00:00.000Z",
        "en_reparacion": "2024-01-03T10:00:00.000Z",
        "refacciones_completas": "2024-01-02T10:00:00.000Z",
        "valuacion_autorizada": "2024-01-01T10:00:00.000Z",  # it had a value before its first audit: creation
    }
    # never touched by an audit entry: set at creation if it has a value now, unknown otherwise
    assert migracion.hitos_de_historial(historial[:1], [], {"fecha_autorizacion": "x"}) == {
        "Ingreso": "2024-01-01T10:00:00.000Z",
        "valuacion_autorizada": "2024-01-01T10:00:00.000Z",
    }
    assert migracion.combinar({"Ingreso": "2024-02-01", "x": "1"}, {"Ingreso": "2024-01-01"}) == {
        "Ingreso": "2024-01-01",
        "x": "1",
    }
