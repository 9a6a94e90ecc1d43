"""The repair workflow: Ingreso → Restauracion → Pendiente_de_salida → Salida, one step at a time.

The state change and its history entry are one transaction conditioned on the state and version
that were read, so of N identical concurrent transitions exactly one wins. Entering Salida also needs the
exit checklist approved, with its hand-over date and who received the unit: the transaction checks the
checklist item too, so a checklist changed between the read and the write cannot let a unit out (and
checklist writes check the other way round: `monitor.checklists.servicio`).
"""

from __future__ import annotations

from typing import Any

from monitor.auth.roles import Principal
from monitor.core import cursors, keys, table
from monitor.core.dates import ahora
from monitor.core.errors import AccesoDenegado, Conflicto, ServicioNoDisponible, TransaccionCancelada
from monitor.core.metrics import Metrica
from monitor.core.observability import logger
from monitor.expedientes import busqueda, hitos
from monitor.expedientes import servicio as expedientes
from monitor.expedientes.campos import Estado
from monitor.reportes import agregados
from monitor.seguimiento import eventos
from monitor.usuarios.campos import Rol

FLUJO = (Estado.INGRESO, Estado.RESTAURACION, Estado.PENDIENTE_DE_SALIDA, Estado.SALIDA)
MISMO_ESTADO = "El expediente ya se encuentra en ese estado"
SOLO_ADMIN_REABRE = "Solo un administrador puede reabrir un expediente en Salida"
INTENTOS = 8
# What Salida needs of the exit checklist: attribute, machine-readable name, words for the 409.
REQUISITOS_CHECKLIST = (
    ("aprobada", "checklist.aprobada", "el checklist de salida aprobado"),
    ("fecha_entrega", "checklist.fecha_entrega", "la fecha de entrega en el checklist de salida"),
    ("nombre_quien_recibe", "checklist.nombre_quien_recibe", "el nombre de quien recibe en el checklist de salida"),
)
# The same rule as a DynamoDB condition on the checklist item (the transition's ConditionCheck).
CONDICION_CHECKLIST = (
    "#aprobada = :aprobada AND attribute_exists(#fecha_entrega) AND attribute_exists(#nombre_quien_recibe)",
    {"#aprobada": "aprobada", "#fecha_entrega": "fecha_entrega", "#nombre_quien_recibe": "nombre_quien_recibe"},
    {":aprobada": True},
)


def validar_transicion(
    item: dict[str, Any], nuevo: Estado, rol: Rol, checklist: dict[str, Any] | None = None
) -> Estado:
    """Raises the domain error for a refused transition; returns the current state otherwise.
    `checklist` is the expediente's exit checklist item (None when it has none), read for Salida only."""
    actual = Estado(item["estado"])
    if nuevo == actual:
        raise Conflicto(MISMO_ESTADO)
    desde, hacia = FLUJO.index(actual), FLUJO.index(nuevo)
    if abs(desde - hacia) != 1:
        vecinos = [FLUJO[i].value for i in (desde - 1, desde + 1) if 0 <= i < len(FLUJO)]
        raise Conflicto(f"Transición no permitida: desde {actual.value} solo se puede pasar a {' o '.join(vecinos)}")
    if actual == Estado.SALIDA and rol != Rol.ADMINISTRADOR:
        raise AccesoDenegado(SOLO_ADMIN_REABRE)
    if nuevo == Estado.SALIDA:
        propios = faltantes_para_salida(item)
        del_checklist = faltantes_del_checklist(checklist)
        if propios or del_checklist:
            mensaje = f"No se puede pasar a Salida: falta {', '.join([*propios, *(t for _, t in del_checklist)])}"
            faltantes = [*propios, *(n for n, _ in del_checklist)]
            raise Conflicto(mensaje, cuerpo={"error": mensaje, "faltantes": faltantes})
    return actual


def faltantes_para_salida(item: dict[str, Any]) -> list[str]:
    faltantes = [campo for campo in ("unidad_terminada", "fecha_entrega") if not item.get(campo)]
    if item.get("id_aseguradora") is not None and item.get("doc_finiquito") is not True:
        faltantes.append("doc_finiquito")
    return faltantes


def faltantes_del_checklist(checklist: dict[str, Any] | None) -> list[tuple[str, str]]:
    """`(name, words)` of each requirement of Salida the exit checklist does not meet (all three without one)."""
    checklist = checklist or {}
    return [
        (nombre, texto)
        for atributo, nombre, texto in REQUISITOS_CHECKLIST
        if not (checklist.get(atributo) is True if atributo == "aprobada" else checklist.get(atributo))
    ]


def _leer(no_siniestro: str, nuevo: Estado) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The expediente (consistent), and for Salida its checklist in the same request (BatchGetItem)."""
    if nuevo != Estado.SALIDA:
        return expedientes.obtener(no_siniestro, consistente=True), None
    leidos = {
        i["SK"]: i
        for i in table.get_varios([keys.expediente(no_siniestro), keys.checklist(no_siniestro)], consistente=True)
    }
    if keys.EXPEDIENTE_SK not in leidos:
        raise expedientes.no_encontrado()
    return leidos[keys.EXPEDIENTE_SK], leidos.get(keys.CHECKLIST_SK)


def cambiar(
    no_siniestro: str, nuevo: Estado, principal: Principal, *, si_coincide: str | None = None
) -> dict[str, Any]:
    """Consistent read, rules, then state + version + index + history in one conditional transaction.

    A lost race re-reads: if the winner already moved it to `nuevo` the loser gets the 409 of "same state".
    With If-Match (`si_coincide`) a version other than the one named is a 412, before any rule.
    """
    esperada = expedientes.version_esperada(si_coincide)
    for _ in range(INTENTOS):
        item, checklist = _leer(no_siniestro, nuevo)
        expedientes.exigir_version(item, esperada)
        actual = validar_transicion(item, nuevo, principal.rol, checklist)
        momento = ahora()
        version = int(item["version"]) + 1
        indices = keys.listas_expediente(
            no_siniestro,
            item.get("fecha_ingreso"),
            nuevo.value,
            int(item["id_aseguradora"]) if item.get("id_aseguradora") is not None else None,
        )
        cambiado = {**item, "estado": nuevo.value, "version": version, "actualizado_en": momento}
        asignar: dict[str, Any] = {
            "estado": nuevo.value,
            "version": version,
            "actualizado_en": momento,
            "GSI2PK": indices["GSI2PK"],
            "GSI2SK": indices["GSI2SK"],
        }
        if alcanzados := hitos.alcanzados(item, cambiado, momento):
            asignar["hitos"] = cambiado["hitos"] = {**(item.get("hitos") or {}), **alcanzados}
        indices_busqueda = busqueda.asignaciones(item, cambiado)
        asignar |= indices_busqueda
        cambiado |= indices_busqueda
        reporte, sin_reporte = agregados.aplicar_indices(cambiado)
        asignar |= reporte
        expresion, nombres, valores = table.expresion_update(asignar, sin_reporte)
        nombres |= {"#estado": "estado", "#version": "version"}
        valores |= {":actual": actual.value, ":leida": int(item["version"])}
        transaccion = (
            table.Transaccion()
            .update(
                "expediente",
                keys.expediente(no_siniestro),
                expresion,
                valores,
                condicion="#estado = :actual AND #version = :leida",
                nombres=nombres,
            )
            .put(
                "historial",
                expedientes.entrada_historial(no_siniestro, actual.value, nuevo.value, principal, momento),
                "attribute_not_exists(PK)",
            )
        )
        agregados.contar(transaccion, item, cambiado)
        if nuevo == Estado.SALIDA:
            condicion, nombres_checklist, valores_checklist = CONDICION_CHECKLIST
            transaccion.check(
                "checklist", keys.checklist(no_siniestro), condicion, valores_checklist, nombres=nombres_checklist
            )
        busqueda.escribir_indice(transaccion, item, cambiado)  # the state copied on each token item
        eventos.agregar(
            transaccion,
            eventos.al_cambiar_estado(
                cambiado, actual.value, momento, hitos.hitos_en(alcanzados), entrega=nuevo == Estado.SALIDA
            ),
        )
        try:
            transaccion.ejecutar()
        except TransaccionCancelada as exc:
            if exc.fallo("expediente") or exc.fallo("checklist"):
                logger.info("Transición en conflicto, se relee", extra={"no_siniestro": no_siniestro})
                continue
            raise
        _metrica(nuevo)
        logger.info(
            "Estado cambiado",
            extra={"no_siniestro": no_siniestro, "de": actual.value, "a": nuevo.value, "version": version},
        )
        return cambiado
    raise ServicioNoDisponible(expedientes.MUY_SOLICITADO)


def _metrica(nuevo: Estado) -> None:
    """EstadoCambiado with the new state as its own dimension (add_dimension would tag every metric)."""
    from aws_lambda_powertools.metrics import MetricUnit, single_metric

    with single_metric(
        name=Metrica.ESTADO_CAMBIADO.value, unit=MetricUnit.Count, value=1, namespace="Monitor"
    ) as metrica:
        metrica.add_dimension(name="service", value="monitor")
        metrica.add_dimension(name="estado", value=nuevo.value)


def historial(no_siniestro: str, *, limite: int, cursor: str | None) -> dict[str, Any]:
    items, ultima, alcance = expedientes.listar_coleccion(
        no_siniestro,
        keys.PREFIJO_HISTORIAL,
        ruta="GET /api/expedientes/estado/historial",
        limite=limite,
        cursor=cursor,
    )
    return cursors.pagina([expedientes.historial_a_respuesta(i) for i in items], ultima, alcance)
