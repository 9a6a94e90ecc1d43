"""The insurer catalog: a small partition read in one Query; names unique (case-insensitive) by a
conditional write of a name item in the same transaction as the insurer."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from monitor import keys, tabla
from monitor.errors import CondicionFallida, Conflicto, NoEncontrado, TransaccionCancelada
from monitor.fechas import ahora

CATALOGO_INICIAL = {1: "Qualitas", 2: "AXA", 3: "HDI"}
NOMBRE_DUPLICADO = "Ya existe una aseguradora con ese nombre"


def publica(item: dict[str, Any]) -> dict[str, Any]:
    return {"id": int(item["id"]), "nombre": item["nombre"]}


def listar() -> list[dict[str, Any]]:
    return [publica(i) for i in tabla.query_todo("PK = :pk", {":pk": "ASEGURADORAS"})]


def lista() -> dict[str, Any]:
    """The list body shape of every collection; the catalog is small enough for one page."""
    return {"items": listar(), "next_cursor": None}


def obtener(id_aseguradora: int) -> dict[str, Any]:
    item = tabla.get(keys.aseguradora(id_aseguradora))
    if item is None:
        raise NoEncontrado("Aseguradora no encontrada")
    return publica(item)


def _guardar(id_aseguradora: int, nombre: str) -> dict[str, Any]:
    item = {
        **keys.aseguradora(id_aseguradora),
        "tipo": "aseguradora",
        "id": id_aseguradora,
        "nombre": nombre,
        "creado_en": ahora(),
    }
    unico = {**keys.nombre_aseguradora(nombre), "tipo": "nombre_aseguradora", "id": id_aseguradora}
    try:
        tabla.transaccion(
            [
                tabla.op_put(unico, "attribute_not_exists(PK)"),
                tabla.op_put(item, "attribute_not_exists(PK)"),
            ],
            token=str(uuid.uuid4()),
        )
    except TransaccionCancelada as exc:
        if exc.fallo(0):
            previo = exc.items[0] if exc.items else None
            if previo is not None and exc.fallo(1) and int(previo.get("id", -1)) == id_aseguradora:
                return publica(item)  # the SDK retried our own write after a timeout: it had landed
            raise Conflicto(NOMBRE_DUPLICADO) from None
        raise CondicionFallida(exc.items[1] if len(exc.items) > 1 else None) from None
    return publica(item)


def crear(nombre: str) -> dict[str, Any]:
    return _guardar(tabla.siguiente("aseguradoras"), nombre)


def condicion_existe(id_aseguradora: int) -> dict[str, Any]:
    """A transaction step that fails unless the insurer exists (no extra read on writes)."""
    return tabla.op_check(keys.aseguradora(id_aseguradora), "attribute_exists(PK)")


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
                tabla.put(
                    {**keys.nombre_aseguradora(nombre), "tipo": "nombre_aseguradora", "id": id_aseguradora},
                    condicion="attribute_not_exists(PK)",
                )
    tabla.update(
        keys.contador("aseguradoras"),
        "SET valor = if_not_exists(valor, :cero)",
        {":cero": 0},
    )
    actual = int(tabla.get(keys.contador("aseguradoras"), consistente=True)["valor"])  # type: ignore[index]
    if actual < max(CATALOGO_INICIAL):
        with contextlib.suppress(CondicionFallida):  # someone else moved it past the seeded ids
            tabla.update(
                keys.contador("aseguradoras"),
                "SET valor = :max",
                {":max": max(CATALOGO_INICIAL)},
                condicion="valor < :max",
            )
