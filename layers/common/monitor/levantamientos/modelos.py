"""What comes in for the damage survey and its line items (what goes out is documented in
`monitor.levantamientos.respuestas`).

Inputs are strict like the expediente's: JSON strings for text, JSON booleans for the condition flags, JSON
integers for counts, and `costo` a JSON number (the body is parsed with `Decimal`, so it stays exact): a
string, a boolean, NaN/Infinity, a negative amount or a third decimal is a 400, never a guess.
"""

import re
from decimal import Decimal
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from monitor.core.models import Cuerpo, Fecha
from monitor.levantamientos.campos import (
    COSTO_MAXIMO,
    MAX_CLAVES,
    MAX_CONCEPTO,
    MAX_CONCEPTOS,
    MAX_KILOMETRAJE,
    MAX_PUERTAS,
    MAX_TEXTO,
    SOLO_LECTURA,
    AseguradoTercero,
)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _solo_numero(valor: object) -> object:
    """JSON numbers only: `"12.50"`, `true` and the NaN/Infinity constants (parsed as float) are refused."""
    if isinstance(valor, (int, Decimal)) and not isinstance(valor, bool):
        return valor
    raise ValueError("Debe ser un número (sin comillas)")


def _sin_controles(valor: str) -> str:
    if _CONTROL.search(valor):
        raise ValueError("Contiene caracteres de control no permitidos")
    return valor


def _vacio_es_nulo(valor: str | None) -> str | None:
    return valor or None


Costo = Annotated[
    Decimal,
    BeforeValidator(_solo_numero),
    Field(ge=0, le=COSTO_MAXIMO, max_digits=9, decimal_places=2, allow_inf_nan=False),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": float(COSTO_MAXIMO), "multipleOf": 0.01}),
]
Texto = Annotated[str, StringConstraints(strip_whitespace=True, strict=True, max_length=MAX_TEXTO)]
TextoConcepto = Annotated[
    str,
    StringConstraints(strip_whitespace=True, strict=True, min_length=1, max_length=MAX_CONCEPTO),
    AfterValidator(_sin_controles),
]
Claves = Annotated[
    str,
    StringConstraints(strip_whitespace=True, strict=True, max_length=MAX_CLAVES),
    AfterValidator(_sin_controles),
    AfterValidator(_vacio_es_nulo),
]
Kilometraje = Annotated[StrictInt, Field(ge=0, le=MAX_KILOMETRAJE)]
Puertas = Annotated[StrictInt, Field(ge=0, le=MAX_PUERTAS)]
IdConcepto = Annotated[StrictInt, Field(ge=1)]


def _sin_campos(datos: Any, quitar: frozenset[str]) -> Any:
    if not isinstance(datos, dict):
        return datos
    return {k: v for k, v in datos.items() if k not in quitar}


# POST …/conceptos body: one line item; its id comes from the server.
class ConceptoNuevo(Cuerpo):
    __doc__ = "Un concepto (línea) nuevo del levantamiento; su id lo asigna el servidor."

    model_config = ConfigDict(extra="forbid")

    claves: Claves | None = None
    concepto: TextoConcepto
    costo: Costo


# A line of a PUT's `conceptos`: with the `id` of one of the survey's lines it keeps that id (the same line, maybe
# edited); without one it is a new line. Validated through `CambiosLevantamiento`, never by itself.
class ConceptoReemplazo(ConceptoNuevo):
    __doc__ = (
        "Una línea de `conceptos` en el PUT: con el `id` de una línea existente la conserva (quizá editada); "
        "sin él es una línea nueva."
    )

    id: IdConcepto | None = None


# PUT …/conceptos/{id} body: any subset; `null` clears `claves`; `id` (read-only) is dropped.
class CambiosConcepto(Cuerpo):
    __doc__ = (
        "Cambio parcial de un concepto: cualquier subconjunto; `null` borra `claves`; `id` (solo lectura) se descarta."
    )

    model_config = ConfigDict(extra="forbid")
    NO_NULOS = ("concepto", "costo")  # the document says what the server refuses (monitor.core.models.Cuerpo)
    AL_MENOS_UNO = True

    claves: Claves | None = None
    concepto: TextoConcepto | None = None
    costo: Costo | None = None

    @model_validator(mode="before")
    @classmethod
    def _quitar_id(cls, datos: Any) -> Any:
        return _sin_campos(datos, frozenset({"id"}))

    @model_validator(mode="after")
    def _obligatorios_no_se_vacian(self) -> Self:
        vacios = [c for c in ("concepto", "costo") if c in self.model_fields_set and getattr(self, c) is None]
        if vacios:
            raise ValueError(f"Estos campos no pueden quedar vacíos: {', '.join(vacios)}")
        return self

    def cambios(self) -> dict[str, Any]:
        """Only what the client sent (None = clear)."""
        return self.model_dump(exclude_unset=True)


# PUT …/levantamiento body: any subset of the fields (`null` clears one); `conceptos`, when sent, replaces every
# line item at once (`null` or `[]` removes them all). Server-owned fields are silently dropped, so a client may
# send back the survey it read.
class CambiosLevantamiento(Cuerpo):
    __doc__ = (
        "Cambio parcial del levantamiento (`null` borra un campo); `conceptos`, si se envía, reemplaza todas "
        "las líneas a la vez (`null` o `[]` las quita todas). Los campos del servidor se descartan."
    )

    model_config = ConfigDict(extra="forbid", use_enum_values=True)

    fecha: Fecha | None = None
    orden: Texto | None = None
    marca: Texto | None = None
    tipo: Texto | None = None
    modelo: Texto | None = None
    placas: Texto | None = None
    kilometraje: Kilometraje | None = None
    no_puertas: Puertas | None = None
    color: Texto | None = None
    serie: Texto | None = None
    eco: Texto | None = Field(default=None, description="Número económico (de flotilla)")
    asegurado_tercero: AseguradoTercero | None = None
    nombre_propietario: Texto | None = None
    telefono: Texto | None = None
    direccion: Texto | None = None
    pega: Texto | None = None
    cristales: StrictBool | None = None
    aire: StrictBool | None = None
    vestiduras: StrictBool | None = None
    rin: StrictBool | None = None
    direccion_veh: StrictBool | None = None
    tipo_pintura: StrictBool | None = None
    trasmision: StrictBool | None = None
    conceptos: Annotated[list[ConceptoReemplazo], Field(max_length=MAX_CONCEPTOS)] | None = None

    @model_validator(mode="before")
    @classmethod
    def _quitar_solo_lectura(cls, datos: Any) -> Any:
        return _sin_campos(datos, SOLO_LECTURA)

    @model_validator(mode="after")
    def _ids_sin_repetir(self) -> Self:
        vistos: set[int] = set()
        for concepto in self.conceptos or ():
            if concepto.id is not None:
                if concepto.id in vistos:
                    raise ValueError(f"El concepto {concepto.id} aparece más de una vez en conceptos")
                vistos.add(concepto.id)
        return self

    def cambios(self) -> dict[str, Any]:
        """The fields the client sent (None = clear), line items apart."""
        return self.model_dump(exclude_unset=True, exclude={"conceptos"})

    def reemplazo(self) -> list[dict[str, Any]] | None:
        """The new list of line items when the client sent `conceptos` (None: leave them as they are)."""
        if "conceptos" not in self.model_fields_set:
            return None
        # Dumped through this model's serializer: the lines' own model stays unbuilt (docs/startup.md).
        lineas: list[dict[str, Any]] = self.model_dump(include={"conceptos"})["conceptos"] or []
        return lineas
