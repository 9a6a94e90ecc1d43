"""The exit checklist (`EXP#<no>` / `EXP#CHECKLIST`): one per expediente, its header and the value of each point
of the shop's form (docs/data-model.md).

Every write is one transaction: the checklist conditioned on the `version` it read (`attribute_not_exists`
for the first), its audit entry, and a check on the expediente, which must exist and, when the write would
take away something Salida needs, must not be in Salida. A writer that loses the version race re-reads and
retries, so concurrent PUTs on different points never lose each other's values.
"""

from __future__ import annotations

import random
import time
from typing import TYPE_CHECKING, Any

from monitor.auth.roles import Principal
from monitor.checklists import catalogo
from monitor.checklists.campos import CAMBIO, CAMPOS, NO_ENCONTRADO, SIN_CAMBIOS, TIPO, campo_punto
from monitor.core import keys, table
from monitor.core.dates import ahora
from monitor.core.errors import (
    Conflicto,
    NoEncontrado,
    PrecondicionFallida,
    ServicioNoDisponible,
    SolicitudInvalida,
    TransaccionCancelada,
    TransaccionEnConflicto,
)
from monitor.core.observability import logger
from monitor.expedientes import estados
from monitor.expedientes import servicio as expedientes
from monitor.expedientes.campos import Estado

if TYPE_CHECKING:
    from monitor.checklists.modelos import CambiosChecklist

EN_SALIDA = (
    "El expediente está en Salida y este cambio le quitaría lo que Salida exige del checklist "
    "(aprobada, fecha_entrega, nombre_quien_recibe): un administrador debe reabrirlo primero"
)
INTENTOS = expedientes.INTENTOS_ESCRITURA

Cambio = dict[str, Any]  # {"campo", "anterior", "nuevo"}, the audit's shape


def no_encontrado() -> NoEncontrado:
    return NoEncontrado(NO_ENCONTRADO)


etag = expedientes.etag  # the same rule as the expediente's: its version, quoted


def _persona(valor: Any) -> dict[str, Any] | None:
    """Who wrote it, as stored with the write (`id`, `username`, `nombre`; `nombre` null when written before
    names were stored)."""
    return expedientes.persona_a_respuesta(valor) if isinstance(valor, dict) else None


def a_respuesta(item: dict[str, Any]) -> dict[str, Any]:
    """The whole checklist: header (null when empty), every point of the form in its order, the summary."""
    guardados = item.get("puntos") or {}
    return {
        "no_siniestro": item["no_siniestro"],
        **{campo: item.get(campo) for campo in CAMPOS},  # amounts stay exact Decimals (monitor.core.jsoncodec)
        "items": [
            {"sistema": s, "nombre_item": n, "valor": catalogo.valor(guardados, s, n)} for s, n in catalogo.puntos()
        ],
        "resumen": catalogo.resumen(guardados),
        "version": int(item["version"]),
        "creado_por": _persona(item.get("creado_por")),
        "creado_en": item.get("creado_en"),
        "actualizado_por": _persona(item.get("actualizado_por")),
        "actualizado_en": item.get("actualizado_en"),
    }


def _ausente(no_siniestro: str) -> NoEncontrado:
    """Which 404: the expediente's, or its checklist's (one more GetItem, only on this path)."""
    if table.get(keys.expediente(no_siniestro)) is None:
        return expedientes.no_encontrado()
    return no_encontrado()


# ---- read
def obtener(no_siniestro: str) -> dict[str, Any]:
    item = table.get(keys.checklist(no_siniestro))
    if item is None:
        raise _ausente(no_siniestro)
    return item


# ---- write
def _igual(anterior: Any, nuevo: Any) -> bool:
    if isinstance(anterior, bool) or isinstance(nuevo, bool):
        return anterior is nuevo
    return bool(anterior == nuevo)


def _diferencias(
    actual: dict[str, Any], cabecera: dict[str, Any], puntos: list[tuple[str, str, str | None]]
) -> tuple[list[Cambio], list[tuple[str, str, str | None]]]:
    """Header fields and points whose value the PUT really changes: the audit's entries, and the points."""
    cambios = [
        {"campo": campo, "anterior": actual.get(campo), "nuevo": nuevo}
        for campo, nuevo in cabecera.items()
        if not _igual(actual.get(campo), nuevo)
    ]
    guardados = actual.get("puntos") or {}
    tocados = [(s, n, v) for s, n, v in puntos if catalogo.valor(guardados, s, n) != v]
    cambios += [
        {"campo": campo_punto(s, n), "anterior": catalogo.valor(guardados, s, n), "nuevo": v} for s, n, v in tocados
    ]
    return cambios, tocados


def _con_puntos(guardados: catalogo.Puntos, tocados: list[tuple[str, str, str | None]]) -> dict[str, dict[str, str]]:
    puntos = {sistema: dict(valores) for sistema, valores in guardados.items()}
    for sistema, nombre_item, valor in tocados:
        del_sistema = puntos.setdefault(sistema, {})
        if valor is None:
            del_sistema.pop(nombre_item, None)
        else:
            del_sistema[nombre_item] = valor
        if not del_sistema:
            del puntos[sistema]
    return puntos


def _cumple_salida(item: dict[str, Any] | None) -> bool:
    return item is not None and not estados.faltantes_del_checklist(item)


def _comprobar_expediente(
    transaccion: table.Transaccion, no_siniestro: str, antes: dict[str, Any] | None, despues: dict[str, Any] | None
) -> None:
    """The expediente exists; and is not in Salida when this write takes away what Salida needs."""
    if _cumple_salida(antes) and not _cumple_salida(despues):
        transaccion.check(
            "expediente",
            keys.expediente(no_siniestro),
            "attribute_exists(PK) AND #estado <> :salida",
            {":salida": Estado.SALIDA.value},
            nombres={"#estado": "estado"},
        )
    else:
        transaccion.check("expediente", keys.expediente(no_siniestro), "attribute_exists(PK)")


def _escritura(
    no_siniestro: str,
    actual: dict[str, Any] | None,
    cambios: list[Cambio],
    tocados: list[tuple[str, str, str | None]],
    principal: Principal,
) -> tuple[table.Transaccion, dict[str, Any]]:
    """The transaction of one PUT attempt and the checklist as it will be once it commits."""
    momento = ahora()
    quien = expedientes.persona(principal)
    cabecera = {c["campo"]: c["nuevo"] for c in cambios if c["campo"] in CAMPOS}
    puntos = _con_puntos((actual or {}).get("puntos") or {}, tocados)
    resumen = catalogo.resumen(puntos)
    transaccion = table.Transaccion()
    if actual is None:
        nuevo: dict[str, Any] = {
            **keys.checklist(no_siniestro),
            "tipo": TIPO,
            "no_siniestro": no_siniestro,
            **{campo: valor for campo, valor in cabecera.items() if valor is not None},
            "puntos": puntos,
            "resumen": resumen,
            "version": 1,
            "creado_por": quien,
            "creado_en": momento,
            "actualizado_por": quien,
            "actualizado_en": momento,
        }
        _comprobar_expediente(transaccion, no_siniestro, None, nuevo)
        transaccion.put("checklist", nuevo, "attribute_not_exists(PK)")
    else:
        version = int(actual["version"]) + 1
        asignar: dict[str, Any] = {campo: valor for campo, valor in cabecera.items() if valor is not None}
        quitar = [campo for campo, valor in cabecera.items() if valor is None]
        if tocados:
            asignar |= {"puntos": puntos, "resumen": resumen}
        asignar |= {"version": version, "actualizado_por": quien, "actualizado_en": momento}
        nuevo = {k: v for k, v in actual.items() if k not in quitar} | asignar
        _comprobar_expediente(transaccion, no_siniestro, actual, nuevo)
        expresion, nombres, valores = table.expresion_update(asignar, quitar)
        nombres["#version"] = "version"
        valores[":leida"] = int(actual["version"])
        transaccion.update(
            "checklist",
            keys.checklist(no_siniestro),
            expresion,
            valores,
            condicion="#version = :leida",
            nombres=nombres,
        )
    auditoria = expedientes.entrada_auditoria(
        no_siniestro, principal, momento, recurso=TIPO, version=int(nuevo["version"]), cambios=cambios
    )
    transaccion.put("auditoria", auditoria, "attribute_not_exists(PK)")
    return transaccion, nuevo


def _espera(intento: int) -> None:
    """Jittered backoff so writers that collided do not collide again in lockstep."""
    time.sleep(random.uniform(0, 0.01 * 2 ** min(intento, 4)))  # noqa: S311 - jitter, not security


def _version_leida(actual: dict[str, Any] | None, esperada: int | None) -> None:
    """`If-Match`: 412 when the checklist is not at the version the client read (or does not exist)."""
    if esperada is not None and (actual is None or int(actual["version"]) != esperada):
        raise PrecondicionFallida(CAMBIO, headers={"ETag": etag(actual)} if actual else None)


def _rechazo(exc: TransaccionCancelada) -> Exception | None:
    """The answer for a refused expediente check: 404 when it does not exist, 409 when it is in Salida."""
    if not exc.fallo("expediente"):
        return None
    return expedientes.no_encontrado() if exc.item("expediente") is None else Conflicto(EN_SALIDA)


def guardar(
    no_siniestro: str, datos: CambiosChecklist, principal: Principal, *, si_coincide: str | None = None
) -> tuple[dict[str, Any], bool]:
    """Consistent read → diff → one transaction; retried when another writer got there first.

    Returns the checklist as persisted and whether this PUT created it. A PUT that changes nothing on an
    existing checklist writes nothing (no audit, no version bump)."""
    cabecera, puntos = datos.cambios(), datos.puntos()
    if not cabecera and not puntos:
        raise SolicitudInvalida(
            SIN_CAMBIOS, detalles=[{"campo": "body", "mensaje": "Envíe al menos un campo o un punto en items"}]
        )
    esperada = expedientes.version_esperada(si_coincide)
    for intento in range(INTENTOS):
        actual = table.get(keys.checklist(no_siniestro), consistente=True)
        _version_leida(actual, esperada)
        cambios, tocados = _diferencias(actual or {}, cabecera, puntos)
        if actual is not None and not cambios:
            return actual, False
        transaccion, nuevo = _escritura(no_siniestro, actual, cambios, tocados, principal)
        try:
            transaccion.ejecutar()
        except TransaccionCancelada as exc:
            if (rechazo := _rechazo(exc)) is not None:
                raise rechazo from None
            if not exc.fallo("checklist"):
                raise
            logger.info("Checklist en conflicto, se reintenta", extra={"no_siniestro": no_siniestro})
            _espera(intento)
            continue
        except TransaccionEnConflicto:
            _espera(intento)  # another writer's transaction on the same item: nothing written, read again
            continue
        logger.info(
            "Checklist guardado",
            extra={
                "no_siniestro": no_siniestro,
                "creado": actual is None,
                "campos": len(cambios),
                "version": nuevo["version"],
            },
        )
        return nuevo, actual is None
    logger.warning("Demasiados conflictos en el checklist", extra={"no_siniestro": no_siniestro})
    raise ServicioNoDisponible(expedientes.MUY_SOLICITADO)


# ---- delete
def eliminar(no_siniestro: str, principal: Principal, *, si_coincide: str | None = None) -> None:
    """The checklist and an audit entry naming every value it held, in one transaction; refused (409) when the
    expediente is in Salida and the checklist is what let it out."""
    esperada = expedientes.version_esperada(si_coincide)
    for intento in range(INTENTOS):
        actual = table.get(keys.checklist(no_siniestro), consistente=True)
        if actual is None:
            raise _ausente(no_siniestro)
        _version_leida(actual, esperada)
        guardados = actual.get("puntos") or {}
        cambios = [
            {"campo": campo, "anterior": actual[campo], "nuevo": None} for campo in CAMPOS if campo in actual
        ] + [
            {"campo": campo_punto(s, n), "anterior": v, "nuevo": None}
            for s, n in catalogo.puntos()
            if (v := catalogo.valor(guardados, s, n)) is not None
        ]
        momento = ahora()
        transaccion = table.Transaccion()
        _comprobar_expediente(transaccion, no_siniestro, actual, None)
        transaccion.delete(
            "checklist",
            keys.checklist(no_siniestro),
            "#version = :leida",
            nombres={"#version": "version"},
            valores_expr={":leida": int(actual["version"])},
        )
        transaccion.put(
            "auditoria",
            expedientes.entrada_auditoria(
                no_siniestro, principal, momento, recurso=TIPO, version=int(actual["version"]), cambios=cambios
            ),
            "attribute_not_exists(PK)",
        )
        try:
            transaccion.ejecutar()
        except TransaccionCancelada as exc:
            if (rechazo := _rechazo(exc)) is not None:
                raise rechazo from None
            if not exc.fallo("checklist"):
                raise
            _espera(intento)
            continue
        except TransaccionEnConflicto:
            _espera(intento)
            continue
        logger.info("Checklist eliminado", extra={"no_siniestro": no_siniestro, "version": int(actual["version"])})
        return
    raise ServicioNoDisponible(expedientes.MUY_SOLICITADO)
