"""What web and phone clients rely on, over HTTP through the local gateway (authorizer included): conditional
requests (304, 412), search by name / plates / claim ignoring accents and punctuation, sync with
actualizado_desde, strict list parameters, names beside ids, the shop's time zone, token answers and logout."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from monitor.core.dates import ahora
from monitor.usuarios.campos import Rol

pytestmark = pytest.mark.e2e


@pytest.fixture
def operador_http(crear_usuario: Callable[..., Any]) -> Any:
    return crear_usuario(Rol.OPERADOR)


@pytest.fixture
def admin_http(crear_usuario: Callable[..., Any]) -> Any:
    return crear_usuario(Rol.ADMINISTRADOR)


def _crear(api: Any, llamante: Any, no: str, **extra: Any) -> Any:
    cuerpo = {
        "no_siniestro": no,
        "nombre_cliente": "Juan García",
        "telefono_cliente": "555-100-2000",
        "marca": "Toyota",
        "placas": "ABC-123",
        "tipo": "Sedán",
        "modelo": "Corolla",
        "fecha_ingreso": "2024-03-15",
        "fecha_entrega": "2024-04-15",
        **extra,
    }
    r = api.request("POST", "/api/expedientes", token=llamante.token, json=cuerpo)
    assert r.status_code == 201, r.text
    return r


def _ruta(no: str) -> str:
    return f"/api/expedientes/{no}"


# ---- conditional requests
def test_every_answer_of_an_expediente_carries_its_etag(
    api: Any, operador_http: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    creado = _crear(api, operador_http, no)
    leido = api.request("GET", _ruta(no), token=operador_http.token)
    escrito = api.request("PUT", _ruta(no), token=operador_http.token, json={"color": "Rojo"})
    movido = api.request("PATCH", _ruta(no) + "/estado", token=operador_http.token, json={"estado": "Restauracion"})

    assert [creado.headers["ETag"], leido.headers["ETag"], escrito.headers["ETag"], movido.headers["ETag"]] == [
        '"1"',
        '"1"',
        '"2"',
        '"3"',
    ]


def test_get_with_if_none_match_is_304_without_body_until_it_changes(
    api: Any, operador_http: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    _crear(api, operador_http, no)
    etag = api.request("GET", _ruta(no), token=operador_http.token).headers["ETag"]

    igual = api.request("GET", _ruta(no), token=operador_http.token, headers={"If-None-Match": etag})
    api.request("PUT", _ruta(no), token=operador_http.token, json={"color": "Verde"})
    cambiado = api.request("GET", _ruta(no), token=operador_http.token, headers={"If-None-Match": etag})

    assert igual.status_code == 304
    assert igual.content == b""
    assert igual.headers["ETag"] == etag
    assert cambiado.status_code == 200
    assert cambiado.json()["color"] == "Verde"


def test_stale_if_match_is_412_with_the_current_etag_on_put_patch_and_delete(
    api: Any, operador_http: Any, admin_http: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    _crear(api, operador_http, no)
    viejo = {"If-Match": '"1"'}
    api.request("PUT", _ruta(no), token=operador_http.token, json={"color": "Rojo"})

    put = api.request("PUT", _ruta(no), token=operador_http.token, json={"color": "Azul"}, headers=viejo)
    patch = api.request(
        "PATCH", _ruta(no) + "/estado", token=operador_http.token, json={"estado": "Restauracion"}, headers=viejo
    )
    delete = api.request("DELETE", _ruta(no), token=admin_http.token, headers=viejo)
    despues = api.request("GET", _ruta(no), token=operador_http.token).json()

    for respuesta in (put, patch, delete):
        assert respuesta.status_code == 412, respuesta.text
        assert respuesta.headers["ETag"] == '"2"'
    assert (despues["color"], despues["estado"], despues["version"]) == ("Rojo", "Ingreso", 2)

    borrado = api.request("DELETE", _ruta(no), token=admin_http.token, headers={"If-Match": '"2"'})
    assert borrado.status_code == 200
    assert api.request("GET", _ruta(no), token=operador_http.token).status_code == 404


# ---- search and sync
def test_search_ignores_case_accents_and_punctuation(api: Any, operador_http: Any) -> None:
    marca = "q" + uuid.uuid4().hex[:7]
    pena = f"{marca.upper()}-1"
    placas = f"{marca.upper()}-2"
    _crear(api, operador_http, pena, nombre_cliente=f"José Peña {marca}")
    _crear(api, operador_http, placas, nombre_cliente=f"Cliente {marca}", placas=f"{marca[:3]}-123")

    def buscar(q: str) -> list[str]:
        r = api.request("GET", "/api/expedientes", token=operador_http.token, params={"q": q})
        assert r.status_code == 200, r.text
        return sorted(i["no_siniestro"] for i in r.json()["items"])

    assert buscar(f"pena {marca}") == [pena]
    assert buscar(f"PEÑA {marca}") == [pena]
    assert buscar(f"jOsÉ {marca}") == [pena]
    assert buscar(f"{marca[:3]}1 {marca}") == [placas]  # "abc1" finds "ABC-123"
    assert buscar(f"{marca}-1") == [pena]  # the claim number, punctuation and all
    assert buscar(marca) == sorted([pena, placas])


def test_a_search_with_no_match_answers_one_empty_page_without_cursor(api: Any, operador_http: Any) -> None:
    r = api.request("GET", "/api/expedientes", token=operador_http.token, params={"q": "nadie" + uuid.uuid4().hex})

    assert r.status_code == 200
    assert r.json() == {"items": [], "next_cursor": None}


def test_sync_with_actualizado_desde_brings_only_what_changed(
    api: Any, operador_http: Any, siniestro: Callable[[], str]
) -> None:
    antes, despues = siniestro(), siniestro()
    _crear(api, operador_http, antes)
    _crear(api, operador_http, despues)
    corte = ahora()
    api.request("PUT", _ruta(despues), token=operador_http.token, json={"color": "Negro"})

    r = api.request(
        "GET", "/api/expedientes", token=operador_http.token, params={"actualizado_desde": corte, "limit": "100"}
    )

    assert r.status_code == 200, r.text
    cambiados = {i["no_siniestro"]: i for i in r.json()["items"]}
    assert despues in cambiados
    assert cambiados[despues]["color"] == "Negro"
    assert antes not in cambiados


# ---- strict lists
@pytest.mark.parametrize(
    ("ruta", "params"),
    [
        ("/api/aseguradoras", {"limit": "abc"}),
        ("/api/aseguradoras", {"limit": "0"}),
        ("/api/aseguradoras", {"cursor": "zzz"}),
        ("/api/aseguradoras", {"orden": "nombre"}),
        ("/api/expedientes", {"limit": ["1", "2"]}),
        ("/api/expedientes", {"estado": "Ingreso", "estatus": "Ingreso"}),
    ],
)
def test_bad_list_parameters_are_400_over_http(api: Any, operador_http: Any, ruta: str, params: dict[str, Any]) -> None:
    r = api.request("GET", ruta, token=operador_http.token, params=params)

    assert r.status_code == 400, r.text
    assert r.json()["detalles"]


# ---- names, time zone
def test_names_come_beside_ids_and_a_naive_time_is_the_shop_s(
    api: Any, operador_http: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    creado = _crear(api, operador_http, no, dato1="Llamada", dato1_fecha_hora="2024-03-20T10:30:00").json()
    api.request("POST", _ruta(no) + "/comentarios", token=operador_http.token, json={"texto": "Nota"})
    detalle = api.request("GET", _ruta(no), token=operador_http.token).json()
    comentario = api.request("GET", _ruta(no) + "/comentarios", token=operador_http.token).json()["items"][0]

    nombre = operador_http.principal.nombre
    assert (creado["creado_por"], creado["creado_por_nombre"]) == (operador_http.principal.id_usuario, nombre)
    assert detalle["historial_estado"][0]["cambiado_por"]["nombre"] == nombre
    assert comentario["autor"]["nombre"] == nombre
    # 10:30 without an offset is 10:30 in Mexico City (UTC-6), answered in UTC.
    assert creado["dato1_fecha_hora"] == "2024-03-20T16:30:00.000Z"


# ---- tokens
@pytest.mark.parametrize("autorizacion", ["Bearer abc", "Bearer abc.def", "Bearer a.b.c"])
def test_a_malformed_token_is_token_invalido(api: Any, autorizacion: str) -> None:
    r = api.request("GET", "/api/expedientes", headers={"Authorization": autorizacion})

    assert r.status_code == 401
    assert r.json() == {"error": "Token inválido o expirado"}


def test_after_logout_the_old_token_gets_401(api: Any, crear_usuario: Callable[..., Any]) -> None:
    usuario = crear_usuario(Rol.TECNICO)
    assert api.request("GET", "/api/auth/me", token=usuario.token).status_code == 200

    salida = api.request("POST", "/api/auth/logout", token=usuario.token)
    despues = api.request("GET", "/api/auth/me", token=usuario.token)

    assert salida.status_code == 204
    assert despues.status_code == 401
    assert despues.json() == {"error": "Token inválido o expirado"}


# ---- local run for a phone
def test_on_the_lan_presigned_urls_use_the_address_the_phone_knows(
    iniciar_api: Callable[..., Any], crear_usuario: Callable[..., Any], siniestro: Callable[[], str]
) -> None:
    from tests.e2e.test_evidencias_e2e import PNG, _crear_expediente, _pedir, _subir_por_formulario

    # Given the gateway listening on every interface, known on the "LAN" as localhost (moto is this session's)
    lan = iniciar_api(HOST="0.0.0.0", MONITOR_HOST_PUBLICO="localhost")
    try:
        operador = crear_usuario(Rol.OPERADOR)
        no = siniestro()
        _crear_expediente(lan, operador, no)

        carga = _pedir(lan, operador, no).json()
        subida = _subir_por_formulario(carga, PNG)
        confirmada = lan.request(
            "POST", f"/api/expedientes/{no}/evidencias/{carga['id']}/confirmar", token=operador.token
        )
        (listada,) = lan.request("GET", f"/api/expedientes/{no}/evidencias", token=operador.token).json()["items"]
    finally:
        salida = lan.detener()

    assert carga["upload"]["url"].startswith("http://localhost:"), carga["upload"]["url"]
    assert subida.status_code in (200, 204), subida.text
    assert confirmada.status_code == 200, confirmada.text
    assert listada["url"].startswith("http://localhost:")
    assert "URLs de S3 firmadas para http://localhost:" in salida
