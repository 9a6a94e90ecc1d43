"""`Cuerpo`, the base of every request model, and the Pydantic types shared by them; the date rules
themselves live in `monitor.core.dates`.

`Texto` is the one rule for free text: every text field a person or a platform writes and somebody later
reads (names, notes, observations, survey and checklist fields...) builds on it, so none of them stores
control characters, bidirectional overrides (a name that reads differently than it sorts) or Unicode
non-characters. `EnteroCanonico` is the one rule for integer ids and counts that arrive as text (path and query).
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterable, Iterator, Mapping
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from monitor.core.dates import normalizar_fecha, normalizar_marca_tiempo, normalizar_marca_tiempo_utc
from monitor.startup.switches import apagado

_FECHA_HORA = {"type": "string", "format": "date-time"}
Fecha = Annotated[
    str,
    BeforeValidator(normalizar_fecha),
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date"}, _FECHA_HORA]}),
]
MarcaTiempo = Annotated[str, BeforeValidator(normalizar_marca_tiempo), WithJsonSchema(_FECHA_HORA)]
# A time its sender defines as UTC even when written without an offset (`createdOnUtcDate`).
MarcaTiempoUtc = Annotated[str, BeforeValidator(normalizar_marca_tiempo_utc), WithJsonSchema(_FECHA_HORA)]

# C0 controls except tab, line feed and carriage return; DEL and the C1 controls; the bidi embeddings,
# overrides and isolates; lone surrogates (JSON's "\ud800" escapes); the byte-order mark; and the 66
# non-characters.
_NO_CARACTERES = "".join(chr(plano * 0x10000 + 0xFFFE) + chr(plano * 0x10000 + 0xFFFF) for plano in range(17))
_PROHIBIDOS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufdd0-\ufdef\ufeff"
    + _NO_CARACTERES
    + "]"
)
TEXTO_PROHIBIDO = "Contiene caracteres no permitidos (de control, de dirección del texto o no-caracteres Unicode)"
# The same rule for the OpenAPI document (ECMA 262 syntax; the server's check above is the authority).
_CLASE = r"\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFDD0-\uFDEF\uFEFF\uFFFE\uFFFF"
PATRON_TEXTO = rf"^[^{_CLASE}]*$"
# A required text is trimmed before its minimum length counts: at least one character that is not a space.
PATRON_TEXTO_REQUERIDO = rf"^[^{_CLASE}]*[^\s{_CLASE}][^{_CLASE}]*$"


def texto_permitido(valor: str) -> str:
    if _PROHIBIDOS.search(valor):
        raise ValueError(TEXTO_PROHIBIDO)
    return valor


# For text outside a `Cuerpo` (a `Cuerpo` applies the rule to all its text fields by itself). Put no
# StringConstraints after it: Pydantic drops `strip_whitespace` behind a validator.
Texto = Annotated[str, AfterValidator(texto_permitido), Field(json_schema_extra={"pattern": PATRON_TEXTO})]


def _textos(valor: Any) -> Iterator[str]:
    if isinstance(valor, str):
        yield valor
    elif isinstance(valor, (list, tuple)):
        for elemento in valor:
            yield from _textos(elemento)


# ---- integers that arrive as text: canonical ASCII digits only ("1.0", "+1", "01", "1_000", "١" are refused)
_ENTERO = re.compile(r"0|[1-9][0-9]{0,17}")
ENTERO_INVALIDO = "Debe ser un número entero (solo dígitos, sin signo ni ceros a la izquierda)"


def _entero_canonico(valor: object) -> object:
    if isinstance(valor, str) and not _ENTERO.fullmatch(valor):
        raise ValueError(ENTERO_INVALIDO)
    return valor


EnteroCanonico = Annotated[int, BeforeValidator(_entero_canonico)]
# Our own integer ids (users, insurers) come from counters: well inside 64 bits and DynamoDB's 38 digits.
ID_MAXIMO = 10**12


def _es_texto(esquema: Mapping[str, Any]) -> bool:
    return esquema.get("type") == "string" and not ({"enum", "const", "pattern", "format"} & esquema.keys())


def _esquema(esquema: dict[str, Any], modelo: type[BaseModel]) -> None:
    """OpenAPI as the server behaves: free-text properties carry `PATRON_TEXTO`, the fields in `NO_NULOS`
    may be omitted but are not nullable, and a model with `AL_MENOS_UNO` refuses an empty object."""
    if getattr(modelo, "AL_MENOS_UNO", False):
        esquema["minProperties"] = 1
    exentos = getattr(modelo, "TEXTO_SIN_REGLA", ())
    no_nulos = getattr(modelo, "NO_NULOS", ())
    for nombre, propiedad in esquema.get("properties", {}).items():
        if nombre not in exentos:
            for variante in [propiedad, *propiedad.get("anyOf", ()), propiedad.get("items") or {}]:
                if _es_texto(variante):
                    requerido = variante.get("minLength", 0) >= 1  # our required texts are all trimmed
                    variante["pattern"] = PATRON_TEXTO_REQUERIDO if requerido else PATRON_TEXTO
        if nombre in no_nulos and "anyOf" in propiedad:
            variantes = [v for v in propiedad["anyOf"] if v != {"type": "null"}]
            propiedad.pop("default", None)
            if len(variantes) == 1:
                del propiedad["anyOf"]
                propiedad.update(variantes[0])
            else:
                propiedad["anyOf"] = variantes


def _maximo(anotacion: Any, metadatos: Iterable[Any] = ()) -> int | None:
    """The `max_length` a field's type declares for a text (inside `X | None` and `Annotated` too)."""
    for dato in [*metadatos, *getattr(anotacion, "__metadata__", ())]:
        if isinstance(getattr(dato, "max_length", None), int):
            return int(dato.max_length)
    for argumento in typing.get_args(anotacion):
        if argumento is not type(None) and (maximo := _maximo(argumento)) is not None:
            return maximo
    return None


class Cuerpo(BaseModel):
    """Base of every request model, named `<Recurso>Nuevo` for a creation and `Cambios<Recurso>` for an
    update. Its schema is built by the route that takes it, at init (`monitor.startup.route_models`).
    Model modules leave out `from __future__ import annotations`: Pydantic would compile and evaluate each
    field's annotation string at import (tests/arranque checks both rules).

    Every text field (and list of texts) obeys `texto_permitido` without saying so; `TEXTO_SIN_REGLA` names
    the few exempt (secrets compared byte for byte, such as passwords). `NO_NULOS` names optional fields
    whose null the model or the service refuses, so the document declares them non-nullable; `AL_MENOS_UNO`
    marks partial updates, where an empty object is refused."""

    # Switched off (bench, monitor.startup.switches): built as defined.
    model_config = ConfigDict(defer_build=not apagado("route_models"), json_schema_extra=_esquema)

    TEXTO_SIN_REGLA: ClassVar[tuple[str, ...]] = ()
    NO_NULOS: ClassVar[tuple[str, ...]] = ()
    AL_MENOS_UNO: ClassVar[bool] = False  # a partial update that changes nothing is a 400

    @field_validator("*", mode="before")
    @classmethod
    def _largo_tal_como_llega(cls, valor: Any, info: ValidationInfo) -> Any:
        """A text's maximum length holds for the text as sent, as the document says (`maxLength`), not only
        once trimmed: spaces around it do not buy room."""
        if isinstance(valor, str) and info.field_name is not None:
            maximo = _maximo(cls.model_fields[info.field_name].annotation, cls.model_fields[info.field_name].metadata)
            if maximo is not None and len(valor) > maximo:
                raise ValueError(f"Excede el máximo de {maximo} caracteres")
        return valor

    @field_validator("*", mode="after")
    @classmethod
    def _texto_permitido(cls, valor: Any, info: ValidationInfo) -> Any:
        if info.field_name not in cls.TEXTO_SIN_REGLA:
            for texto in _textos(valor):
                texto_permitido(texto)
        return valor
