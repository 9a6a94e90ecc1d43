"""How each kind of value is printed: the cell value and its Excel number format. Dates and times are real
Excel dates and times (numbers with a format), money a number with two decimals and thousands separators,
never text; the shop's time zone decides the day and the hour. Pure: no openpyxl, no AWS."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from monitor.core.dates import zona
from monitor.formatos.campos import Tipo

FORMATO_FECHA = "DD/MM/YYYY"  # the shop reads DD/MM/AAAA
FORMATO_HORA = "HH:MM"
FORMATO_DINERO = "#,##0.00"
FORMATO_ENTERO = "#,##0"
FORMATO_TASA = "0.00%"
MARCA = "X"
CENTAVO = Decimal("0.01")
MAX_TEXTO = 32_767  # what one Excel cell holds

FORMATOS: dict[Tipo, str | None] = {
    Tipo.TEXTO: None,
    Tipo.FECHA: FORMATO_FECHA,
    Tipo.FECHA_LOCAL: FORMATO_FECHA,
    Tipo.HORA: FORMATO_HORA,
    Tipo.HORA_LOCAL: FORMATO_HORA,
    Tipo.MARCA: None,
    Tipo.DINERO: FORMATO_DINERO,
    Tipo.ENTERO: FORMATO_ENTERO,
    Tipo.TASA: FORMATO_TASA,
}

# Characters XML 1.0 cannot carry (openpyxl refuses them): dropped, so no stored text makes the form fail.
_ILEGALES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_HORA = re.compile(r"^\s*(\d{1,2}):(\d{2})")


def _momento(valor: str) -> datetime:
    texto = valor.strip()
    if texto.endswith(("z", "Z")):
        texto = texto[:-1] + "+00:00"
    momento = datetime.fromisoformat(texto)
    return momento if momento.tzinfo else momento.replace(tzinfo=UTC)


def local(valor: str) -> datetime:
    """A stored timestamp as the shop's wall clock shows it (naive: Excel has no time zones)."""
    return _momento(valor).astimezone(zona()).replace(tzinfo=None)


def dia(valor: str) -> date:
    """The day of a date field. A date sent as AAAA-MM-DD is stored at noon UTC: that day, in any zone. Any
    other instant is the shop's calendar day of it."""
    momento = _momento(valor)
    if momento.utcoffset() == UTC.utcoffset(None) and momento.timetz().replace(tzinfo=None) == time(12):
        return momento.date()
    return local(valor).date()


def hora(valor: str) -> time | None:
    """An "HH:MM" field as an Excel time; None when it is not one."""
    encontrada = _HORA.match(valor)
    if not encontrada:
        return None
    horas, minutos = int(encontrada.group(1)), int(encontrada.group(2))
    return time(horas, minutos) if horas < 24 and minutos < 60 else None


def texto(valor: Any) -> str:
    return _ILEGALES.sub("", str(valor))[:MAX_TEXTO]


def dinero(valor: Any) -> Decimal:
    return Decimal(str(valor)).quantize(CENTAVO, rounding=ROUND_HALF_UP)


def _hora_local(valor: str) -> time:
    momento = local(valor)
    return time(momento.hour, momento.minute)


_CONVERSIONES: dict[Tipo, Callable[[Any], Any]] = {
    Tipo.TEXTO: texto,
    Tipo.FECHA: lambda v: dia(str(v)),
    Tipo.FECHA_LOCAL: lambda v: local(str(v)).date(),
    Tipo.HORA: lambda v: hora(str(v)),
    Tipo.HORA_LOCAL: lambda v: _hora_local(str(v)),
    Tipo.MARCA: lambda v: MARCA if v is True else None,
    Tipo.DINERO: dinero,
    Tipo.ENTERO: int,
    Tipo.TASA: lambda v: Decimal(str(v)),
}


def celda(tipo: Tipo, valor: Any) -> tuple[Any, str | None]:
    """The value a cell receives and its number format (None: leave the template's). A missing value is an
    empty cell; so is a false mark."""
    if valor is None or valor == "":
        return None, FORMATOS[tipo]
    return _CONVERSIONES[tipo](valor), FORMATOS[tipo]
