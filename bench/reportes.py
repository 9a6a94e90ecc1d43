"""Section 6 (`--solo reportes`, not in the default run: loading 10 000 expedientes into moto takes minutes):
each report's warm time with 1 000 and then 10 000 expedientes in the table, beside its floor (the bare
Queries of docs/data-model.md with the same pages).

The extra 9 000 expedientes are delivered before the measured month or still in the shop with a future
promise, so the board's late units and the month's deliveries are the same at both sizes: what the reports
read stays the same while the table grows tenfold. A last row asks the cycle for a whole year, whose
deliveries do grow with the table.

The expedientes are written in bulk (BatchWriteItem) with the shape the writes give them: the creation's
item, `hitos` of a unit that went through every stage, the index keys of `monitor.reportes.agregados`, and
counters that add them all up. Through the handlers 10 000 creations and 30 000 transitions would take an
hour of moto.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bench import escenarios
from bench.dynamo import Llamada
from bench.estadistica import Resumen, ms, percentil, tabla_md, veces

TAMANOS = (1_000, 10_000)
EN_RANGO = 200  # delivered in the measured month, at every size
ATRASADAS = 50  # late, at every size
PAGINA = 1_000  # monitor.reportes.produccion / ciclo TAMANO_PAGINA
CALENTAMIENTO = 1  # untimed calls first (the functions are loaded by then; moto's Query is the slow part)


@dataclass
class Medida:
    nombre: str
    tamano: int
    handler: list[float]
    piso: list[float]
    llamada: Llamada


class Carga:
    """Writes expedientes in the shape of the layer's writes, and the counters that match them."""

    def __init__(self, banco: escenarios.Banco) -> None:
        from boto3.dynamodb.types import TypeSerializer

        self.banco = banco
        self.ser = TypeSerializer()
        self.rng = random.Random(6)  # noqa: S311 - fixture data, not security
        self.contadores: Counter[tuple[str, int | None]] = Counter()
        self.total = 0
        hoy = datetime.now(UTC).date()
        self.mes = (hoy.replace(day=1) - timedelta(days=1)).replace(day=1)  # last month: wholly in the past
        self.hoy = hoy

    def _item(self, i: int, tipo: str) -> dict[str, Any]:
        from monitor.core import dates, keys
        from monitor.reportes import agregados

        no = f"BENCH-R-{i:06d}"
        aseguradora = self.rng.choice([1, 2, 3, None])
        if tipo == "en_rango":
            entrega = self.mes + timedelta(days=self.rng.randrange(28))
        elif tipo == "antes":
            entrega = self.mes - timedelta(days=self.rng.randrange(40, 700))
        else:
            entrega = None
        ingreso = (entrega or self.hoy) - timedelta(days=self.rng.randrange(3, 40))
        promesa = self.hoy - timedelta(days=5) if tipo == "atrasada" else ingreso + timedelta(days=30)
        if tipo == "en_taller":
            promesa = self.hoy + timedelta(days=self.rng.randrange(1, 30))

        def momento(dia: date, hora: int) -> str:
            return dates.iso(datetime(dia.year, dia.month, dia.day, hora, tzinfo=UTC))

        hitos = {"Ingreso": momento(ingreso, 15)}
        estado = "Ingreso" if entrega is None else "Salida"
        if entrega is not None:
            pasos = sorted(self.rng.sample(range(1, max(3, (entrega - ingreso).days)), 2))
            hitos |= {
                "Restauracion": momento(ingreso + timedelta(days=pasos[0]), 16),
                "en_reparacion": momento(ingreso + timedelta(days=pasos[0]), 16),
                "Pendiente_de_salida": momento(ingreso + timedelta(days=pasos[1]), 17),
                "lista_para_entrega": momento(ingreso + timedelta(days=pasos[1]), 17),
                "Salida": momento(entrega, 18),
                "entregada": momento(entrega, 18),
            }
        item: dict[str, Any] = {
            **keys.expediente(no),
            **keys.listas_expediente(no, momento(ingreso, 12), estado, aseguradora),
            **escenarios.CUERPO_EXPEDIENTE,
            "tipo": "expediente",
            "no_siniestro": no,
            "fecha_ingreso": momento(ingreso, 12),
            "fecha_entrega": momento(promesa, 12),
            "estado": estado,
            "ubicacion_almacenamiento": "Local",
            "creado_por": 1,
            "version": 1,
            "creado_en": hitos["Ingreso"],
            "actualizado_en": hitos["Ingreso"],
            "hitos": hitos,
            agregados.CONTABILIZADO: True,
        }
        if aseguradora is None:
            item.pop("id_aseguradora")
        else:
            item["id_aseguradora"] = aseguradora
        agregados.aplicar_indices(item)
        self.contadores[(estado, aseguradora)] += 1
        return {k: self.ser.serialize(v) for k, v in item.items() if v is not None}

    def hasta(self, tamano: int) -> None:
        """Grows the table to `tamano` expedientes; the first load has the month's deliveries and the late ones."""
        from monitor.core import keys

        tipos: list[str] = []
        if self.total == 0:
            tipos = ["en_rango"] * EN_RANGO + ["atrasada"] * ATRASADAS
        while len(tipos) + self.total < tamano:
            tipos.append("antes" if self.rng.random() < 0.8 else "en_taller")
        items = [self._item(self.total + i, t) for i, t in enumerate(tipos)]
        self.total += len(items)
        contadores = [
            {
                **{k: self.ser.serialize(v) for k, v in keys.unidades(estado, aseguradora, 0).items()},
                "unidades": self.ser.serialize(n),
            }
            for (estado, aseguradora), n in self.contadores.items()
        ]
        pendientes = [{"PutRequest": {"Item": i}} for i in [*items, *contadores]]
        c, t = self.banco.crudo, self.banco.tabla
        for inicio in range(0, len(pendientes), 25):
            lote: dict[str, Any] = {t: pendientes[inicio : inicio + 25]}
            while lote:
                lote = c.batch_write_item(RequestItems=lote).get("UnprocessedItems") or {}


class Pisos:
    """The reports' Queries with the bare client, paged like the handlers."""

    def __init__(self, banco: escenarios.Banco) -> None:
        self.c, self.t = banco.crudo, banco.tabla

    def _todas(self, **parametros: Any) -> None:
        inicio = None
        while True:
            extra = {"ExclusiveStartKey": inicio} if inicio else {}
            respuesta = self.c.query(TableName=self.t, Limit=PAGINA, **parametros, **extra)
            inicio = respuesta.get("LastEvaluatedKey")
            if not inicio:
                return

    def tablero(self) -> None:
        from monitor.core import dates, keys

        self.c.query(
            TableName=self.t,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :u)",
            ExpressionAttributeValues={":pk": {"S": keys.PRODUCCION}, ":u": {"S": keys.PREFIJO_UNIDADES}},
        )
        self._todas(
            IndexName="Taller",
            KeyConditionExpression="TallerPK = :pk AND TallerSK < :hoy",
            ExpressionAttributeValues={":pk": {"S": keys.EN_TALLER}, ":hoy": {"S": dates.inicio_dia(dates.hoy())}},
        )
        self._todas(
            IndexName="GSI1",
            KeyConditionExpression="GSI1PK = :pk",
            ExpressionAttributeValues={":pk": {"S": keys.ORDENES_SIN_EXPEDIENTE}},
        )

    def ciclo(self, desde: date, hasta: date) -> Callable[[], None]:
        from monitor.core import dates, keys

        valores = {
            ":pk": {"S": keys.ENTREGADOS},
            ":desde": {"S": dates.inicio_dia(desde)},
            ":hasta": {"S": dates.inicio_dia(hasta + timedelta(days=1))},
        }
        return lambda: self._todas(
            IndexName="Entregas",
            KeyConditionExpression="EntregasPK = :pk AND EntregasSK BETWEEN :desde AND :hasta",
            ExpressionAttributeValues=valores,
        )


def _medir(
    banco: escenarios.Banco, funcion: str, evento: dict[str, Any], piso: Callable[[], None], veces_: int
) -> tuple[list[float], list[float], Llamada]:
    handler_ms: list[float] = []
    piso_ms: list[float] = []
    for i in range(veces_ + CALENTAMIENTO):
        for es_handler in (True, False) if i % 2 == 0 else (False, True):
            t0 = time.perf_counter()
            if es_handler:
                banco.llamar(funcion, evento, {200})
            else:
                piso()
            if i >= CALENTAMIENTO:
                (handler_ms if es_handler else piso_ms).append((time.perf_counter() - t0) * 1000)
    banco.observador.instalar(banco.cliente_capa)
    try:
        llamada = banco.observador.nueva()
        banco.llamar(funcion, evento, {200})
    finally:
        banco.observador.retirar(banco.cliente_capa)
    return handler_ms, piso_ms, llamada


def _paciencia(banco: escenarios.Banco) -> None:
    """moto answers a Query of a few thousand items in seconds on a loaded machine, past the layer's 5 s read
    timeout (sized for DynamoDB): both the layer and the floor get the same client, with a long one."""
    import boto3
    from botocore.config import Config

    from monitor.core import table

    config = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2, read_timeout=300)
    cliente = boto3.client("dynamodb", endpoint_url=banco.local.endpoint, config=config)
    table.cliente = lambda: cliente  # type: ignore[assignment]
    banco.cliente_capa = cliente
    banco.observador.instalar_scan(cliente)
    banco.crudo = boto3.client("dynamodb", endpoint_url=banco.local.endpoint, config=config)


def seccion(repeticiones: int, avisar: Callable[[str], None]) -> str:
    banco = escenarios.Banco()
    _paciencia(banco)
    try:
        return _seccion(banco, repeticiones, avisar)
    finally:
        banco.detener()


def _seccion(banco: escenarios.Banco, repeticiones: int, avisar: Callable[[str], None]) -> str:
    carga, pisos = Carga(banco), Pisos(banco)
    op = {"principalId": "1", "username": "bench", "rol": "Administrador"}
    fin_mes = (carga.mes + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    anio = (carga.hoy - timedelta(days=365), carga.hoy)
    casos = [
        ("tablero", "reportes_produccion", "/api/reportes/produccion", {}, pisos.tablero),
        (
            f"ciclo, un mes ({EN_RANGO} entregas)",
            "reportes_ciclo",
            "/api/reportes/ciclo",
            {"desde": carga.mes.isoformat(), "hasta": fin_mes.isoformat()},
            pisos.ciclo(carga.mes, fin_mes),
        ),
        (
            "ciclo, 366 días (crece con la tabla)",
            "reportes_ciclo",
            "/api/reportes/ciclo",
            {"desde": anio[0].isoformat(), "hasta": anio[1].isoformat()},
            pisos.ciclo(*anio),
        ),
    ]
    medidas: list[Medida] = []
    for tamano in TAMANOS:
        avisar(f"reportes: cargando hasta {tamano} expedientes")
        carga.hasta(tamano)
        for nombre, funcion, ruta, query, piso in casos:
            avisar(f"reportes: {nombre} con {tamano}")
            evento = banco.evento("GET", ruta, llamante=op, query=query)
            # moto walks the whole index per Query: at 10 000 a call takes seconds, so fewer samples there.
            veces_ = repeticiones if tamano == TAMANOS[0] else max(2, repeticiones // 3)
            with escenarios.sin_stdout():
                handler, bruto, llamada = _medir(banco, funcion, evento, piso, veces_)
            medidas.append(Medida(nombre, tamano, handler, bruto, llamada))
    filas = []
    for m in medidas:
        h, p = Resumen.de(m.handler), Resumen.de(m.piso)
        filas.append(
            [
                m.nombre,
                f"{m.tamano:,}".replace(",", " "),
                str(h.n),
                ms(h.mediana),
                ms(percentil(m.handler, 90)),
                ms(p.mediana),
                veces(h.mediana / p.mediana if p.mediana else None),
                " + ".join(f"{n}×{op}" for op, n in sorted(m.llamada.operaciones.items())),
            ]
        )
    return (
        tabla_md(
            ["reporte", "expedientes", "n", "handler p50", "p90", "piso p50", "razón", "peticiones por llamada"],
            filas,
        )
        + "\n\nEl tablero y el ciclo de un mes leen lo mismo con 1 000 y con 10 000 expedientes (mismas "
        "peticiones); el ciclo de 366 días lee una página por cada 1 000 entregas del rango. moto recorre "
        "todos los elementos de un índice en cada Query, de modo que aquí el piso también crece con la tabla; "
        "en DynamoDB una Query cuesta lo que devuelve."
    )
