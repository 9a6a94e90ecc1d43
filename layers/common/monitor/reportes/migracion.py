"""One-off, resumable migration (`tools/migrar_hitos.py`): what the reports need for the expedientes and orders
written before the writes kept it (docs/operations.md, "Milestones and report counters for existing data").

Per expediente, in one transaction conditioned on the version it read: `hitos` from its state history and
audit entries (merged with any it already has, earliest wins), the `Taller` / `Entregas` index attributes,
the mark `contabilizado` and +1 on its unit counter. An expediente already marked (migrated before, or
created after the deployment) is skipped, so a run can stop anywhere and run again: nothing counts twice.
Then the received orders whose claim has no expediente join their claim's marker (a set: adding twice is
adding once). Progress is saved after each page in `MIGRACION#<nombre>`, so a new run resumes there.

Paging goes through the GSI1 partitions of all expedientes and of the received orders: a maintenance
command's reads, never a Scan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from monitor.core import keys, table
from monitor.core.errors import ServicioNoDisponible, TransaccionCancelada
from monitor.core.observability import logger
from monitor.expedientes.campos import Estado
from monitor.expedientes.hitos import POR_CAMPO, POR_ESTADO
from monitor.reportes import agregados

NOMBRE = "hitos-reportes"
PAGINA = 100
INTENTOS = 8
FASES = ("expedientes", "ordenes", "terminada")


@dataclass
class Avance:
    fase: str = FASES[0]
    ultima: dict[str, Any] | None = None
    expedientes: int = 0  # migrated (written) in every run so far
    omitidos: int = 0  # already marked
    ordenes: int = 0  # orders added to a claim's marker


# ---- milestones from the history
def hitos_de_historial(
    historial: Iterable[Mapping[str, Any]], auditoria: Iterable[Mapping[str, Any]], item: Mapping[str, Any]
) -> dict[str, str]:
    """The first entry into each state (and its milestone) from the state history; a field's milestone from
    the first audit entry that set it from empty, or the creation (the first history entry) when it already
    had a value then (its first audit entry shows a previous value, or none ever touched it). Unknown
    otherwise: left out."""
    hitos: dict[str, str] = {}
    entradas = sorted(historial, key=lambda h: str(h["fecha_cambio"]))
    for entrada in entradas:
        estado, momento = str(entrada["estado_nuevo"]), str(entrada["fecha_cambio"])
        hitos.setdefault(estado, momento)
        hito = POR_ESTADO.get(Estado(estado))
        if hito is not None:
            hitos.setdefault(hito.value, momento)
    creacion = str(entradas[0]["fecha_cambio"]) if entradas else None
    primeros: dict[str, tuple[str, Any]] = {}  # field → (time, previous value) of its first audit entry
    establecidos: dict[str, str] = {}  # field → first time it went from empty to a value
    for registro in sorted(auditoria, key=lambda a: str(a["fecha"])):
        if registro.get("recurso", "expediente") != "expediente":
            continue
        for cambio in registro.get("cambios") or []:
            campo = cambio.get("campo")
            if campo not in POR_CAMPO:
                continue
            primeros.setdefault(campo, (str(registro["fecha"]), cambio.get("anterior")))
            if not cambio.get("anterior") and cambio.get("nuevo"):
                establecidos.setdefault(campo, str(registro["fecha"]))
    for campo, hito in POR_CAMPO.items():
        tenia_valor = primeros[campo][1] if campo in primeros else item.get(campo)
        if tenia_valor and creacion is not None:
            hitos[hito.value] = creacion
        elif campo in establecidos:
            hitos[hito.value] = establecidos[campo]
    return hitos


def combinar(actuales: Mapping[str, str] | None, derivados: Mapping[str, str]) -> dict[str, str]:
    """Earliest wins: a milestone written by a change after the deployment is never earlier than the history."""
    resultado = dict(actuales or {})
    for nombre, momento in derivados.items():
        if nombre not in resultado or momento < resultado[nombre]:
            resultado[nombre] = momento
    return resultado


# ---- one expediente
def migrar_expediente(no_siniestro: str) -> bool:
    """True when it wrote; False when the expediente is gone or already marked."""
    for _ in range(INTENTOS):
        items = table.query_todo(
            "PK = :pk AND SK BETWEEN :desde AND :hasta",
            {":pk": keys.expediente_pk(no_siniestro), ":desde": keys.PREFIJO_AUDITORIA, ":hasta": "HIST$"},
            consistente=True,
        )
        item = next((i for i in items if i["SK"] == keys.EXPEDIENTE_SK), None)
        if item is None or item.get(agregados.CONTABILIZADO):
            return False
        historial = [i for i in items if i["SK"].startswith(keys.PREFIJO_HISTORIAL)]
        auditoria = [i for i in items if i["SK"].startswith(keys.PREFIJO_AUDITORIA)]
        hitos = combinar(item.get("hitos"), hitos_de_historial(historial, auditoria, item))
        nuevo = {**item, "hitos": hitos, agregados.CONTABILIZADO: True}
        indices, quitar = agregados.aplicar_indices(nuevo)
        asignar: dict[str, Any] = dict(indices)
        version = int(item["version"])
        # The version moves so a writer that read before this cannot put back its own, older `hitos`.
        asignar |= {"hitos": hitos, agregados.CONTABILIZADO: True, "version": version + 1}
        expresion, nombres, valores = table.expresion_update(asignar, quitar)
        nombres |= {"#version": "version", "#marca": agregados.CONTABILIZADO}
        valores[":leida"] = version
        transaccion = table.Transaccion().update(
            "expediente",
            keys.expediente(no_siniestro),
            expresion,
            valores,
            condicion="#version = :leida AND attribute_not_exists(#marca)",
            nombres=nombres,
        )
        agregados.contar(transaccion, None, nuevo)
        try:
            transaccion.ejecutar()
        except TransaccionCancelada as exc:
            if exc.fallo("expediente"):
                continue  # changed meanwhile: read it again
            raise
        return True
    raise ServicioNoDisponible()


# ---- one page of received orders
def marcar_ordenes(ordenes: Sequence[Mapping[str, Any]]) -> int:
    """Adds to their claim's marker the orders whose claim has no expediente and are not there yet; how many
    it added. Reads each claim's expediente and marker together (BatchGetItem, 50 claims per request)."""
    reclamos = sorted({str(o["insuranceClaimNumber"]) for o in ordenes})
    existentes: set[str] = set()
    marcadas: set[str] = set()
    for inicio in range(0, len(reclamos), 50):
        lote = reclamos[inicio : inicio + 50]
        claves: list[Mapping[str, str]] = [
            c for r in lote for c in (keys.expediente(r), keys.ordenes_sin_expediente(r))
        ]
        for item in table.get_varios(claves, consistente=True):
            if item["SK"] == keys.EXPEDIENTE_SK:
                existentes.add(str(item["PK"]).removeprefix("EXP#"))
            else:
                marcadas |= set(item.get(agregados.ORDENES) or ())
    agregadas = 0
    for orden in ordenes:
        if str(orden["insuranceClaimNumber"]) in existentes or agregados.elemento_orden(orden) in marcadas:
            continue
        transaccion = table.Transaccion()
        agregados.orden_recibida(transaccion, orden, hay_expediente=False)
        try:
            transaccion.ejecutar()
        except TransaccionCancelada as exc:
            if exc.fallo(agregados.PASO_EXPEDIENTE):
                continue  # created meanwhile: its creation linked it
            raise
        agregadas += 1
    return agregadas


# ---- the run
def leer_avance(nombre: str = NOMBRE) -> Avance:
    item = table.get(keys.migracion(nombre), consistente=True)
    if item is None:
        return Avance()
    return Avance(
        fase=str(item["fase"]),
        ultima=item.get("ultima"),
        expedientes=int(item.get("expedientes", 0)),
        omitidos=int(item.get("omitidos", 0)),
        ordenes=int(item.get("ordenes", 0)),
    )


def _guardar(avance: Avance, nombre: str) -> None:
    table.put(
        {
            **keys.migracion(nombre),
            "tipo": "migracion",
            "fase": avance.fase,
            "ultima": avance.ultima,
            "expedientes": avance.expedientes,
            "omitidos": avance.omitidos,
            "ordenes": avance.ordenes,
        }
    )


def ejecutar(
    *,
    nombre: str = NOMBRE,
    pagina: int = PAGINA,
    desde_cero: bool = False,
    informar: Callable[[Avance], None] = lambda _a: None,
) -> Avance:
    """Runs (or resumes) the migration to the end; safe to run again at any time. `desde_cero` forgets the saved
    progress and walks everything again (still idempotent: marked expedientes are skipped)."""
    avance = Avance() if desde_cero else leer_avance(nombre)
    while avance.fase == "expedientes":
        items, ultima = table.query(
            "GSI1PK = :pk", {":pk": keys.EXPEDIENTES}, indice="GSI1", limite=pagina, inicio=avance.ultima
        )
        for item in items:
            if migrar_expediente(str(item["no_siniestro"])):
                avance.expedientes += 1
            else:
                avance.omitidos += 1
        avance.ultima = ultima
        if ultima is None:
            avance.fase = "ordenes"
        _guardar(avance, nombre)
        informar(avance)
    while avance.fase == "ordenes":
        items, ultima = table.query(
            "GSI2PK = :pk",
            {":pk": keys.ordenes_por_estado("Recibida")},
            indice="GSI2",
            limite=pagina,
            inicio=avance.ultima,
        )
        avance.ordenes += marcar_ordenes(items)
        avance.ultima = ultima
        if ultima is None:
            avance.fase = "terminada"
        _guardar(avance, nombre)
        informar(avance)
    logger.info(
        "Migración de hitos y contadores terminada",
        extra={"expedientes": avance.expedientes, "omitidos": avance.omitidos, "ordenes": avance.ordenes},
    )
    return avance
