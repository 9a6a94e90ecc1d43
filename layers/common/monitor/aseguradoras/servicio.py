"""The insurer catalog: a small partition read in one Query; names unique (case-insensitive) by a
conditional write of a name item in the same transaction as the insurer."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from monitor.core import cursors, keys, table
from monitor.core.dates import ahora
from monitor.core.errors import CondicionFallida, Conflicto, NoEncontrado, SolicitudInvalida, TransaccionCancelada

CATALOGO_INICIAL = {1: "Qualitas", 2: "AXA", 3: "HDI"}
NOMBRE_DUPLICADO = "Ya existe una aseguradora con ese nombre"
INEXISTENTE = "La aseguradora no existe"
PASO = "aseguradora"  # the transaction step of `comprobar_existe`


def a_respuesta(item: dict[str, Any]) -> dict[str, Any]:
    return {"id": int(item["id"]), "nombre": item["nombre"]}


def listar() -> list[dict[str, Any]]:
    return [a_respuesta(i) for i in table.query_todo("PK = :pk", {":pk": keys.ASEGURADORAS})]


def lista(limite: int | None = None, cursor: str | None = None) -> dict[str, Any]:
    """The catalog by id, one Query per page, as every list: `limit` and `cursor` mean what they mean elsewhere
    (with the default limit the catalog is one page)."""
    alcance = cursors.alcance("GET /api/aseguradoras")
    items, ultima = table.query(
        "PK = :pk",
        {":pk": keys.ASEGURADORAS},
        limite=cursors.limite(limite),
        inicio=cursors.decodificar(cursor, alcance),
    )
    return cursors.pagina([a_respuesta(i) for i in items], ultima, alcance)


def obtener(id_aseguradora: int) -> dict[str, Any]:
    item = table.get(keys.aseguradora(id_aseguradora))
    if item is None:
        raise NoEncontrado("Aseguradora no encontrada")
    return a_respuesta(item)


def _guardar(id_aseguradora: int, nombre: str) -> dict[str, Any]:
    item = {
        **keys.aseguradora(id_aseguradora),
        "tipo": "aseguradora",
        "id": id_aseguradora,
        "nombre": nombre,
        "creado_en": ahora(),
    }
    unico = {**keys.nombre_aseguradora(nombre), "tipo": "nombre_aseguradora", "id": id_aseguradora}
    transaccion = (
        table.Transaccion()
        .put("nombre", unico, "attribute_not_exists(PK)")
        .put("aseguradora", item, "attribute_not_exists(PK)")
    )
    try:
        transaccion.ejecutar(token=str(uuid.uuid4()))
    except TransaccionCancelada as exc:
        if exc.fallo("nombre"):
            previo = exc.item("nombre")
            if previo is not None and exc.fallo("aseguradora") and int(previo.get("id", -1)) == id_aseguradora:
                return a_respuesta(item)  # the SDK retried our own write after a timeout: it had landed
            raise Conflicto(NOMBRE_DUPLICADO) from None
        raise CondicionFallida(exc.item("aseguradora")) from None
    return a_respuesta(item)


def crear(nombre: str) -> dict[str, Any]:
    return _guardar(table.siguiente("aseguradoras"), nombre)


def comprobar_existe(transaccion: table.Transaccion, id_aseguradora: int) -> None:
    """Adds step `PASO`, which fails unless the insurer exists (no extra read on writes)."""
    transaccion.check(PASO, keys.aseguradora(id_aseguradora), "attribute_exists(PK)")


def inexistente() -> SolicitudInvalida:
    """The 400 of a write naming an insurer that does not exist."""
    return SolicitudInvalida(
        INEXISTENTE, detalles=[{"campo": "id_aseguradora", "mensaje": "No existe una aseguradora con ese id"}]
    )


def sembrar_catalogo() -> None:
    """Idempotent: the seeded ids exist and the counter never hands them out again."""
    for id_aseguradora, nombre in CATALOGO_INICIAL.items():
        try:
            _guardar(id_aseguradora, nombre)
        except Conflicto:
            continue
        except CondicionFallida:
            # Seeded before names were unique: add the missing name item.
            with contextlib.suppress(CondicionFallida):
                table.put(
                    {**keys.nombre_aseguradora(nombre), "tipo": "nombre_aseguradora", "id": id_aseguradora},
                    condicion="attribute_not_exists(PK)",
                )
    table.update(
        keys.contador("aseguradoras"),
        "SET valor = if_not_exists(valor, :cero)",
        {":cero": 0},
    )
    actual = int(table.get(keys.contador("aseguradoras"), consistente=True)["valor"])  # type: ignore[index]
    if actual < max(CATALOGO_INICIAL):
        with contextlib.suppress(CondicionFallida):  # someone else moved it past the seeded ids
            table.update(
                keys.contador("aseguradoras"),
                "SET valor = :max",
                {":max": max(CATALOGO_INICIAL)},
                condicion="valor < :max",
            )
