"""What comes in for the exit checklist: its header (docs/checklists.md, "Fields") and the points to change
(what goes out is documented in `monitor.checklists.respuestas`).

Strict like the expediente's PUT: no "yes" for booleans, no strings for amounts, no numbers for text. A
point is checked against the catalog shipped with the layer, so a typo is a 400 naming it, never a value
stored under a point the form does not have.
"""

import re
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from monitor.checklists import catalogo
from monitor.core.models import Cuerpo, Fecha
from monitor.expedientes.campos import MAX_CORTO, MAX_LARGO

_HORA = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
MAX_PUNTOS_POR_PUT = 500  # more than the form has: duplicates are refused by name, not by count
_LIMITE_MONTO = 10**12


def _vacio_es_nulo(valor: str) -> str | None:
    """A blank text clears the field, like `null`: Salida's "who receives" is never satisfied by spaces."""
    return valor or None


def _hora(valor: object) -> object:
    if isinstance(valor, str) and not _HORA.match(valor.strip()):
        raise ValueError("Hora inválida: use HH:MM entre 00:00 y 23:59")
    return valor.strip() if isinstance(valor, str) else valor


def _solo_numero(valor: object) -> object:
    """JSON numbers only (the body is parsed with Decimal): `"1500"`, `true` and NaN/Infinity are refused."""
    if valor is None or (isinstance(valor, (int, Decimal)) and not isinstance(valor, bool)):
        return valor
    raise ValueError("Debe ser un número decimal")


def _valor(valor: object) -> object:
    if valor is None or (isinstance(valor, str) and valor in catalogo.valores()):
        return valor
    raise ValueError(f"Valor desconocido {valor!r}: use {', '.join(catalogo.valores())} o null")


Corto = Annotated[
    str, StringConstraints(strip_whitespace=True, strict=True, max_length=MAX_CORTO), AfterValidator(_vacio_es_nulo)
]
Largo = Annotated[
    str, StringConstraints(strip_whitespace=True, strict=True, max_length=MAX_LARGO), AfterValidator(_vacio_es_nulo)
]
Hora = Annotated[
    str,
    BeforeValidator(_hora),
    StringConstraints(strict=True),
    WithJsonSchema({"type": "string", "pattern": _HORA.pattern}),
]
Monto = Annotated[
    Decimal,
    BeforeValidator(_solo_numero),
    Field(ge=0, lt=_LIMITE_MONTO, decimal_places=2, allow_inf_nan=False),
    WithJsonSchema({"type": "number", "minimum": 0, "exclusiveMaximum": _LIMITE_MONTO, "multipleOf": 0.01}),
]
# The catalog's values (a unit test holds this equal to catalogo.json's "valores").
Valor = Annotated[Literal["OK", "RE", "MA", "NA"], BeforeValidator(_valor)]
Texto = Annotated[str, StringConstraints(strip_whitespace=True, strict=True, min_length=1, max_length=MAX_CORTO)]


# One point of the form and its new value (`null` clears it).
class PuntoChecklist(Cuerpo):
    __doc__ = "Un punto del catálogo y su valor nuevo (`null` lo borra)."

    model_config = ConfigDict(extra="forbid")

    sistema: Texto
    nombre_item: Texto
    valor: Valor | None

    @model_validator(mode="after")
    def _en_el_catalogo(self) -> Self:
        if not catalogo.existe(self.sistema, self.nombre_item):
            raise ValueError(
                f"Punto fuera del catálogo: {self.sistema} / {self.nombre_item} (vea GET /api/checklist/catalogo)"
            )
        return self


# PUT body: any subset of the header, `null` clears a field, omitted fields stay as they are; `items` changes only
# the points it names.
class CambiosChecklist(Cuerpo):
    __doc__ = (
        "Cambio parcial del checklist: cualquier subconjunto de la cabecera (`null` borra un campo, los omitidos "
        "quedan igual); `items` cambia solo los puntos que nombra."
    )

    model_config = ConfigDict(extra="forbid")
    AL_MENOS_UNO: ClassVar[bool] = True  # an empty PUT changes nothing: 400, and the document says so

    fecha_inspeccion: Fecha | None = None
    hora: Hora | None = None
    inspeccionado_por: Corto | None = None
    ubicacion: Corto | None = None
    aprobada: StrictBool | None = None
    detallado: StrictBool | None = None
    carroceo_asignado: Corto | None = None
    mecanico_asignado: Corto | None = None
    pintor: Corto | None = None
    area_detallado: Corto | None = None
    marca_tipo: Corto | None = None
    anio: Corto | None = None
    serie: Corto | None = None
    areas_danadas: Largo | None = None
    seguro: Literal["Asegurado", "Tercero"] | None = None
    fecha_vencimiento_seguro: Fecha | None = None
    deducible: Monto | None = None
    demerito: Monto | None = None
    lugar_entrega: Corto | None = None
    fecha_entrega: Fecha | None = None
    nombre_quien_recibe: Corto | None = None
    firma_quien_recibe: Largo | None = None
    observaciones_adicionales: Largo | None = None
    items: list[PuntoChecklist] = Field(default_factory=list, min_length=1, max_length=MAX_PUNTOS_POR_PUT)

    @field_validator("items")
    @classmethod
    def _sin_repetidos(cls, items: list[PuntoChecklist]) -> list[PuntoChecklist]:
        vistos: set[tuple[str, str]] = set()
        for punto in items:
            clave = (punto.sistema, punto.nombre_item)
            if clave in vistos:
                raise ValueError(f"Punto repetido: {punto.sistema} / {punto.nombre_item}")
            vistos.add(clave)
        return items

    def cambios(self) -> dict[str, Any]:
        """The header fields the client sent (None = clear)."""
        return self.model_dump(exclude_unset=True, exclude={"items"})

    def puntos(self) -> list[tuple[str, str, str | None]]:
        return [(p.sistema, p.nombre_item, p.valor) for p in self.items]
