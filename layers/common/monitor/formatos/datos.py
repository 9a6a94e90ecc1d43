"""From what the expediente, the checklist and the survey answer (their own read functions' shapes) to the
values of a form's names. Pure: no openpyxl, no AWS; the printing rules live in `monitor.formatos.valores`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from monitor.formatos import campos
from monitor.formatos.campos import Definicion, Nombre


@dataclass(frozen=True)
class Fila:
    """One row of a repeated block: an item, or a group heading (`grupo`), and its values by column name."""

    valores: Mapping[str, Any]
    grupo: bool = False


@dataclass(frozen=True)
class Datos:
    """What a form prints: each scalar name's value, and each block's rows."""

    campos: Mapping[str, Any]
    bloques: Mapping[str, Sequence[Fila]] = field(default_factory=dict)


ESTADOS = {
    "Ingreso": "Ingreso",
    "Restauracion": "Restauración",
    "Pendiente_de_salida": "Pendiente de salida",
    "Salida": "Salida",
}


def _valor(fuente: Mapping[str, Any], ruta: str) -> Any:
    """`"totales.subtotal"` reads fuente["totales"]["subtotal"]; a missing step is None."""
    valor: Any = fuente
    for parte in ruta.split("."):
        if not isinstance(valor, Mapping):
            return None
        valor = valor.get(parte)
    return valor


def valores(nombres: Iterable[Nombre], fuente: Mapping[str, Any]) -> dict[str, Any]:
    return {n.nombre: _valor(fuente, n.campo) for n in nombres}


def _campos(definicion: Definicion, fuente: Mapping[str, Any]) -> dict[str, Any]:
    return valores(definicion.campos, fuente)


def expediente(respuesta: Mapping[str, Any], aseguradora: str | None, impreso_en: str) -> Datos:
    """The flat expediente (`expedientes.servicio.a_respuesta`) plus its insurer's name."""
    estado = respuesta.get("estado")
    fuente = {
        **respuesta,
        "estado": ESTADOS.get(str(estado), estado) if estado else None,
        "aseguradora": aseguradora,
        "impreso_en": impreso_en,
    }
    return Datos(_campos(campos.EXPEDIENTE, fuente))


def checklist(respuesta: Mapping[str, Any], impreso_en: str) -> Datos:
    """The checklist's answer (`checklists.servicio.a_respuesta`: header, every point of the catalog in order,
    resumen): the header's values and the grid's rows, a heading row before each system's points."""
    fuente = {**respuesta, "impreso_en": impreso_en}
    filas: list[Fila] = []
    sistema = None
    for numero, punto in enumerate(respuesta.get("items") or [], start=1):
        if punto["sistema"] != sistema:
            sistema = punto["sistema"]
            filas.append(Fila({"sistema_nombre": sistema}, grupo=True))
        valor = punto.get("valor")
        filas.append(
            Fila(
                {
                    "punto_numero": numero,
                    "punto_nombre": punto["nombre_item"],
                    "punto_sistema": sistema,
                    **{f"punto_{v.lower()}": valor == v for v in campos.VALORES_CHECKLIST},
                }
            )
        )
    bloque = campos.CHECKLIST.bloques[0]
    return Datos(_campos(campos.CHECKLIST, fuente), {bloque.nombre: filas})


def levantamiento(respuesta: Mapping[str, Any], impreso_en: str) -> Datos:
    """The survey's answer (`levantamientos.servicio.a_respuesta`): header, flags, totals, and one row per
    line item in its order."""
    fuente = {**respuesta, "impreso_en": impreso_en}
    bloque = campos.LEVANTAMIENTO.bloques[0]
    filas = [
        Fila(valores(bloque.columnas, {**concepto, "numero": numero}))
        for numero, concepto in enumerate(respuesta.get("conceptos") or [], start=1)
    ]
    return Datos(_campos(campos.LEVANTAMIENTO, fuente), {bloque.nombre: filas})
