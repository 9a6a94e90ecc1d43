"""Abuse over HTTP: oversized bodies and lists, absurd limits, deep nesting, hostile strings, hostile
path parameters and header injection. Every answer is a clean 4xx (or a faithful round trip), never a
5xx and never a split header."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from monitor.usuarios.campos import Rol
from tests.apoyo.llamantes import Llamante
from tests.apoyo.ordenes import crear_cliente, orden, texto
from tests.apoyo.resumen import anotar
from tools import openapi_local, plantilla

pytestmark = pytest.mark.e2e

ENVIADAS: list[int] = []


@pytest.fixture(scope="module", autouse=True)
def resumen() -> Iterator[None]:
    yield
    if ENVIADAS:
        cincos = sum(1 for s in ENVIADAS if s >= 500)
        anotar(f"abuso: {len(ENVIADAS)} solicitudes hostiles, respuestas 5xx: {cincos}")


def registrar(respuesta: requests.Response) -> requests.Response:
    ENVIADAS.append(respuesta.status_code)
    return respuesta


def error_limpio(respuesta: requests.Response, *estados: int) -> None:
    registrar(respuesta)
    assert respuesta.status_code in estados, f"{respuesta.status_code}: {respuesta.text[:300]}"
    cuerpo = respuesta.json()
    assert isinstance(cuerpo.get("error"), str)
    assert "Traceback" not in respuesta.text


def alta(no_siniestro: str) -> dict[str, Any]:
    return {
        "no_siniestro": no_siniestro,
        "nombre_cliente": "Juan Peña",
        "telefono_cliente": "555-100-2000",
        "marca": "Toyota",
        "placas": "ABC-123",
        "tipo": "Sedán",
        "modelo": "Corolla",
        "fecha_ingreso": "2024-03-15",
        "fecha_entrega": "2024-03-30",
    }


@pytest.fixture
def expediente(api: Any, operador: Llamante, siniestro: Any) -> str:
    no = siniestro()
    assert api.request("POST", "/api/expedientes", token=operador.token, json=alta(no)).status_code == 201
    return no


# ---- sizes
def test_a_body_over_the_function_limit_is_413(api: Any, operador: Llamante, expediente: str) -> None:
    cuerpo = {"observaciones": "x" * 300_000}
    respuesta = api.request("PUT", f"/api/expedientes/{expediente}", token=operador.token, json=cuerpo)
    error_limpio(respuesta, 413)


def test_a_body_over_the_gateway_limit_is_413(api: Any, operador: Llamante) -> None:
    datos = b'{"a": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    respuesta = api.request(
        "POST", "/api/expedientes", token=operador.token, data=datos, headers={"Content-Type": "application/json"}
    )
    error_limpio(respuesta, 413)


def test_more_items_than_the_bound_is_400_and_nothing_is_stored(api: Any) -> None:
    cliente = crear_cliente(id_aseguradora=1)
    datos = orden()
    linea = {"itemName": "Tornillo", "itemQuantity": 1}
    datos["items"] = [linea] * 501
    cuerpo = texto(datos)
    respuesta = api.request(
        "POST",
        "/serviceOrders",
        token=cliente.token,
        data=cuerpo.encode("utf-8"),
        headers={"Content-Type": "application/json", **cliente.cabeceras(cuerpo)},
    )
    error_limpio(respuesta, 400)
    assert any(d["campo"] == "items" for d in respuesta.json().get("detalles", []))
    staff = api.request("GET", f"/api/ordenes-servicio/{datos['serviceOrderId']}", token=_staff_token())
    assert registrar(staff).status_code == 404


def _staff_token() -> str:
    from monitor.auth.tokens import emitir_token
    from monitor.usuarios import servicio as usuarios

    item = usuarios.crear(
        nombre="Lector", username=f"lector-{id(object())}", password="clave-segura-1", rol=Rol.TECNICO
    )
    return emitir_token(sub=str(item["id"]), username=item["username"], rol=Rol.TECNICO, version=1, ttl=600)


def _rutas_de_lista() -> list[str]:
    documento = openapi_local.documento(plantilla.rutas())
    rutas = []
    for ruta, operaciones in documento["paths"].items():
        parametros = (operaciones.get("get") or {}).get("parameters", [])
        if any(p["name"] == "limit" and p["in"] == "query" for p in parametros):
            rutas.append(ruta)
    return sorted(rutas)


RUTAS_DE_LISTA = _rutas_de_lista()


def test_every_list_route_is_found() -> None:
    assert len(RUTAS_DE_LISTA) >= 7, RUTAS_DE_LISTA


@pytest.mark.parametrize("limite", ["100000", "0", "-1", "abc", "1e9"])
@pytest.mark.parametrize("ruta", RUTAS_DE_LISTA)
def test_an_absurd_limit_is_refused_on_every_list_route(
    api: Any, crear_usuario: Any, expediente: str, ruta: str, limite: str
) -> None:
    admin = crear_usuario(Rol.ADMINISTRADOR)
    respuesta = api.request("GET", ruta.replace("{no_siniestro}", expediente) + f"?limit={limite}", token=admin.token)
    error_limpio(respuesta, 400)


# ---- hostile JSON
@pytest.mark.parametrize("profundidad", [1_000, 10_000, 100_000])
def test_deeply_nested_json_is_400_not_500(api: Any, operador: Llamante, expediente: str, profundidad: int) -> None:
    datos = '{"observaciones": ' + "[" * profundidad + "]" * profundidad + "}"
    respuesta = api.request(
        "PUT",
        f"/api/expedientes/{expediente}",
        token=operador.token,
        data=datos,
        headers={"Content-Type": "application/json"},
    )
    error_limpio(respuesta, 400, 413)


def test_deeply_nested_json_on_a_public_route_is_400(api: Any) -> None:
    datos = '{"usuario": ' + '{"a": ' * 20_000 + "1" + "}" * 20_000 + ', "password": "x"}'
    respuesta = api.request("POST", "/api/auth/login", data=datos, headers={"Content-Type": "application/json"})
    error_limpio(respuesta, 400)


HOSTILES = [
    "emoji 🚗🔧 y acentos Peña",
    "línea 1\nlínea 2\ttab",
    "control \u0001\u0007\u001b[31m rojo",
    "nulo \u0000 en medio",
    "bidi \u202e invertido \u202c",
    "sustituto suelto \\ud800",
    "<script>alert(1)</script>' OR 1=1 --",
    "${jndi:ldap://x}",
]


@pytest.mark.parametrize("valor", HOSTILES)
def test_hostile_strings_round_trip_or_are_refused_cleanly(
    api: Any, operador: Llamante, expediente: str, valor: str
) -> None:
    respuesta = registrar(
        api.request("PUT", f"/api/expedientes/{expediente}", token=operador.token, json={"observaciones": valor})
    )
    assert respuesta.status_code in (200, 400), respuesta.text
    leido = api.request("GET", f"/api/expedientes/{expediente}", token=operador.token).json()
    if respuesta.status_code == 200:
        assert respuesta.json()["observaciones"] == valor.strip()
        assert leido["observaciones"] == valor.strip()
    else:
        assert leido["observaciones"] is None


def test_invalid_utf8_is_400_on_every_route_with_a_body(api: Any, crear_usuario: Any, expediente: str) -> None:
    admin = crear_usuario(Rol.ADMINISTRADOR)
    basura = b"\xde\x91\xff\xfe{}"
    for metodo, ruta in [
        ("PUT", f"/api/expedientes/{expediente}"),
        ("PATCH", f"/api/expedientes/{expediente}/estado"),
        ("POST", f"/api/expedientes/{expediente}/comentarios"),
        ("POST", f"/api/expedientes/{expediente}/evidencias"),
        ("POST", "/api/expedientes"),
        ("POST", "/api/usuarios"),
        ("POST", "/api/auth/login"),
    ]:
        respuesta = api.request(
            metodo, ruta, token=admin.token, data=basura, headers={"Content-Type": "application/json"}
        )
        error_limpio(respuesta, 400)


# ---- hostile path parameters
RUTAS_CON_PARAMETRO = [
    "/api/expedientes/{p}",
    "/api/expedientes/{p}/estado/historial",
    "/api/expedientes/{p}/comentarios",
    "/api/usuarios/{p}",
    "/api/ordenes-servicio/{p}",
]
PARAMETROS_HOSTILES = ["..", "..%2F..%2Fetc%2Fpasswd", "%2F", "a%2Fb", "%00", "%0D%0ASet-Cookie:x=1", "A" * 5000, "%FF"]


@pytest.mark.parametrize("parametro", PARAMETROS_HOSTILES, ids=lambda p: p[:20])
@pytest.mark.parametrize("ruta", RUTAS_CON_PARAMETRO)
def test_hostile_path_parameters_are_4xx(api: Any, crear_usuario: Any, ruta: str, parametro: str) -> None:
    admin = crear_usuario(Rol.ADMINISTRADOR)
    metodo = "PUT" if ruta == "/api/usuarios/{p}" else "GET"
    cuerpo = {"nombre": "x"} if metodo == "PUT" else None
    respuesta = registrar(api.request(metodo, ruta.replace("{p}", parametro), token=admin.token, json=cuerpo))
    assert 400 <= respuesta.status_code < 500, f"{respuesta.status_code}: {respuesta.text[:200]}"
    assert "Set-Cookie" not in respuesta.headers


def test_hostile_service_order_ids_are_4xx_for_the_webhook(api: Any) -> None:
    cliente = crear_cliente(id_aseguradora=1)
    for parametro in ["..", "%2F", "-1", "1e3", "99999999999999999999", "A" * 5000]:
        cuerpo = "{}"
        respuesta = registrar(
            api.request(
                "POST",
                f"/serviceOrders/{parametro}/cancel",
                token=cliente.token,
                data=cuerpo,
                headers={"Content-Type": "application/json", **cliente.cabeceras(cuerpo)},
            )
        )
        assert 400 <= respuesta.status_code < 500, f"{parametro[:20]}: {respuesta.status_code} {respuesta.text[:200]}"


# ---- header injection
def test_file_names_with_crlf_never_reach_a_header(api: Any, operador: Llamante, expediente: str) -> None:
    nombre = 'foto\r\nSet-Cookie: robado=1\r\n".jpg'
    solicitud = {"tipo": "fotografia", "nombre_archivo": nombre, "content_type": "image/jpeg", "tamano": 1024}
    respuesta = registrar(
        api.request("POST", f"/api/expedientes/{expediente}/evidencias", token=operador.token, json=solicitud)
    )
    assert respuesta.status_code in (201, 400), respuesta.text
    assert "Set-Cookie" not in respuesta.headers
    if respuesta.status_code == 201:
        cuerpo = respuesta.json()
        textos = [str(v) for v in cuerpo.values()] + [str(v) for v in (cuerpo.get("fields") or {}).values()]
        assert not any("\r" in t or "\n" in t for t in textos), cuerpo
    lista = registrar(api.request("GET", f"/api/expedientes/{expediente}/evidencias", token=operador.token))
    assert lista.status_code == 200
    assert "Set-Cookie" not in lista.headers
    for item in lista.json()["items"]:
        assert "\r" not in item["nombre_archivo"]
        assert "\n" not in item["nombre_archivo"]


def _crudo(api: Any, peticion: bytes) -> bytes:
    partes = urlsplit(api.url)
    with socket.create_connection((partes.hostname, partes.port), timeout=15) as conexion:
        conexion.sendall(peticion)
        datos = b""
        while True:
            trozo = conexion.recv(65536)
            if not trozo:
                return datos
            datos += trozo


def test_if_match_with_a_folded_crlf_does_not_split_the_response(api: Any, operador: Llamante, expediente: str) -> None:
    # Given an If-Match value continued on a second line (obs-fold) that smuggles a header
    cuerpo = json.dumps({"color": "Azul"}).encode()
    partes = urlsplit(api.url)
    peticion = (
        f"PUT /api/expedientes/{expediente} HTTP/1.1\r\n"
        f"Host: {partes.hostname}:{partes.port}\r\n"
        f"Authorization: Bearer {operador.token}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(cuerpo)}\r\n"
        'If-Match: "1"\r\n X-Inyectada: si\r\n'
        "Connection: close\r\n\r\n"
    ).encode() + cuerpo

    # When it is sent as raw bytes
    respuesta = _crudo(api, peticion)

    # Then one well-formed response: a 4xx (or 200 when the value is read as "1"), no injected header
    cabecera, _, _ = respuesta.partition(b"\r\n\r\n")
    linea_estado = cabecera.split(b"\r\n", 1)[0]
    estado = int(linea_estado.split()[1])
    ENVIADAS.append(estado)
    assert estado in (200, 400, 412), respuesta[:300]
    assert b"x-inyectada" not in cabecera.lower()
    assert respuesta.count(b"HTTP/1.") == 1


def test_deeply_nested_json_on_the_webhook_is_400(api: Any) -> None:
    cliente = crear_cliente(id_aseguradora=1)
    cuerpo = '{"comments": ' + "[" * 20_000 + "]" * 20_000 + "}"
    respuesta = api.request(
        "POST",
        "/serviceOrders",
        token=cliente.token,
        data=cuerpo.encode(),
        headers={"Content-Type": "application/json", **cliente.cabeceras(cuerpo)},
    )
    error_limpio(respuesta, 400)


@pytest.mark.parametrize(
    "tipo", ["text/plain", "application/xml", "multipart/form-data", "multipart/form-data; boundary=x"]
)
def test_a_json_body_under_another_content_type_is_400(
    api: Any, operador: Llamante, expediente: str, tipo: str
) -> None:
    respuesta = api.request(
        "PUT",
        f"/api/expedientes/{expediente}",
        token=operador.token,
        data=json.dumps({"color": "Verde"}),
        headers={"Content-Type": tipo},
    )
    error_limpio(respuesta, 400)
    leido = api.request("GET", f"/api/expedientes/{expediente}", token=operador.token).json()
    assert leido["color"] is None
