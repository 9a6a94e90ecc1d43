"""Expedientes in the single table: the meta item `EXP#<no>/EXP` with its list-index attributes, and
its item collection (history, audit, comments, evidence, service-order links) under the same PK.

Writes that touch more than one item are transactions, and every change of the meta item is
conditioned on the `version` it was read at, so concurrent writers never lose each other's changes.
"""

from __future__ import annotations

import hashlib
import random
import time
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from monitor.aseguradoras import servicio as aseguradoras
from monitor.auth.roles import Principal
from monitor.core import cursors, keys, table
from monitor.core.dates import ahora
from monitor.core.errors import (
    Conflicto,
    NoEncontrado,
    PrecondicionFallida,
    ServicioNoDisponible,
    SolicitudInvalida,
    TransaccionCancelada,
)
from monitor.core.observability import logger
from monitor.core.table import entero
from monitor.expedientes import busqueda, hitos
from monitor.expedientes.campos import CAMPOS_ENTEROS, CAMPOS_SALIDA, UBICACION_INICIAL, Estado
from monitor.ordenes.vinculo import vinculada
from monitor.reportes import agregados
from monitor.seguimiento import eventos

if TYPE_CHECKING:
    from monitor.expedientes.modelos import CambiosExpediente, ExpedienteNuevo

NO_ENCONTRADO = "Expediente no encontrado"
DUPLICADO = "Ya existe un expediente con ese No. Siniestro"
MUY_SOLICITADO = "El expediente está muy solicitado, intente de nuevo"
TIPO = "expediente"
INTENTOS_ESCRITURA = 25  # more than the writers one claim can plausibly have at once

# Attributes used by the list indexes; cleared together with the field they derive from.
_GSI3 = ("GSI3PK", "GSI3SK")


def no_encontrado() -> NoEncontrado:
    return NoEncontrado(NO_ENCONTRADO)


def persona(principal: Principal) -> dict[str, Any]:
    """Who did it, as stored with the write: id, username and name (the authorizer's, no extra read)."""
    return {"id": principal.id_usuario, "username": principal.username, "nombre": principal.nombre}


def persona_a_respuesta(guardada: dict[str, Any] | None) -> dict[str, Any]:
    """A stored `persona`; entries written before names were stored answer `nombre` null."""
    datos = guardada or {}
    return {"id": entero(datos.get("id")), "username": datos.get("username"), "nombre": datos.get("nombre")}


def a_respuesta(item: dict[str, Any]) -> dict[str, Any]:
    """The flat expediente, every field of the seed present (null when empty)."""
    salida = {campo: item.get(campo) for campo in CAMPOS_SALIDA}
    for campo in CAMPOS_ENTEROS:
        salida[campo] = entero(salida[campo])
    salida["notificar_cliente"] = salida["notificar_cliente"] is True  # absent (older items) or cleared: off
    salida["notificaciones"] = salida["notificaciones"] or {}
    return salida


def etag(item: dict[str, Any]) -> str:
    return f'"{int(item["version"])}"'


def etag_detalle(
    meta: dict[str, Any],
    ordenes: list[dict[str, Any]],
    levantamiento: dict[str, Any] | None = None,
    checklist: dict[str, Any] | None = None,
) -> str:
    """The detail also shows the order links and the survey's and checklist's summaries, which change without
    touching the expediente's version (the insurer's webhooks, their own writes): their digest joins the
    version (`"3-1a2b…"`), so If-None-Match never hides a new order, a changed survey or checklist. If-Match
    reads only the version part (`version_esperada`)."""
    if not ordenes and levantamiento is None and checklist is None:
        return etag(meta)
    from monitor.core import jsoncodec

    aparte = jsoncodec.dumps({"ordenes": ordenes, "levantamiento": levantamiento, "checklist": checklist})
    huella = hashlib.sha256(aparte.encode()).hexdigest()[:12]
    return f'"{int(meta["version"])}-{huella}"'


def _etiquetas(cabecera: str) -> list[str]:
    """The entity tags of an If-Match / If-None-Match list, without `W/` and quotes."""
    return [parte.strip().removeprefix("W/").strip('"') for parte in cabecera.split(",") if parte.strip()]


def coincide(cabecera: str | None, actual: str) -> bool:
    """If-None-Match: does any tag listed (or `*`) name the current representation? (Weak comparison.)"""
    if cabecera is None or not cabecera.strip():
        return False
    etiquetas = _etiquetas(cabecera)
    return "*" in etiquetas or actual.strip('"') in etiquetas


def cambio_desde_lectura(actual: dict[str, Any]) -> PrecondicionFallida:
    """412 for a stale If-Match, with the current ETag so the client can re-read or retry."""
    return PrecondicionFallida("El expediente cambió desde su última lectura", headers={"ETag": etag(actual)})


def exigir_version(actual: dict[str, Any], esperada: int | None) -> None:
    if esperada is not None and int(actual["version"]) != esperada:
        raise cambio_desde_lectura(actual)


def _indices(item: dict[str, Any]) -> dict[str, str]:
    return keys.listas_expediente(
        item["no_siniestro"], item.get("fecha_ingreso"), item["estado"], entero(item.get("id_aseguradora"))
    )


def _sufijo() -> str:
    return uuid.uuid4().hex[:8]


def entrada_historial(
    no_siniestro: str, anterior: str | None, nuevo: str, principal: Principal, fecha: str
) -> dict[str, Any]:
    return {
        **keys.historial(no_siniestro, fecha, _sufijo()),
        "tipo": "historial",
        "estado_anterior": anterior,
        "estado_nuevo": nuevo,
        "fecha_cambio": fecha,
        "cambiado_por": persona(principal),
    }


def entrada_auditoria(
    no_siniestro: str,
    principal: Principal,
    momento: str,
    *,
    recurso: str,
    version: int,
    cambios: list[dict[str, Any]],
) -> dict[str, Any]:
    """One audit entry: who changed which fields of which resource of the expediente (`"expediente"` or one of
    its sub-resources), written by the same transaction as the change."""
    return {
        **keys.auditoria(no_siniestro, momento, _sufijo()),
        "tipo": "auditoria",
        "recurso": recurso,
        "fecha": momento,
        "usuario": persona(principal),
        "version": version,
        "cambios": cambios,
    }


def historial_a_respuesta(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "estado_anterior": item.get("estado_anterior"),
        "estado_nuevo": item["estado_nuevo"],
        "fecha_cambio": item["fecha_cambio"],
        "cambiado_por": persona_a_respuesta(item.get("cambiado_por")),
    }


# ---- create
def crear(datos: ExpedienteNuevo, principal: Principal) -> dict[str, Any]:
    """One transaction: the meta item (unique by condition), its first history entry, the insurer check."""
    campos = {k: v for k, v in datos.model_dump().items() if v is not None}
    momento = ahora()
    item: dict[str, Any] = {
        **campos,
        "estado": Estado.INGRESO.value,
        "ubicacion_almacenamiento": UBICACION_INICIAL,
        "creado_por": principal.id_usuario,
        "creado_por_nombre": principal.nombre,
        "version": 1,
        "creado_en": momento,
        "actualizado_en": momento,
    }
    item["hitos"] = hitos.alcanzados(None, item, momento)
    no_siniestro = item["no_siniestro"]
    registro = {
        **keys.expediente(no_siniestro),
        **_indices(item),
        "tipo": TIPO,
        agregados.CONTABILIZADO: True,
        **item,
    }
    agregados.aplicar_indices(registro)
    registro[busqueda.TOKENS] = busqueda.tokens_de(registro)
    transaccion = (
        table.Transaccion()
        .put("expediente", registro, "attribute_not_exists(PK)")
        .put("historial", entrada_historial(no_siniestro, None, Estado.INGRESO.value, principal, momento))
    )
    agregados.contar(transaccion, None, registro)
    agregados.expediente_creado(transaccion, no_siniestro)
    busqueda.escribir_indice(transaccion, None, registro)
    if item.get("id_aseguradora") is not None:
        aseguradoras.comprobar_existe(transaccion, item["id_aseguradora"])
    eventos.agregar(transaccion, eventos.al_crear(item, momento, hitos.hitos_en(item["hitos"])))
    try:
        transaccion.ejecutar()
    except TransaccionCancelada as exc:
        if exc.fallo("expediente"):
            raise Conflicto(DUPLICADO) from None
        if exc.fallo(aseguradoras.PASO):
            raise aseguradoras.inexistente() from None
        raise
    logger.info("Expediente creado", extra={"no_siniestro": no_siniestro})
    return a_respuesta(registro)


# ---- read
def obtener(no_siniestro: str, *, consistente: bool = False) -> dict[str, Any]:
    item = table.get(keys.expediente(no_siniestro), consistente=consistente)
    if item is None:
        raise no_encontrado()
    return item


def resumen_checklist(item: dict[str, Any] | None) -> dict[str, Any] | None:
    """The exit checklist as the detail shows it: approved or not, and the summary its writes keep."""
    if item is None:
        return None
    return {"aprobada": item.get("aprobada"), "resumen": {k: entero(v) for k, v in (item.get("resumen") or {}).items()}}


def detalle(no_siniestro: str, *, si_no_coincide: str | None = None) -> tuple[dict[str, Any] | None, str]:
    """One Query over EXP..OS$ (meta, checklist, history, survey header, order links) plus the insurer's name:
    two requests. Only the orders of the expediente's own insurer are its orders (`ordenes.vinculo.vinculada`).
    When `si_no_coincide` (If-None-Match) names the current ETag the body is None and the insurer is not read."""
    desde, hasta = keys.RANGO_DETALLE
    items = table.query_todo(
        "PK = :pk AND SK BETWEEN :desde AND :hasta",
        {":pk": keys.expediente_pk(no_siniestro), ":desde": desde, ":hasta": hasta},
    )
    meta = next((i for i in items if i["SK"] == keys.EXPEDIENTE_SK), None)
    if meta is None:
        raise no_encontrado()
    historial = [historial_a_respuesta(i) for i in items if i["SK"].startswith(keys.PREFIJO_HISTORIAL)]
    historial.reverse()
    ordenes = [
        {
            "serviceOrderId": entero(i.get("serviceOrderId")),
            "serviceOrderNumber": i.get("serviceOrderNumber"),
            "estado": i.get("estado"),
            "recibida_en": i.get("recibida_en"),
        }
        for i in items
        if i["SK"].startswith(keys.PREFIJO_ORDEN) and vinculada(i, meta)
    ]
    levantamiento = _resumen_levantamiento(next((i for i in items if i["SK"] == keys.LEVANTAMIENTO_SK), None))
    checklist = resumen_checklist(next((i for i in items if i["SK"] == keys.CHECKLIST_SK), None))
    actual = etag_detalle(meta, ordenes, levantamiento, checklist)
    if coincide(si_no_coincide, actual):
        return None, actual
    aseguradora = None
    if meta.get("id_aseguradora") is not None:
        id_aseguradora = int(meta["id_aseguradora"])
        encontrada = table.get(keys.aseguradora(id_aseguradora))
        aseguradora = {"id": id_aseguradora, "nombre": encontrada["nombre"] if encontrada else None}
    cuerpo = {
        **a_respuesta(meta),
        "aseguradora": aseguradora,
        "historial_estado": historial,
        "ordenes_servicio": ordenes,
        "levantamiento": levantamiento,
        "checklist": checklist,
    }
    return cuerpo, actual


def _resumen_levantamiento(item: dict[str, Any] | None) -> dict[str, Any] | None:
    """The damage survey in one line, from its header item (inside the detail's Query: no extra request)."""
    if item is None:
        return None
    return {
        "total": Decimal(item["total"]).quantize(Decimal("0.01")),
        "conceptos": entero(item.get("num_conceptos", 0)),
        "version": entero(item["version"]),
        "actualizado_en": item.get("actualizado_en"),
    }


# ---- list
def listar(
    *,
    estado: Estado | None,
    id_aseguradora: int | None,
    q: str | None,
    limite: int,
    cursor: str | None,
    actualizado_desde: str | None = None,
) -> dict[str, Any]:
    """One Query per page on the narrowest index; the other filters are FilterExpressions, and a page they
    leave empty is read on (`table.query_pagina`) so no page is empty while a cursor follows."""
    if q is not None and actualizado_desde is not None:
        mensaje = "q y actualizado_desde no se combinan"
        raise SolicitudInvalida(mensaje, detalles=[{"campo": "actualizado_desde", "mensaje": mensaje}])
    if q is not None:
        return buscar(q, estado=estado, id_aseguradora=id_aseguradora, limite=limite, cursor=cursor)
    if actualizado_desde is not None:
        return cambiados_desde(
            actualizado_desde, estado=estado, id_aseguradora=id_aseguradora, limite=limite, cursor=cursor
        )
    alcance = cursors.alcance("GET /api/expedientes", estado=estado, id_aseguradora=id_aseguradora)
    inicio = cursors.decodificar(cursor, alcance)
    filtros: list[str] = []
    valores: dict[str, Any] = {}
    if id_aseguradora is not None:
        indice, pk = "GSI3", keys.expedientes_por_aseguradora(id_aseguradora)
        if estado is not None:
            filtros.append("estado = :estado")
            valores[":estado"] = estado.value
    elif estado is not None:
        indice, pk = "GSI2", keys.expedientes_por_estado(estado.value)
    else:
        indice, pk = "GSI1", keys.EXPEDIENTES
    items, ultima = table.query_pagina(
        f"{indice}PK = :pk",
        {":pk": pk, **valores},
        indice=indice,
        limite=limite,
        inicio=inicio,
        descendente=True,
        filtro=" AND ".join(filtros) or None,
    )
    return cursors.pagina([a_respuesta(i) for i in items], ultima, alcance)


def buscar(
    q: str, *, estado: Estado | None, id_aseguradora: int | None, limite: int, cursor: str | None
) -> dict[str, Any]:
    """Token items whose token begins with the query's longest word: one Query per page on the partition of
    its first character (by insurer on GSI3, by state on GSI2, else GSI1), ordered by token. Other words of
    the query, and a state next to an insurer, are filters. An expediente two of whose tokens match shows once
    per page."""
    clave, otras = busqueda.consulta(q)
    alcance = cursors.alcance(
        "GET /api/expedientes?q", q=" ".join([clave, *otras]), estado=estado, id_aseguradora=id_aseguradora
    )
    inicio = cursors.decodificar(cursor, alcance)
    inicial = clave[0]
    filtros: list[str] = []
    valores: dict[str, Any] = {":clave": clave}
    if id_aseguradora is not None:
        indice, pk = "GSI3", keys.busqueda_por_aseguradora(id_aseguradora, inicial)
        if estado is not None:
            filtros.append("estado = :estado")
            valores[":estado"] = estado.value
    elif estado is not None:
        indice, pk = "GSI2", keys.busqueda_por_estado(estado.value, inicial)
    else:
        indice, pk = "GSI1", keys.busqueda_todos(inicial)
    for i, palabra in enumerate(otras):
        filtros.append(f"contains({busqueda.PALABRAS}, :p{i})")
        valores[f":p{i}"] = " " + palabra
    items, ultima = table.query_pagina(
        f"{indice}PK = :pk AND begins_with({indice}SK, :clave)",
        {":pk": pk, **valores},
        indice=indice,
        limite=limite,
        inicio=inicio,
        filtro=" AND ".join(filtros) or None,
    )
    unicos: dict[str, dict[str, Any]] = {}
    for item in items:
        unicos.setdefault(str(item["no_siniestro"]), item)
    return cursors.pagina([a_respuesta(i) for i in unicos.values()], ultima, alcance)


def cambiados_desde(
    desde: str, *, estado: Estado | None, id_aseguradora: int | None, limite: int, cursor: str | None
) -> dict[str, Any]:
    """What changed at or after `desde` (a phone's last sync), oldest change first, one Query per page on GSI4,
    whose sort key is `actualizado_en` itself. The index is eventually consistent: clients ask from a little
    before their last sync and take an expediente seen twice as a refresh."""
    alcance = cursors.alcance(
        "GET /api/expedientes?actualizado_desde", desde=desde, estado=estado, id_aseguradora=id_aseguradora
    )
    inicio = cursors.decodificar(cursor, alcance)
    filtros: list[str] = []
    valores: dict[str, Any] = {":pk": keys.EXPEDIENTES, ":desde": desde}
    if estado is not None:
        filtros.append("estado = :estado")
        valores[":estado"] = estado.value
    if id_aseguradora is not None:
        filtros.append("id_aseguradora = :aseguradora")
        valores[":aseguradora"] = id_aseguradora
    items, ultima = table.query_pagina(
        "GSI4PK = :pk AND actualizado_en >= :desde",
        valores,
        indice="GSI4",
        limite=limite,
        inicio=inicio,
        filtro=" AND ".join(filtros) or None,
    )
    return cursors.pagina([a_respuesta(i) for i in items], ultima, alcance)


# ---- update (the seed's PUT)
def version_esperada(cabecera: str | None) -> int | None:
    """`If-Match: 3`, `"3"`, `W/"3"` or the detail's `"3-1a2b…"`; `*` means any. Anything else can never
    match (412)."""
    if cabecera is None or not cabecera.strip() or cabecera.strip() == "*":
        return None
    texto = cabecera.strip().removeprefix("W/").strip('"').partition("-")[0]
    try:
        return int(texto) if texto.isdigit() else -1
    except ValueError:
        return -1


def diferencias(actual: dict[str, Any], cambios: dict[str, Any]) -> list[dict[str, Any]]:
    """`{"campo", "anterior", "nuevo"}` for each field whose value `cambios` really changes (the audit's shape)."""
    resultado = []
    for campo, nuevo in cambios.items():
        anterior = entero(actual.get(campo))
        igual = anterior is nuevo if isinstance(anterior, bool) or isinstance(nuevo, bool) else anterior == nuevo
        if not igual:
            resultado.append({"campo": campo, "anterior": anterior, "nuevo": nuevo})
    return resultado


def _escritura(
    actual: dict[str, Any], cambiados: list[dict[str, Any]], principal: Principal
) -> tuple[table.Transaccion, dict[str, Any]]:
    """The transaction for one PUT attempt and the item as it will be once it commits."""
    no_siniestro = actual["no_siniestro"]
    momento = ahora()
    nuevo = dict(actual)
    for d in cambiados:
        if d["nuevo"] is None:
            nuevo.pop(d["campo"], None)
        else:
            nuevo[d["campo"]] = d["nuevo"]
    nuevo["version"] = int(actual["version"]) + 1
    nuevo["actualizado_en"] = momento
    alcanzados = hitos.alcanzados(actual, nuevo, momento)

    asignar: dict[str, Any] = {d["campo"]: d["nuevo"] for d in cambiados if d["nuevo"] is not None}
    quitar = [d["campo"] for d in cambiados if d["nuevo"] is None]
    tocados = {d["campo"] for d in cambiados}
    if tocados & {"fecha_ingreso", "id_aseguradora"}:
        indices = _indices(nuevo)
        asignar |= indices
        if "GSI3PK" not in indices:
            quitar += list(_GSI3)
        for atributo in _GSI3:
            nuevo.pop(atributo, None)
        nuevo |= indices
    if "busqueda" in actual:
        quitar.append("busqueda")  # the text the former `contains` search read; the token items replace it
    if alcanzados:
        asignar["hitos"] = nuevo["hitos"] = {**(actual.get("hitos") or {}), **alcanzados}
    if "fecha_entrega" in tocados:
        reporte, sin_reporte = agregados.aplicar_indices(nuevo)
        asignar |= reporte
        quitar += sin_reporte
    asignar |= {"version": nuevo["version"], "actualizado_en": momento}
    indices_busqueda = busqueda.asignaciones(actual, nuevo)
    asignar |= indices_busqueda
    nuevo |= indices_busqueda

    expresion, nombres, valores = table.expresion_update(asignar, quitar)
    nombres["#version"] = "version"
    valores[":leida"] = int(actual["version"])
    transaccion = (
        table.Transaccion()
        .update(
            "expediente",
            keys.expediente(no_siniestro),
            expresion,
            valores,
            condicion="#version = :leida",
            nombres=nombres,
        )
        .put(
            "auditoria",
            entrada_auditoria(
                no_siniestro, principal, momento, recurso=TIPO, version=nuevo["version"], cambios=cambiados
            ),
            "attribute_not_exists(PK)",
        )
    )
    agregados.contar(transaccion, actual, nuevo)
    busqueda.escribir_indice(transaccion, actual, nuevo)
    nuevo_aseguradora = next((d["nuevo"] for d in cambiados if d["campo"] == "id_aseguradora"), None)
    if nuevo_aseguradora is not None:
        aseguradoras.comprobar_existe(transaccion, nuevo_aseguradora)
    eventos.agregar(transaccion, eventos.hitos(nuevo, hitos.hitos_en(alcanzados), momento))
    return transaccion, nuevo


def _espera(intento: int) -> None:
    """Jittered backoff so writers that collided do not collide again in lockstep."""
    time.sleep(random.uniform(0, 0.01 * 2 ** min(intento, 4)))  # noqa: S311 - jitter, not security


def actualizar(
    no_siniestro: str, datos: CambiosExpediente, principal: Principal, *, si_coincide: str | None = None
) -> tuple[dict[str, Any], bool]:
    """Read (consistent) → diff → one transaction conditioned on the version read; retried on conflict.

    Returns the expediente as persisted and whether anything changed (same values: no write, no audit).
    """
    cambios = datos.cambios()
    if not cambios:
        raise SolicitudInvalida(
            "No hay campos para actualizar",
            detalles=[{"campo": "body", "mensaje": "Envíe al menos un campo modificable"}],
        )
    esperada = version_esperada(si_coincide)
    for intento in range(INTENTOS_ESCRITURA):
        actual = obtener(no_siniestro, consistente=True)
        exigir_version(actual, esperada)
        cambiados = diferencias(actual, cambios)
        if not cambiados:
            return actual, False
        transaccion, nuevo = _escritura(actual, cambiados, principal)
        try:
            transaccion.ejecutar()
        except TransaccionCancelada as exc:
            if exc.fallo(aseguradoras.PASO):
                raise aseguradoras.inexistente() from None
            if exc.fallo("expediente"):
                logger.info(
                    "Conflicto de versión, se reintenta", extra={"no_siniestro": no_siniestro, "intento": intento}
                )
                _espera(intento)
                continue
            raise
        logger.info(
            "Expediente actualizado",
            extra={
                "no_siniestro": no_siniestro,
                "campos": [d["campo"] for d in cambiados],
                "version": nuevo["version"],
            },
        )
        return nuevo, True
    logger.warning("Demasiados conflictos de versión", extra={"no_siniestro": no_siniestro})
    raise ServicioNoDisponible(MUY_SOLICITADO)


# ---- indexes of expedientes written before them
def reindexar(no_siniestro: str) -> bool:
    """Joins an expediente written before the search and sync indexes to both (its token items, `GSI4PK`),
    in one transaction conditioned on the version read; the version does not change, since nothing a client
    sees does. False when it already was (or changed meanwhile: its own write indexed it)."""
    actual = obtener(no_siniestro, consistente=True)
    asignar = busqueda.asignaciones(actual, actual)
    if not asignar:
        return False
    expresion, nombres, valores = table.expresion_update(asignar)
    nombres["#version"] = "version"
    valores[":leida"] = int(actual["version"])
    transaccion = table.Transaccion().update(
        "expediente", keys.expediente(no_siniestro), expresion, valores, condicion="#version = :leida", nombres=nombres
    )
    busqueda.escribir_indice(transaccion, actual, actual | asignar)
    try:
        transaccion.ejecutar()
    except TransaccionCancelada as exc:
        if exc.fallo("expediente"):
            return False
        raise
    return True


def sin_indexar(limite: int = 100, inicio: dict[str, Any] | None = None) -> tuple[list[str], dict[str, Any] | None]:
    """One page of the claim numbers (GSI1, every expediente) that `reindexar` still has to join."""
    items, ultima = table.query("GSI1PK = :pk", {":pk": keys.EXPEDIENTES}, indice="GSI1", limite=limite, inicio=inicio)
    pendientes = [str(i["no_siniestro"]) for i in items if busqueda.asignaciones(i, i)]
    return pendientes, ultima


# ---- delete
def eliminar(no_siniestro: str, *, si_coincide: str | None = None) -> None:
    """Meta first (so no new child can be attached), then evidence objects, then every child item.

    Service-order links (`OS#…`) stay: orders belong to the insurer and re-link if the claim is
    created again. If a previous attempt died half-way, a retry cleans what is left and still 404s.
    With If-Match the meta's delete is conditioned on that version: a stale one deletes nothing (412).
    """
    existia = _borrar_meta(no_siniestro, version_esperada(si_coincide))
    coleccion = table.query_todo("PK = :pk", {":pk": keys.expediente_pk(no_siniestro)}, consistente=True)
    restos: list[Mapping[str, str]] = [
        {"PK": i["PK"], "SK": i["SK"]}
        for i in coleccion
        if not i["SK"].startswith(keys.PREFIJO_ORDEN) and i["SK"] not in (keys.EXPEDIENTE_SK, keys.SIN_EXPEDIENTE_SK)
    ]
    if existia or any(r["SK"].startswith(keys.PREFIJO_EVIDENCIA) for r in restos):
        _borrar_archivos(no_siniestro)
    # Its orders are again orders without an expediente (the board lists them); put before the deletes so a
    # retry after a failure below still finds the links and writes the same marker.
    marcador = agregados.marcador(no_siniestro, [i for i in coleccion if i["SK"].startswith(keys.PREFIJO_ORDEN)])
    if marcador is not None:
        table.put(marcador)
    elif any(i["SK"] == keys.SIN_EXPEDIENTE_SK for i in coleccion):
        restos.append(keys.ordenes_sin_expediente(no_siniestro))
    table.borrar_varios(restos)
    if not existia:
        if restos:
            logger.warning("Restos de un borrado anterior eliminados", extra={"no_siniestro": no_siniestro})
        raise no_encontrado()
    logger.info("Expediente eliminado", extra={"no_siniestro": no_siniestro, "elementos": len(restos)})


def _borrar_meta(no_siniestro: str, esperada: int | None = None) -> bool:
    """The meta item, deleted as it was read (version) with its unit counter and its search token items in the
    same transaction.
    False when there is none (already deleted, or a previous attempt died half-way). With If-Match
    (`esperada`) another version is a 412 and nothing is deleted: the transaction is conditioned on the
    version read, so a change in between is caught too (re-read, then 412)."""
    for intento in range(INTENTOS_ESCRITURA):
        item = table.get(keys.expediente(no_siniestro), consistente=True)
        if item is None:
            return False
        exigir_version(item, esperada)
        transaccion = table.Transaccion().delete(
            "expediente",
            keys.expediente(no_siniestro),
            "#version = :leida",
            {":leida": int(item["version"])},
            nombres={"#version": "version"},
        )
        agregados.contar(transaccion, item, None)
        busqueda.borrar_indice(transaccion, item)
        try:
            transaccion.ejecutar()
        except TransaccionCancelada as exc:
            if exc.fallo("expediente"):
                _espera(intento)
                continue
            raise
        return True
    raise ServicioNoDisponible(MUY_SOLICITADO)


def _borrar_archivos(no_siniestro: str) -> None:
    """Every object (all versions) under the expediente's prefix in the bucket: evidence and any file
    generated for it. Lists S3 by prefix, no table reads; the caller deletes the items."""
    from monitor.core import storage  # the S3 client only where a delete needs it

    borrados = storage.borrar_prefijo(keys.prefijo_expediente_s3(no_siniestro))
    logger.info("Archivos del expediente borrados de S3", extra={"no_siniestro": no_siniestro, "objetos": borrados})


# ---- paginated sub-collections (history, audit, comments)
def listar_coleccion(
    no_siniestro: str, prefijo: str, *, ruta: str, limite: int, cursor: str | None
) -> tuple[list[dict[str, Any]], dict[str, Any] | None, str]:
    """Newest first, one Query per page; only an empty first page costs a GetItem (404 or really empty)."""
    alcance = cursors.alcance(ruta, no_siniestro=no_siniestro)
    inicio = cursors.decodificar(cursor, alcance)
    items, ultima = table.query(
        "PK = :pk AND begins_with(SK, :prefijo)",
        {":pk": keys.expediente_pk(no_siniestro), ":prefijo": prefijo},
        limite=limite,
        inicio=inicio,
        descendente=True,
    )
    if not items and inicio is None:
        obtener(no_siniestro)
    return items, ultima, alcance
