"""GET /api/health through its handler, against moto."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from monitor.core import table
from monitor.core.settings import settings


def test_health_answers_ok_after_one_table_read(invocar: Callable[..., dict[str, Any]], dynamo_requests: Any) -> None:
    respuesta = invocar("salud", "GET", "/api/health")

    assert respuesta["statusCode"] == 200
    assert respuesta["json"]["status"] == "ok"
    assert respuesta["json"]["tabla"] == "ok"
    assert dynamo_requests.llamadas == {"GetItem": 1}


def test_health_is_503_with_json_when_the_table_cannot_be_reached(
    invocar: Callable[..., dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DYNAMODB_ENDPOINT_URL", "http://127.0.0.1:9")
    settings.cache_clear()
    table.cliente.cache_clear()
    try:
        respuesta = invocar("salud", "GET", "/api/health")
    finally:
        monkeypatch.delenv("DYNAMODB_ENDPOINT_URL")
        settings.cache_clear()
        table.cliente.cache_clear()

    assert respuesta["statusCode"] == 503
    assert respuesta["headers"]["Content-Type"] == "application/json"
    assert respuesta["json"] == {"error": "Servicio no disponible temporalmente, intente de nuevo"}
    assert "Retry-After" in respuesta["headers"]
