"""The damage survey (levantamiento) of an expediente: the header `EXP#<no>/LEV` and the line items
`EXP#<no>/CONCEPTOS#LEV` (docs/data-model.md), read together by one BatchGetItem and written together, with
the audit entry and a check that the expediente exists, by one transaction conditioned on the header's
`version`. A writer that loses the race reads again and retries, so concurrent writers never lose each
other's changes."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from monitor.auth.roles import Principal
from monitor.core import jsoncodec, keys, table
from monitor.core.dates import ahora
from monitor.core.errors import (
    Conflicto,
    ErrorMonitor,
    NoEncontrado,
    PrecondicionFallida,
    ServicioNoDisponible,
    SolicitudInvalida,
    TransaccionCancelada,
    TransaccionEnConflicto,
)
from monitor.core.observability import logger
from monitor.core.settings import settings
from monitor.core.table import entero
from monitor.expedientes import servicio as expedientes
from monitor.levantamientos.campos import (
    CAMPOS,
    CENTAVO,
    COPIADOS_DEL_EXPEDIENTE,
    MAX_BYTES_CONCEPTOS,
    MAX_CONCEPTOS,
    id_concepto,
)

if TYPE_CHECKING:
    from monitor.levantamientos.modelos import CambiosConcepto, CambiosLevantamiento, ConceptoNuevo

NO_ENCONTRADO = "Levantamiento no encontrado"
CONCEPTO_NO_ENCONTRADO = "Concepto no encontrado"
SIN_CAMBIOS = "No hay campos para actualizar"
CAMBIO_CONCURRENTE = "El levantamiento cambió desde su última lectura"
MUY_SOLICITADO = "El levantamiento está muy solicitado, intente de nuevo"
RECURSO = "levantamiento"  # the audit's `recurso`
INTENTOS_ESCRITURA = 25  # as the expediente's PUT: more than the writers one survey can plausibly have at once
INTENTOS_LECTURA = 5
CAMPOS_CONCEPTO = ("claves", "concepto", "costo")


@dataclass
class Levantamiento:
    """The survey as read, or as it will be once a write commits: the header item and the line items."""

    no_siniestro: str
    cabecera: dict[str, Any]
    conceptos: list[dict[str, Any]]

    @property
    def version(self) -> int:
        return int(self.cabecera["version"])

    @property
    def etag(self) -> str:
        return expedientes.etag(self.cabecera)

    @property
    def campos(self) -> dict[str, Any]:
        return {c: entero(self.cabecera[c]) for c in CAMPOS if self.cabecera.get(c) is not None}

    @property
    def siguiente_id(self) -> int:
        return int(self.cabecera.get("siguiente_concepto", 1))


@dataclass
class _Lectura:
    expediente: dict[str, Any] | None  # only when it was asked for
    levantamiento: Levantamiento | None


@dataclass
class _Plan:
    """What one write does: the fields after it, the line items after it (None: untouched), the next line-item
    id, and the audit's changes."""

    campos: dict[str, Any]
    conceptos: list[dict[str, Any]] | None
    siguiente_id: int
    cambios: list[dict[str, Any]]


# ---- money
def dinero(valor: Any) -> Decimal:
    """An amount as the API shows it: exact, two decimals (DynamoDB gives `100.5` back for `100.50`), never -0."""
    cantidad = Decimal(valor).quantize(CENTAVO, rounding=ROUND_HALF_UP)
    return cantidad.copy_abs() if cantidad == 0 else cantidad


def totales(conceptos: list[dict[str, Any]], tasa: Decimal) -> dict[str, Decimal]:
    """Exact: the subtotal is the sum of the costs, `iva` the subtotal times the rate rounded half-up to cents."""
    subtotal = sum((Decimal(c["costo"]) for c in conceptos), Decimal(0))
    iva = (subtotal * tasa).quantize(CENTAVO, rounding=ROUND_HALF_UP)
    return {
        "subtotal": dinero(subtotal),
        "tasa_iva": Decimal(tasa),
        "iva": dinero(iva),
        "total": dinero(subtotal + iva),
    }


# ---- responses
def _concepto_a_respuesta(concepto: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": int(concepto["id"]),
        "claves": concepto.get("claves"),
        "concepto": concepto["concepto"],
        "costo": dinero(concepto["costo"]),
    }


def a_respuesta(levantamiento: Levantamiento) -> dict[str, Any]:
    """The whole survey: every field (null when empty), its line items in order, totals, version, who and when."""
    cabecera = levantamiento.cabecera
    return {
        "no_siniestro": levantamiento.no_siniestro,
        **{campo: entero(cabecera.get(campo)) for campo in CAMPOS},
        "conceptos": [_concepto_a_respuesta(c) for c in levantamiento.conceptos],
        "totales": totales(levantamiento.conceptos, Decimal(cabecera["tasa_iva"])),
        "version": levantamiento.version,
        "creado_por": expedientes.persona_a_respuesta(cabecera.get("creado_por")),
        "creado_en": cabecera["creado_en"],
        "actualizado_en": cabecera["actualizado_en"],
    }


def ubicacion_concepto(no_siniestro: str, id_concepto: int) -> str:
    return f"/api/expedientes/{no_siniestro}/levantamiento/conceptos/{id_concepto}"


# ---- reads
def _leer(no_siniestro: str, *, consistente: bool, con_expediente: bool = False) -> _Lectura:
    """Header and line items in one BatchGetItem (plus the expediente when asked). Two items read on either side
    of a concurrent write carry different revision tokens: read again, so nothing mixes two versions."""
    claves: list[Mapping[str, str]] = [keys.levantamiento(no_siniestro), keys.conceptos_levantamiento(no_siniestro)]
    if con_expediente:
        claves.append(keys.expediente(no_siniestro))
    for _ in range(INTENTOS_LECTURA):
        por_sk = {i["SK"]: i for i in table.get_varios(claves, consistente=consistente)}
        expediente = por_sk.get(keys.EXPEDIENTE_SK)
        cabecera = por_sk.get(keys.LEVANTAMIENTO_SK)
        lista = por_sk.get(keys.CONCEPTOS_LEVANTAMIENTO_SK)
        if cabecera is None:
            return _Lectura(expediente, None)
        if lista is not None and lista.get("revision") == cabecera.get("revision_conceptos"):
            return _Lectura(expediente, Levantamiento(no_siniestro, cabecera, list(lista.get("conceptos") or [])))
        logger.info("Lectura entre dos escrituras del levantamiento, se repite", extra={"no_siniestro": no_siniestro})
        consistente = True
    raise ServicioNoDisponible(MUY_SOLICITADO)


def _faltante(no_siniestro: str, expediente: dict[str, Any] | None = None) -> NoEncontrado:
    """The 404 of a missing survey, or the expediente's own when the claim does not exist either (one GetItem
    unless the caller already read the expediente)."""
    if expediente is None:
        expediente = table.get(keys.expediente(no_siniestro))
    return expedientes.no_encontrado() if expediente is None else NoEncontrado(NO_ENCONTRADO)


def _existente(no_siniestro: str, levantamiento: Levantamiento | None) -> Levantamiento:
    """Only a PUT creates: every other write reads an existing survey (`_escribir` has answered 404 before)."""
    if levantamiento is None:
        raise NoEncontrado(NO_ENCONTRADO)
    return levantamiento


def obtener(no_siniestro: str) -> Levantamiento:
    lectura = _leer(no_siniestro, consistente=False)
    if lectura.levantamiento is None:
        raise _faltante(no_siniestro)
    return lectura.levantamiento


# ---- line items
def _linea(concepto: dict[str, Any]) -> dict[str, Any]:
    return {"claves": concepto.get("claves"), "concepto": concepto["concepto"], "costo": dinero(concepto["costo"])}


def _nuevo_concepto(id_nuevo: int, datos: dict[str, Any]) -> dict[str, Any]:
    return {"id": id_nuevo, **_linea(datos)}


def diferencias_conceptos(anteriores: list[dict[str, Any]], nuevos: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The audit's changes between two lists of line items: `conceptos[<id>]` for a line removed or added (its
    whole value), `conceptos[<id>].<campo>` for an edited field, `conceptos.orden` when kept lines move."""
    antes = {int(c["id"]): c for c in anteriores}
    despues = {int(c["id"]): c for c in nuevos}
    cambios: list[dict[str, Any]] = [
        {"campo": f"conceptos[{i}]", "anterior": _linea(c), "nuevo": None} for i, c in antes.items() if i not in despues
    ]
    for i, nuevo in despues.items():
        if i not in antes:
            cambios.append({"campo": f"conceptos[{i}]", "anterior": None, "nuevo": _linea(nuevo)})
            continue
        previo, actual = _linea(antes[i]), _linea(nuevo)
        cambios += [
            {"campo": f"conceptos[{i}].{campo}", "anterior": previo[campo], "nuevo": actual[campo]}
            for campo in CAMPOS_CONCEPTO
            if previo[campo] != actual[campo]
        ]
    orden_antes = [i for i in antes if i in despues]
    orden_despues = [i for i in despues if i in antes]
    if orden_antes != orden_despues:
        cambios.append({"campo": "conceptos.orden", "anterior": orden_antes, "nuevo": orden_despues})
    return cambios


def _cabe(conceptos: list[dict[str, Any]], error: type[ErrorMonitor]) -> None:
    """The line items must fit the item (and a replacement's audit entry): MAX_BYTES_CONCEPTOS of JSON."""
    if len(jsoncodec.dumps(conceptos).encode("utf-8")) > MAX_BYTES_CONCEPTOS:
        raise error(
            "Los conceptos exceden el tamaño máximo del levantamiento",
            detalles=[{"campo": "conceptos", "mensaje": f"Máximo {MAX_BYTES_CONCEPTOS} bytes en total"}],
        )


def _reemplazo(
    anteriores: list[dict[str, Any]], datos: list[dict[str, Any]], siguiente: int
) -> tuple[list[dict[str, Any]], int]:
    """A PUT's `conceptos`: a line with the id of an existing one keeps it, a line without one gets a new id."""
    existentes = {int(c["id"]) for c in anteriores}
    lista = []
    for posicion, linea in enumerate(datos):
        id_linea = linea.get("id")
        if id_linea is None:
            id_linea, siguiente = siguiente, siguiente + 1
        elif id_linea not in existentes:
            mensaje = f"El levantamiento no tiene el concepto {id_linea}"
            raise SolicitudInvalida(
                CONCEPTO_NO_ENCONTRADO, detalles=[{"campo": f"conceptos.{posicion}.id", "mensaje": mensaje}]
            )
        lista.append(_nuevo_concepto(id_linea, linea))
    _cabe(lista, SolicitudInvalida)
    return lista, siguiente


# ---- writes
def _revision() -> str:
    return uuid.uuid4().hex[:12]


def _espera(intento: int) -> None:
    """Jittered backoff so writers that collided do not collide again in lockstep."""
    time.sleep(random.uniform(0, 0.01 * 2 ** min(intento, 4)))  # noqa: S311 - jitter, not security


def _transaccion(
    no_siniestro: str, actual: Levantamiento | None, plan: _Plan, principal: Principal
) -> tuple[Levantamiento, table.Transaccion]:
    """The transaction of one write attempt and the survey as it will be once it commits."""
    momento = ahora()
    previa = actual.cabecera if actual is not None else {}
    version = 1 if actual is None else actual.version + 1
    conceptos = plan.conceptos if plan.conceptos is not None else (actual.conceptos if actual else [])
    tasa = Decimal(previa.get("tasa_iva", settings().tasa_iva))
    suma = totales(conceptos, tasa)
    revision = _revision() if plan.conceptos is not None else previa["revision_conceptos"]
    cabecera = {
        **keys.levantamiento(no_siniestro),
        "tipo": RECURSO,
        "no_siniestro": no_siniestro,
        **{campo: valor for campo, valor in plan.campos.items() if valor is not None},
        "version": version,
        "creado_por": previa.get("creado_por") or expedientes.persona(principal),
        "creado_en": previa.get("creado_en", momento),
        "actualizado_en": momento,
        "tasa_iva": tasa,
        "subtotal": suma["subtotal"],
        "iva": suma["iva"],
        "total": suma["total"],
        "num_conceptos": len(conceptos),
        "siguiente_concepto": plan.siguiente_id,
        "revision_conceptos": revision,
    }
    transaccion = table.Transaccion().check("expediente", keys.expediente(no_siniestro), "attribute_exists(PK)")
    if actual is None:
        transaccion.put("levantamiento", cabecera, "attribute_not_exists(PK)")
    else:
        transaccion.put(
            "levantamiento",
            cabecera,
            "#version = :leida",
            nombres={"#version": "version"},
            valores_expr={":leida": actual.version},
        )
    if plan.conceptos is not None:
        lista = {
            **keys.conceptos_levantamiento(no_siniestro),
            "tipo": "conceptos_levantamiento",
            "revision": revision,
            "conceptos": conceptos,
        }
        transaccion.put("conceptos", lista)
    auditoria = expedientes.entrada_auditoria(
        no_siniestro, principal, momento, recurso=RECURSO, version=version, cambios=plan.cambios
    )
    transaccion.put("auditoria", auditoria, "attribute_not_exists(PK)")
    return Levantamiento(no_siniestro, cabecera, conceptos), transaccion


Aplicar = Callable[[Levantamiento | None, dict[str, Any] | None], _Plan | None]


def _escribir(
    no_siniestro: str,
    principal: Principal,
    si_coincide: str | None,
    aplicar: Aplicar,
    *,
    crear: bool = False,
) -> tuple[Levantamiento, bool]:
    """Read (consistent) → `aplicar` (the plan, or None when nothing changes) → one transaction conditioned on
    the version read; retried on a lost race. Returns the survey as persisted and whether it was written."""
    esperada = expedientes.version_esperada(si_coincide)
    for intento in range(INTENTOS_ESCRITURA):
        lectura = _leer(no_siniestro, consistente=True, con_expediente=crear)
        actual = lectura.levantamiento
        if actual is None and not crear:
            raise _faltante(no_siniestro)
        if actual is None and lectura.expediente is None:
            raise expedientes.no_encontrado()
        if esperada is not None and (actual is None or actual.version != esperada):
            cabeceras = {"ETag": actual.etag} if actual is not None else None
            raise PrecondicionFallida(CAMBIO_CONCURRENTE, headers=cabeceras)
        plan = aplicar(actual, lectura.expediente)
        if plan is None:
            return _existente(no_siniestro, actual), False
        nuevo, transaccion = _transaccion(no_siniestro, actual, plan, principal)
        try:
            transaccion.ejecutar()
        except TransaccionEnConflicto:
            _espera(intento)  # another writer's transaction was in flight: read again
            continue
        except TransaccionCancelada as exc:
            if exc.fallo("expediente"):
                raise expedientes.no_encontrado() from None
            if exc.fallo("levantamiento"):
                logger.info(
                    "Conflicto de versión del levantamiento, se reintenta",
                    extra={"no_siniestro": no_siniestro, "intento": intento},
                )
                _espera(intento)
                continue
            raise
        logger.info(
            "Levantamiento guardado",
            extra={
                "no_siniestro": no_siniestro,
                "version": nuevo.version,
                "campos": sorted({c["campo"].split("[")[0].split(".")[0] for c in plan.cambios}),
            },
        )
        return nuevo, True
    logger.warning("Demasiados conflictos de versión en el levantamiento", extra={"no_siniestro": no_siniestro})
    raise ServicioNoDisponible(MUY_SOLICITADO)


def _marca(version: int) -> dict[str, Any]:
    return {"version": version}


def _creacion(expediente: dict[str, Any], enviados: dict[str, Any], reemplazo: list[dict[str, Any]] | None) -> _Plan:
    """The first PUT: the fields sent, and the expediente's vehicle and owner fields the body left out."""
    copiados = {
        campo: expediente[origen]
        for campo, origen in COPIADOS_DEL_EXPEDIENTE.items()
        if campo not in enviados and expediente.get(origen) is not None
    }
    campos = {**copiados, **enviados}
    conceptos, siguiente = _reemplazo([], reemplazo or [], 1)
    cambios = [
        {"campo": RECURSO, "anterior": None, "nuevo": _marca(1)},
        *expedientes.diferencias({}, {c: v for c, v in campos.items() if v is not None}),
        *diferencias_conceptos([], conceptos),
    ]
    return _Plan(campos, conceptos, siguiente, cambios)


def _actualizacion(
    actual: Levantamiento, enviados: dict[str, Any], reemplazo: list[dict[str, Any]] | None
) -> _Plan | None:
    """A later PUT: the fields that really change and, with `conceptos`, the new list (None: nothing changes)."""
    if not enviados and reemplazo is None:
        raise SolicitudInvalida(SIN_CAMBIOS, detalles=[{"campo": "body", "mensaje": "Envíe al menos un campo"}])
    cambios = expedientes.diferencias(actual.campos, enviados)
    conceptos = None
    siguiente = actual.siguiente_id
    if reemplazo is not None:
        lista, nuevo_siguiente = _reemplazo(actual.conceptos, reemplazo, siguiente)
        cambios_conceptos = diferencias_conceptos(actual.conceptos, lista)
        if cambios_conceptos:
            conceptos, siguiente, cambios = lista, nuevo_siguiente, cambios + cambios_conceptos
    if not cambios:
        return None
    campos = {**actual.campos, **{d["campo"]: d["nuevo"] for d in cambios if d["campo"] in enviados}}
    return _Plan(campos, conceptos, siguiente, cambios)


def guardar(
    no_siniestro: str, datos: CambiosLevantamiento, principal: Principal, *, si_coincide: str | None = None
) -> tuple[Levantamiento, bool, bool]:
    """PUT: creates the survey (copying from the expediente the vehicle and owner fields the body leaves out) or
    updates the fields sent; `conceptos` replaces every line item. Returns (survey, created, changed)."""
    enviados = datos.cambios()
    reemplazo = datos.reemplazo()
    creado = False

    def aplicar(actual: Levantamiento | None, expediente: dict[str, Any] | None) -> _Plan | None:
        nonlocal creado
        creado = actual is None  # a creation that loses the race is retried as an update
        if actual is None:
            return _creacion(expediente or {}, enviados, reemplazo)
        return _actualizacion(actual, enviados, reemplazo)

    levantamiento, escrito = _escribir(no_siniestro, principal, si_coincide, aplicar, crear=True)
    return levantamiento, creado and escrito, escrito


def agregar_concepto(
    no_siniestro: str, datos: ConceptoNuevo, principal: Principal, *, si_coincide: str | None = None
) -> tuple[Levantamiento, int]:
    """POST …/conceptos: one line item at the end, with the next id. Returns the survey and the new id."""
    linea = datos.model_dump()
    asignado = 0

    def aplicar(actual: Levantamiento | None, _expediente: dict[str, Any] | None) -> _Plan:
        nonlocal asignado
        actual = _existente(no_siniestro, actual)
        if len(actual.conceptos) >= MAX_CONCEPTOS:
            raise Conflicto(f"El levantamiento ya tiene el máximo de {MAX_CONCEPTOS} conceptos")
        asignado = actual.siguiente_id
        lista = [*actual.conceptos, _nuevo_concepto(asignado, linea)]
        _cabe(lista, Conflicto)
        return _Plan(actual.campos, lista, asignado + 1, diferencias_conceptos(actual.conceptos, lista))

    levantamiento, _ = _escribir(no_siniestro, principal, si_coincide, aplicar)
    return levantamiento, asignado


def _posicion(actual: Levantamiento, segmento: str) -> int:
    """Index of the line item `{id}` names; 404 when it names none."""
    buscado = id_concepto(segmento)
    for posicion, concepto in enumerate(actual.conceptos):
        if buscado is not None and int(concepto["id"]) == buscado:
            return posicion
    raise NoEncontrado(CONCEPTO_NO_ENCONTRADO)


def actualizar_concepto(
    no_siniestro: str, segmento: str, datos: CambiosConcepto, principal: Principal, *, si_coincide: str | None = None
) -> tuple[Levantamiento, bool]:
    """PUT …/conceptos/{id}: the fields sent of one line item; same values write nothing."""
    enviados = datos.cambios()
    if not enviados:
        raise SolicitudInvalida(SIN_CAMBIOS, detalles=[{"campo": "body", "mensaje": "Envíe claves, concepto o costo"}])

    def aplicar(actual: Levantamiento | None, _expediente: dict[str, Any] | None) -> _Plan | None:
        actual = _existente(no_siniestro, actual)
        posicion = _posicion(actual, segmento)
        lista = list(actual.conceptos)
        lista[posicion] = {**lista[posicion], **enviados}
        lista[posicion] = _nuevo_concepto(int(lista[posicion]["id"]), lista[posicion])
        cambios = diferencias_conceptos(actual.conceptos, lista)
        if not cambios:
            return None
        _cabe(lista, Conflicto)
        return _Plan(actual.campos, lista, actual.siguiente_id, cambios)

    return _escribir(no_siniestro, principal, si_coincide, aplicar)


def eliminar_concepto(
    no_siniestro: str, segmento: str, principal: Principal, *, si_coincide: str | None = None
) -> Levantamiento:
    """DELETE …/conceptos/{id}: the line item goes; the others keep their ids and order."""

    def aplicar(actual: Levantamiento | None, _expediente: dict[str, Any] | None) -> _Plan:
        actual = _existente(no_siniestro, actual)
        posicion = _posicion(actual, segmento)
        lista = actual.conceptos[:posicion] + actual.conceptos[posicion + 1 :]
        return _Plan(actual.campos, lista, actual.siguiente_id, diferencias_conceptos(actual.conceptos, lista))

    levantamiento, _ = _escribir(no_siniestro, principal, si_coincide, aplicar)
    return levantamiento


def eliminar(no_siniestro: str, principal: Principal, *, si_coincide: str | None = None) -> None:
    """DELETE: header and line items go together, audited with every value they held."""
    esperada = expedientes.version_esperada(si_coincide)
    for intento in range(INTENTOS_ESCRITURA):
        actual = _leer(no_siniestro, consistente=True).levantamiento
        if actual is None:
            raise _faltante(no_siniestro)
        if esperada is not None and actual.version != esperada:
            raise PrecondicionFallida(CAMBIO_CONCURRENTE, headers={"ETag": actual.etag})
        momento = ahora()
        cambios = [
            {"campo": RECURSO, "anterior": _marca(actual.version), "nuevo": None},
            *expedientes.diferencias(actual.campos, dict.fromkeys(actual.campos)),
            *diferencias_conceptos(actual.conceptos, []),
        ]
        auditoria = expedientes.entrada_auditoria(
            no_siniestro, principal, momento, recurso=RECURSO, version=actual.version + 1, cambios=cambios
        )
        transaccion = (
            table.Transaccion()
            .check("expediente", keys.expediente(no_siniestro), "attribute_exists(PK)")
            .delete(
                "levantamiento",
                keys.levantamiento(no_siniestro),
                "#version = :leida",
                nombres={"#version": "version"},
                valores_expr={":leida": actual.version},
            )
            .delete("conceptos", keys.conceptos_levantamiento(no_siniestro))
            .put("auditoria", auditoria, "attribute_not_exists(PK)")
        )
        try:
            transaccion.ejecutar()
        except TransaccionEnConflicto:
            _espera(intento)
            continue
        except TransaccionCancelada as exc:
            if exc.fallo("expediente"):
                raise expedientes.no_encontrado() from None
            if exc.fallo("levantamiento"):
                _espera(intento)
                continue
            raise
        logger.info("Levantamiento eliminado", extra={"no_siniestro": no_siniestro, "version": actual.version})
        return
    raise ServicioNoDisponible(MUY_SOLICITADO)
