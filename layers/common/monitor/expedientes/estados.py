"""The repair workflow: Ingreso → Restauracion → Pendiente_de_salida → Salida, one step at a time.

The state change and its history entry are one transaction conditioned on the state and version
that were read, so of N identical concurrent transitions exactly one wins.
"""

from __future__ import annotations

from typing import Any

from monitor.auth.roles import Principal
from monitor.core import cursors, keys, table
from monitor.core.dates import ahora
from monitor.core.errors import AccesoDenegado, Conflicto, ServicioNoDisponible, TransaccionCancelada
from monitor.core.metrics import Metrica
from monitor.core.observability import logger
from monitor.expedientes import hitos
from monitor.expedientes import servicio as expedientes
from monitor.expedientes.campos import Estado
from monitor.reportes import agregados
from monitor.seguimiento import eventos
from monitor.usuarios.campos import Rol

FLUJO = (Estado.INGRESO, Estado.RESTAURACION, Estado.PENDIENTE_DE_SALIDA, Estado.SALIDA)
MISMO_ESTADO = "El expediente ya se encuentra en ese estado"
SOLO_ADMIN_REABRE = "Solo un administrador puede reabrir un expediente en Salida"
INTENTOS = 8


def validar_transicion(item: dict[str, Any], nuevo: Estado, rol: Rol) -> Estado:
    """Raises the domain error for a refused transition; returns the current state otherwise."""
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
        faltantes = faltantes_para_salida(item)
        if faltantes:
            raise Conflicto(f"No se puede pasar a Salida: falta {', '.join(faltantes)}")
    return actual


def faltantes_para_salida(item: dict[str, Any]) -> list[str]:
    faltantes = [campo for campo in ("unidad_terminada", "fecha_entrega") if not item.get(campo)]
    if item.get("id_aseguradora") is not None and item.get("doc_finiquito") is not True:
        faltantes.append("doc_finiquito")
    return faltantes


def cambiar(no_siniestro: str, nuevo: Estado, principal: Principal) -> dict[str, Any]:
    """Consistent read, rules, then state + version + index + history in one conditional transaction.

    A lost race re-reads: if the winner already moved it to `nuevo` the loser gets the 409 of "same state".
    """
    for _ in range(INTENTOS):
        item = expedientes.obtener(no_siniestro, consistente=True)
        actual = validar_transicion(item, nuevo, principal.rol)
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
        eventos.agregar(
            transaccion,
            eventos.al_cambiar_estado(
                cambiado, actual.value, momento, hitos.hitos_en(alcanzados), entrega=nuevo == Estado.SALIDA
            ),
        )
        try:
            transaccion.ejecutar()
        except TransaccionCancelada as exc:
            if exc.fallo("expediente"):
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
