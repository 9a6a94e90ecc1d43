"""Subscriptions (administrators): create with the secret shown once, list without secrets, delete, and the
delivery log's 404s and cursors; URLs refused when they are not https or point into private networks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from monitor.core import keys, table
from monitor.core.settings import settings
from tests.handlers.test_seguimiento_apoyo import aseguradora_nueva

Invocar = Callable[..., dict[str, Any]]
RUTA = "/api/suscripciones"
TOPICOS = [
    "expediente.creado",
    "expediente.estado_cambiado",
    "expediente.hito",
    "orden_servicio.recibida",
    "orden_servicio.cancelada",
    "orden_servicio.estatus_cambiado",
]


def crear(invocar: Invocar, llamante: Any, cuerpo: Any) -> dict[str, Any]:
    return invocar("seguimiento_suscripciones_create", "POST", RUTA, llamante=llamante, cuerpo=cuerpo)


@pytest.fixture
def en_aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As deployed: no loopback webhooks."""
    monkeypatch.setenv("MONITOR_WEBHOOK_ALLOW_LOOPBACK", "0")
    settings.cache_clear()
    yield
    monkeypatch.undo()
    settings.cache_clear()


def test_create_answers_the_secret_once_and_list_never_shows_it(
    invocar: Invocar, admin: Any, dynamo_requests: Any
) -> None:
    aseguradora = aseguradora_nueva()
    dynamo_requests.reiniciar()

    r = crear(
        invocar,
        admin,
        {
            "url": " https://hooks.aseguradora.com/monitor ",
            "eventos": [*TOPICOS, "expediente.hito"],
            "id_aseguradora": aseguradora,
        },
    )

    assert r["statusCode"] == 201, r["json"]
    assert r["headers"]["Cache-Control"] == "no-store"
    assert dynamo_requests.llamadas == {"TransactWriteItems": 1}
    creada = r["json"]
    assert len(creada["secreto"]) == 64
    assert creada["url"] == "https://hooks.aseguradora.com/monitor"
    assert creada["eventos"] == TOPICOS
    assert creada["id_aseguradora"] == aseguradora
    assert creada["activa"] is True
    assert creada["creada_por"] == admin.principal.id_usuario
    assert admin.principal.nombre
    assert creada["creada_por_nombre"] == admin.principal.nombre  # the name beside the id, stored with it
    lista = invocar(
        "seguimiento_suscripciones_list", "GET", RUTA, llamante=admin, query={"id_aseguradora": str(aseguradora)}
    )
    assert lista["statusCode"] == 200
    assert lista["json"] == {"items": [{k: v for k, v in creada.items() if k != "secreto"}], "next_cursor": None}
    todas = invocar("seguimiento_suscripciones_list", "GET", RUTA, llamante=admin, query={"limit": "100"})
    assert all("secreto" not in s for s in todas["json"]["items"])


def test_list_pages_with_a_cursor_bound_to_its_filter(invocar: Invocar, admin: Any) -> None:
    aseguradora = aseguradora_nueva()
    ids = {
        crear(
            invocar,
            admin,
            {"url": f"https://h{i}.example.com/", "eventos": ["expediente.creado"], "id_aseguradora": aseguradora},
        )["json"]["id"]
        for i in range(3)
    }
    primera = invocar(
        "seguimiento_suscripciones_list",
        "GET",
        RUTA,
        llamante=admin,
        query={"id_aseguradora": str(aseguradora), "limit": "2"},
    )
    cursor = primera["json"]["next_cursor"]
    assert cursor
    segunda = invocar(
        "seguimiento_suscripciones_list",
        "GET",
        RUTA,
        llamante=admin,
        query={"id_aseguradora": str(aseguradora), "limit": "2", "cursor": cursor},
    )
    assert {s["id"] for s in primera["json"]["items"] + segunda["json"]["items"]} == ids
    otra = invocar("seguimiento_suscripciones_list", "GET", RUTA, llamante=admin, query={"cursor": cursor})
    assert otra["statusCode"] == 400


@pytest.mark.parametrize(
    ("cuerpo", "campo"),
    [
        ({"url": "http://hooks.aseguradora.com/x"}, "url"),
        ({"url": "ftp://hooks.aseguradora.com/x"}, "url"),
        ({"url": "https://usuario:clave@hooks.aseguradora.com/x"}, "url"),
        ({"url": "https://169.254.169.254/latest/meta-data"}, "url"),
        ({"url": "https://10.0.0.8/hook"}, "url"),
        ({"url": "https://[fd00::1]/hook"}, "url"),
        ({"url": "https:///sin-servidor"}, "url"),
        ({"url": "https://x.com:99999/"}, "url"),
        ({"url": "https://x.com/" + "a" * 2100}, "url"),
        ({"eventos": []}, "eventos"),
        ({"eventos": ["expediente.borrado"]}, "eventos"),
        ({"id_aseguradora": "1"}, "id_aseguradora"),
        ({"otro": 1}, "otro"),
    ],
)
def test_create_refuses_bad_input_with_400_and_writes_nothing(
    invocar: Invocar, admin: Any, cuerpo: dict[str, Any], campo: str
) -> None:
    aseguradora = aseguradora_nueva()
    datos = {"url": "https://hooks.aseguradora.com/x", "eventos": ["expediente.creado"], "id_aseguradora": aseguradora}

    r = crear(invocar, admin, {**datos, **cuerpo})

    assert r["statusCode"] == 400, r["json"]
    assert any(d["campo"].startswith(campo) for d in r["json"]["detalles"]), r["json"]
    lista = invocar(
        "seguimiento_suscripciones_list", "GET", RUTA, llamante=admin, query={"id_aseguradora": str(aseguradora)}
    )
    assert lista["json"]["items"] == []


def test_create_for_an_unknown_insurer_is_400(invocar: Invocar, admin: Any) -> None:
    r = crear(
        invocar, admin, {"url": "https://x.example.com/", "eventos": ["expediente.creado"], "id_aseguradora": 987_654}
    )
    assert r["statusCode"] == 400
    assert r["json"]["error"] == "La aseguradora no existe"


def test_loopback_urls_only_in_a_local_run(invocar: Invocar, admin: Any, en_aws: None) -> None:
    r = crear(
        invocar, admin, {"url": "http://127.0.0.1:8080/hook", "eventos": ["expediente.creado"], "id_aseguradora": 1}
    )
    assert r["statusCode"] == 400
    assert r["json"]["detalles"][0]["mensaje"].endswith("La URL debe usar https")


def test_delete_removes_the_subscription_and_its_log(invocar: Invocar, admin: Any) -> None:
    creada = crear(
        invocar, admin, {"url": "https://x.example.com/", "eventos": ["expediente.creado"], "id_aseguradora": 1}
    )
    id_ = creada["json"]["id"]
    table.put({**keys.entrega(id_, "2024-01-01T00:00:00.000Z", "e", 1), "tipo": "entrega", "id_evento": "e"})

    r = invocar("seguimiento_suscripciones_delete", "DELETE", RUTA + "/{id}", llamante=admin, ruta_params={"id": id_})

    assert (r["statusCode"], r["json"]) == (200, {"eliminado": id_})
    assert table.query_todo("PK = :pk", {":pk": keys.suscripcion(id_)["PK"]}, consistente=True) == []
    otra_vez = invocar(
        "seguimiento_suscripciones_delete", "DELETE", RUTA + "/{id}", llamante=admin, ruta_params={"id": id_}
    )
    assert (otra_vez["statusCode"], otra_vez["json"]) == (404, {"error": "Suscripción no encontrada"})
    entregas = invocar(
        "seguimiento_entregas_list", "GET", RUTA + "/{id}/entregas", llamante=admin, ruta_params={"id": id_}
    )
    assert entregas["statusCode"] == 404


@pytest.mark.parametrize("id_", ["no-es-un-id", "g" * 32, "0" * 31])
def test_malformed_ids_are_404_without_a_request(invocar: Invocar, admin: Any, id_: str, dynamo_requests: Any) -> None:
    dynamo_requests.reiniciar()
    r = invocar("seguimiento_entregas_list", "GET", RUTA + "/{id}/entregas", llamante=admin, ruta_params={"id": id_})
    assert r["statusCode"] == 404
    assert dynamo_requests.total == 0


def test_a_bad_cursor_is_400_whatever_the_id_and_a_cursor_serves_only_its_subscription(
    invocar: Invocar, admin: Any, dynamo_requests: Any
) -> None:
    datos = {"url": "https://x.example.com/", "eventos": ["expediente.creado"], "id_aseguradora": 1}
    una, otra = (crear(invocar, admin, datos)["json"]["id"] for _ in range(2))
    for i in range(3):
        table.put({**keys.entrega(una, f"2024-01-0{i + 1}T00:00:00.000Z", "e", 1), "tipo": "entrega"})

    def entregas(id_: str, **query: str) -> dict[str, Any]:
        return invocar(
            "seguimiento_entregas_list",
            "GET",
            RUTA + "/{id}/entregas",
            llamante=admin,
            ruta_params={"id": id_},
            query=query,
        )

    primera = entregas(una.upper(), limit="2")  # ids are read case-insensitively: the cursor too
    cursor = primera["json"]["next_cursor"]
    dynamo_requests.reiniciar()
    malos = [entregas(id_, cursor=c) for id_ in ("no-es-un-id", una) for c in ("zzz", "abc.def")]

    assert cursor
    assert [r["statusCode"] for r in malos] == [400] * 4
    assert {r["json"]["error"] for r in malos} == {"Cursor inválido"}
    assert dynamo_requests.total == 0
    assert len(entregas(una, cursor=cursor)["json"]["items"]) == 1
    assert entregas(otra, cursor=cursor)["statusCode"] == 400
    assert entregas("no-es-un-id", cursor=cursor)["statusCode"] == 400
