"""The API's date rules: dates pinned to noon UTC, timestamps in UTC with milliseconds and Z, a date-time
without an offset read in the shop's time zone."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import BaseModel, ValidationError

from monitor.core import dates
from monitor.core.models import Fecha, MarcaTiempo


class Modelo(BaseModel):
    fecha: Fecha | None = None
    marca: MarcaTiempo | None = None


@pytest.mark.parametrize(
    ("entrada", "salida"),
    [
        ("2024-03-22", "2024-03-22T12:00:00.000Z"),
        (" 2024-03-22 ", "2024-03-22T12:00:00.000Z"),
        ("2024-02-29", "2024-02-29T12:00:00.000Z"),
        ("2024-03-20T04:30:00-06:00", "2024-03-20T10:30:00.000Z"),
        ("2024-03-20T23:30:00-06:00", "2024-03-21T05:30:00.000Z"),
        ("2024-03-20T10:30:00Z", "2024-03-20T10:30:00.000Z"),
        ("2024-03-20T10:30:00.5z", "2024-03-20T10:30:00.500Z"),
        ("2024-03-20T10:30:00", "2024-03-20T16:30:00.000Z"),  # no offset: Mexico City's wall clock (UTC-6)
    ],
)
def test_dates_are_normalised(entrada: str, salida: str) -> None:
    assert dates.normalizar_fecha(entrada) == salida
    assert Modelo(fecha=entrada).fecha == salida


@pytest.mark.parametrize(
    ("entrada", "salida"),
    [
        ("2024-03-20T04:30:00-06:00", "2024-03-20T10:30:00.000Z"),
        ("2024-03-20T10:30:00.123456+00:00", "2024-03-20T10:30:00.123Z"),
        ("2024-03-20T10:30:00.000Z", "2024-03-20T10:30:00.000Z"),
        ("2024-12-31T22:00:00-05:00", "2025-01-01T03:00:00.000Z"),
        ("2024-03-20", "2024-03-20T06:00:00.000Z"),  # midnight in the shop
        ("2024-03-20T10:30:00", "2024-03-20T16:30:00.000Z"),
        ("2021-07-01T10:30:00", "2021-07-01T15:30:00.000Z"),  # Mexico City kept summer time until 2022
        ("2024-03-20T10:30:00+00:00", "2024-03-20T10:30:00.000Z"),  # an explicit offset wins
    ],
)
def test_timestamps_are_converted_to_utc_milliseconds(entrada: str, salida: str) -> None:
    assert dates.normalizar_marca_tiempo(entrada) == salida
    assert Modelo(marca=entrada).marca == salida


@pytest.mark.parametrize("entrada", ["2024-02-30", "2023-02-29", "2024-13-01", "22/03/2024", "mañana", "", "2024-3-2"])
def test_invalid_dates_raise_value_error_in_spanish(entrada: str) -> None:
    with pytest.raises(ValueError, match="Fecha inválida"):
        dates.normalizar_fecha(entrada)
    with pytest.raises(ValidationError) as error:
        Modelo(fecha=entrada)
    assert "Fecha inválida" in str(error.value)


@pytest.mark.parametrize("entrada", ["2024-03-20 25:00", "ayer", "", "20/03/2024T10:30"])
def test_invalid_timestamps_raise_value_error_in_spanish(entrada: str) -> None:
    with pytest.raises(ValueError, match="Fecha-hora inválida"):
        dates.normalizar_marca_tiempo(entrada)


def test_non_strings_are_left_for_the_type_check() -> None:
    assert dates.normalizar_fecha(None) is None
    assert dates.normalizar_fecha(20240322) == 20240322
    with pytest.raises(ValidationError):
        Modelo(fecha=20240322)  # type: ignore[arg-type]


def test_iso_and_ahora_are_utc_with_milliseconds(monkeypatch: pytest.MonkeyPatch) -> None:
    mexico = timezone(timedelta(hours=-6))
    assert dates.iso(datetime(2024, 3, 20, 4, 30, 0, 999_999, tzinfo=mexico)) == "2024-03-20T10:30:00.999Z"
    assert dates.iso(datetime(2024, 3, 20, 4, 30)) == "2024-03-20T04:30:00.000Z"
    monkeypatch.setattr(dates, "reloj", lambda: datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert dates.ahora() == "2024-01-02T03:04:05.000Z"


@pytest.fixture
def zona(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    from monitor.core import settings

    def fijar(nombre: str) -> None:
        monkeypatch.setenv("MONITOR_ZONA_HORARIA", nombre)
        settings.settings.cache_clear()

    yield fijar
    monkeypatch.undo()
    settings.settings.cache_clear()


def test_the_shop_s_zone_comes_from_the_environment(zona: Callable[[str], None]) -> None:
    zona("Europe/Madrid")

    assert dates.normalizar_marca_tiempo("2024-03-20T10:30:00") == "2024-03-20T09:30:00.000Z"
    assert dates.normalizar_fecha("2024-03-20") == "2024-03-20T12:00:00.000Z"  # a bare date never shifts


def test_an_unknown_zone_fails_loudly_at_first_use(zona: Callable[[str], None]) -> None:
    from zoneinfo import ZoneInfoNotFoundError

    zona("Marte/Olimpo")

    with pytest.raises(ZoneInfoNotFoundError):
        dates.normalizar_marca_tiempo("2024-03-20T10:30:00")


@pytest.mark.parametrize("valor", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_a_utc_timestamp_pushed_out_of_the_calendar_by_its_offset_is_invalid(valor: str) -> None:
    """The insurer's UTC field shares the calendar's edges with every other timestamp: a 400, never a 500."""
    with pytest.raises(ValueError, match="Fecha-hora inválida"):
        dates.normalizar_marca_tiempo_utc(valor)
