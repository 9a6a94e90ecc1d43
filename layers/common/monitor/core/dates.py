"""Date rules of the API: dates pinned to noon UTC so the day never shifts, timestamps in UTC ms Z; a
date-time without an offset is the shop's wall-clock time (`zona()`, the stack's ZonaHoraria), never silently UTC."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, tzinfo

from monitor.core.settings import settings

_SOLO_FECHA = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Tests replace this to make time deterministic.
reloj: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def iso(momento: datetime) -> str:
    if momento.tzinfo is None:
        momento = momento.replace(tzinfo=UTC)
    return momento.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def ahora() -> str:
    return iso(reloj())


def _a_datetime(valor: str, *, utc_sin_zona: bool = False) -> datetime:
    texto = valor.strip()
    if texto.endswith(("z", "Z")):
        texto = texto[:-1] + "+00:00"
    momento = datetime.fromisoformat(texto)
    if momento.tzinfo is None:
        # fold=0: of an hour that repeats when clocks go back, the first; a skipped hour is read forward.
        momento = momento.replace(tzinfo=UTC if utc_sin_zona else zona())
    return momento


def normalizar_fecha(valor: object) -> object:
    """`"2024-03-22"` → `"2024-03-22T12:00:00.000Z"`; a full date-time is normalised to UTC (read in the
    shop's zone when it has no offset)."""
    if valor is None or not isinstance(valor, str):
        return valor
    texto = valor.strip()
    try:
        if _SOLO_FECHA.match(texto):
            return iso(datetime.combine(date.fromisoformat(texto), time(12), tzinfo=UTC))
        return iso(_a_datetime(texto))
    except (ValueError, OverflowError):  # OverflowError: an offset that moves the instant out of years 1-9999
        raise ValueError("Fecha inválida: use AAAA-MM-DD o una fecha-hora ISO 8601") from None


def normalizar_marca_tiempo(valor: object, *, utc_sin_zona: bool = False) -> object:
    if valor is None or not isinstance(valor, str):
        return valor
    try:
        return iso(_a_datetime(valor, utc_sin_zona=utc_sin_zona))
    except (ValueError, OverflowError):  # OverflowError: an offset that moves the instant out of years 1-9999
        raise ValueError("Fecha-hora inválida: use ISO 8601, p. ej. 2024-03-20T10:30:00.000Z") from None


def normalizar_marca_tiempo_utc(valor: object) -> object:
    """For a field its sender defines as UTC (the insurer's `createdOnUtcDate`, which .NET writes without a
    `Z`): there a missing offset means UTC, not the shop's clock. The same rule otherwise, edges included."""
    return normalizar_marca_tiempo(valor, utc_sin_zona=True)


# ---- the shop's calendar (reports): days in the shop's time zone, never in UTC
def zona() -> tzinfo:
    """The shop's time zone (`MONITOR_ZONA_HORARIA`); an unknown name is a configuration error (500)."""
    return _zona(settings().zona_horaria)


@functools.cache
def _zona(nombre: str) -> tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(nombre)


def dia_local(valor: str) -> date:
    """The shop's calendar day of a stored date or timestamp (a date-only value is noon UTC: the same day in
    every zone from UTC-11 to UTC+11)."""
    return _a_datetime(valor).astimezone(zona()).date()


def hoy() -> date:
    return reloj().astimezone(zona()).date()


def inicio_dia(dia: date) -> str:
    """The instant the shop's day `dia` begins, as a stored timestamp (ISO UTC): the bound for index ranges."""
    return iso(datetime.combine(dia, time(0), tzinfo=zona()))
