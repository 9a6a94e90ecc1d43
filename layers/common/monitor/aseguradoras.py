"""The insurer catalog: a small partition read in one Query."""

from __future__ import annotations

import contextlib
from typing import Any

from monitor import keys, tabla
from monitor.errors import Conflicto, NoEncontrado
from monitor.fechas import ahora

CATALOGO_INICIAL = {1: "Qualitas", 2: "AXA", 3: "HDI"}


def publica(item: dict[str, Any]) -> dict[str, Any]:
    return {"id": int(item["id"]), "nombre": item["nombre"]}


def listar() -> list[dict[str, Any]]:
    return [publica(i) for i in tabla.query_todo("PK = :pk", {":pk": "ASEGURADORAS"})]


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
    tabla.put(item, condicion="attribute_not_exists(PK)")
    return publica(item)


def crear(nombre: str) -> dict[str, Any]:
    existentes = {a["nombre"].casefold() for a in listar()}
    if nombre.casefold() in existentes:
        raise Conflicto("Ya existe una aseguradora con ese nombre")
    return _guardar(tabla.siguiente("aseguradoras"), nombre)


def condicion_existe(id_aseguradora: int) -> dict[str, Any]:
    """A transaction step that fails unless the insurer exists (no extra read on writes)."""
    return tabla.op_check(keys.aseguradora(id_aseguradora), "attribute_exists(PK)")


def sembrar_catalogo() -> None:
    """Idempotent: the seeded ids exist and the counter never hands them out again."""
    from monitor.errors import CondicionFallida

    for id_aseguradora, nombre in CATALOGO_INICIAL.items():
        with contextlib.suppress(CondicionFallida):
            _guardar(id_aseguradora, nombre)
    tabla.update(
        keys.contador("aseguradoras"),
        "SET valor = if_not_exists(valor, :cero)",
        {":cero": 0},
    )
    actual = int(tabla.get(keys.contador("aseguradoras"), consistente=True)["valor"])  # type: ignore[index]
    if actual < max(CATALOGO_INICIAL):
        tabla.update(keys.contador("aseguradoras"), "SET valor = :max", {":max": max(CATALOGO_INICIAL)})
