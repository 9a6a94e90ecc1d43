"""POST /api/integraciones, POST /api/auth/token (JSON, OAuth form, HTTP Basic) and the insurer catalog."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from botocore.exceptions import ClientError

from monitor.auth import clientes
from monitor.auth.tokens import verificar_token
from monitor.core import keys, passwords, table
from monitor.usuarios.campos import Rol

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")

Invocar = Callable[..., dict[str, Any]]
INVALIDAS = {"error": "Credenciales de cliente inválidas"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _crear_cliente(invocar: Invocar, admin: Any, **cambios: Any) -> dict[str, Any]:
    cuerpo = {"nombre": "Plataforma Qualitas", "id_aseguradora": 1, **cambios}
    return invocar("auth_clientes_create", "POST", "/api/integraciones", llamante=admin, cuerpo=cuerpo)


def _token(invocar: Invocar, cuerpo: Any, headers: dict[str, str] | None = None) -> dict[str, Any]:
    return invocar("auth_token", "POST", "/api/auth/token", cuerpo=cuerpo, headers=headers)


@pytest.fixture
def cliente(invocar: Invocar, admin: Any) -> dict[str, Any]:
    respuesta = _crear_cliente(invocar, admin)
    assert respuesta["statusCode"] == 201
    return dict(respuesta["json"])


# ---- POST /api/integraciones
def test_create_client_shows_the_secrets_once_and_stores_only_a_hash(invocar: Invocar, admin: Any) -> None:
    respuesta = _crear_cliente(invocar, admin, exigir_firma=False)

    assert respuesta["statusCode"] == 201
    creado = respuesta["json"]
    assert set(creado) == {"client_id", "client_secret", "hmac_key", "nombre", "id_aseguradora", "exigir_firma"}
    assert creado["nombre"] == "Plataforma Qualitas"
    assert creado["id_aseguradora"] == 1
    assert creado["exigir_firma"] is False
    assert respuesta["headers"]["Cache-Control"] == "no-store"
    item = table.get(keys.cliente(creado["client_id"]), consistente=True)
    assert item is not None
    assert creado["client_secret"] not in str(item)
    assert passwords.verificar(creado["client_secret"], item["hash"])
    assert (item["rol"], item["activo"], item["version_token"], item["hmac_key"]) == (
        "Integracion",
        True,
        1,
        creado["hmac_key"],
    )


def test_exigir_firma_defaults_to_true(cliente: dict[str, Any]) -> None:
    assert cliente["exigir_firma"] is True


def test_each_client_gets_different_credentials(invocar: Invocar, admin: Any) -> None:
    a, b = (_crear_cliente(invocar, admin)["json"] for _ in range(2))

    assert a["client_id"] != b["client_id"]
    assert a["client_secret"] != b["client_secret"]
    assert a["hmac_key"] != b["hmac_key"]


def test_unknown_insurer_is_400_and_nothing_is_created(invocar: Invocar, admin: Any, dynamo_requests: Any) -> None:
    respuesta = _crear_cliente(invocar, admin, id_aseguradora=999999)

    assert respuesta["statusCode"] == 400
    assert respuesta["json"]["error"] == "La aseguradora no existe"
    assert respuesta["json"]["detalles"][0]["campo"] == "id_aseguradora"
    assert dynamo_requests.llamadas.get("PutItem", 0) == 0


@pytest.mark.parametrize(
    ("cuerpo", "campo"),
    [
        ({"nombre": "", "id_aseguradora": 1}, "nombre"),
        ({"nombre": "X", "id_aseguradora": "uno"}, "id_aseguradora"),
        ({"nombre": "X", "id_aseguradora": 0}, "id_aseguradora"),
        ({"nombre": "X", "id_aseguradora": 1, "exigir_firma": "tal vez"}, "exigir_firma"),
        ({"nombre": "X", "id_aseguradora": 1, "exigir_firma": 0}, "exigir_firma"),
        ({"nombre": "X", "id_aseguradora": 1, "exigir_firma": "false"}, "exigir_firma"),
        ({"nombre": "X", "id_aseguradora": True}, "id_aseguradora"),
        ({"nombre": "X", "id_aseguradora": 1, "client_secret": "elegido"}, "client_secret"),
    ],
)
def test_invalid_client_bodies_are_400(invocar: Invocar, admin: Any, cuerpo: dict[str, Any], campo: str) -> None:
    respuesta = invocar("auth_clientes_create", "POST", "/api/integraciones", llamante=admin, cuerpo=cuerpo)

    assert respuesta["statusCode"] == 400
    assert campo in [d["campo"] for d in respuesta["json"]["detalles"]]


def test_only_administrators_create_clients(invocar: Invocar, operador: Any) -> None:
    respuesta = _crear_cliente(invocar, operador)

    assert respuesta["statusCode"] == 403
    assert respuesta["json"] == {"error": "Acceso restringido a administradores"}


# ---- POST /api/auth/token
def test_json_exchange_gives_an_integration_token_for_the_clients_insurer(
    invocar: Invocar, cliente: dict[str, Any]
) -> None:
    respuesta = _token(invocar, {"client_id": cliente["client_id"], "client_secret": cliente["client_secret"]})

    assert respuesta["statusCode"] == 200
    assert set(respuesta["json"]) == {"token", "expires_in"}
    assert respuesta["json"]["expires_in"] == 3600
    claims = verificar_token(respuesta["json"]["token"])
    assert (claims["sub"], claims["rol"], claims["id_aseguradora"]) == (cliente["client_id"], "Integracion", 1)
    assert respuesta["headers"]["Cache-Control"] == "no-store"


def test_oauth_form_exchange(invocar: Invocar, cliente: dict[str, Any]) -> None:
    cuerpo = urlencode(
        {
            "grant_type": "client_credentials",
            "client_id": cliente["client_id"],
            "client_secret": cliente["client_secret"],
        }
    )

    respuesta = _token(invocar, cuerpo, FORM)

    assert respuesta["statusCode"] == 200
    assert set(respuesta["json"]) == {"access_token", "token_type", "expires_in"}
    assert respuesta["json"]["token_type"] == "Bearer"
    assert verificar_token(respuesta["json"]["access_token"])["rol"] == Rol.INTEGRACION.value


def test_oauth_with_http_basic_client_authentication(invocar: Invocar, cliente: dict[str, Any]) -> None:
    basic = base64.b64encode(f"{quote(cliente['client_id'])}:{quote(cliente['client_secret'])}".encode()).decode()

    respuesta = _token(
        invocar,
        "grant_type=client_credentials",
        {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Authorization": f"Basic {basic}"},
    )

    assert respuesta["statusCode"] == 200
    assert verificar_token(respuesta["json"]["access_token"])["sub"] == cliente["client_id"]


@pytest.mark.parametrize(
    "credenciales",
    [
        lambda c: {"client_id": c["client_id"], "client_secret": "otro-secreto"},
        lambda c: {"client_id": "cli_desconocido", "client_secret": c["client_secret"]},
        lambda c: {"client_id": c["client_id"], "client_secret": c["hmac_key"]},
    ],
    ids=["secreto", "client_id", "hmac_key"],
)
def test_wrong_credentials_are_401(
    invocar: Invocar, cliente: dict[str, Any], credenciales: Callable[[dict[str, Any]], dict[str, str]]
) -> None:
    respuesta = _token(invocar, credenciales(cliente))
    formulario = _token(invocar, urlencode({"grant_type": "client_credentials", **credenciales(cliente)}), FORM)

    assert (respuesta["statusCode"], respuesta["json"]) == (401, INVALIDAS)
    assert (formulario["statusCode"], formulario["json"]) == (401, INVALIDAS)


def test_malformed_basic_header_is_401(invocar: Invocar) -> None:
    respuesta = _token(invocar, "grant_type=client_credentials", {**FORM, "Authorization": "Basic %%%"})

    assert (respuesta["statusCode"], respuesta["json"]) == (401, INVALIDAS)


def test_a_deactivated_client_cannot_get_tokens(invocar: Invocar, cliente: dict[str, Any]) -> None:
    clientes.desactivar(cliente["client_id"])

    respuesta = _token(invocar, {"client_id": cliente["client_id"], "client_secret": cliente["client_secret"]})

    assert (respuesta["statusCode"], respuesta["json"]) == (401, INVALIDAS)


def test_deactivating_an_unknown_client_is_not_found() -> None:
    from monitor.core.errors import NoEncontrado

    with pytest.raises(NoEncontrado):
        clientes.desactivar("cli_" + uuid.uuid4().hex)


@pytest.mark.parametrize(
    ("cuerpo", "headers", "error"),
    [
        ("grant_type=password&client_id=a&client_secret=b", FORM, "grant_type no soportado"),
        ("client_id=a&client_secret=b", FORM, "grant_type es obligatorio"),
        ("grant_type=client_credentials", FORM, "Faltan campos obligatorios: client_id, client_secret"),
        ({}, None, "Faltan campos obligatorios: client_id, client_secret"),
        ({"client_id": "a"}, None, "Faltan campos obligatorios: client_secret"),
        ({"client_id": 5, "client_secret": "b"}, None, "Datos inválidos"),
        ("{no es json", None, "El cuerpo no es JSON válido"),
        ("[1, 2]", None, "Datos inválidos"),
    ],
)
def test_bad_token_requests_are_400(invocar: Invocar, cuerpo: Any, headers: dict[str, str] | None, error: str) -> None:
    respuesta = _token(invocar, cuerpo, headers)

    assert respuesta["statusCode"] == 400
    assert respuesta["json"]["error"] == error
    assert respuesta["json"]["detalles"]


def test_token_exchange_is_503_when_dynamodb_throttles(
    invocar: Invocar, cliente: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Limitado:
        def get_item(self, **_: Any) -> Any:
            raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "x"}}, "GetItem")

    monkeypatch.setattr(table, "cliente", Limitado)

    respuesta = _token(invocar, {"client_id": cliente["client_id"], "client_secret": cliente["client_secret"]})

    assert respuesta["statusCode"] == 503


# ---- /api/aseguradoras
def test_the_seeded_catalog_is_listed_for_all_staff(invocar: Invocar, crear_usuario: Callable[..., Any]) -> None:
    for rol in (Rol.ADMINISTRADOR, Rol.OPERADOR, Rol.TECNICO):
        respuesta = invocar("aseguradoras_list", "GET", "/api/aseguradoras", llamante=crear_usuario(rol))

        assert respuesta["statusCode"] == 200
        assert respuesta["json"]["next_cursor"] is None
        assert respuesta["json"]["items"][:3] == [
            {"id": 1, "nombre": "Qualitas"},
            {"id": 2, "nombre": "AXA"},
            {"id": 3, "nombre": "HDI"},
        ]


def test_create_insurer_gets_the_next_id_and_is_listed(invocar: Invocar, admin: Any) -> None:
    nombre = f"Aseguradora {uuid.uuid4().hex[:6]}"

    respuesta = invocar("aseguradoras_create", "POST", "/api/aseguradoras", llamante=admin, cuerpo={"nombre": nombre})

    assert respuesta["statusCode"] == 201
    assert respuesta["json"]["nombre"] == nombre
    assert respuesta["json"]["id"] > 3
    lista = invocar("aseguradoras_list", "GET", "/api/aseguradoras", llamante=admin)["json"]["items"]
    assert respuesta["json"] in lista


@pytest.mark.parametrize("nombre", ["Qualitas", "  axa ", "hdi"])
def test_duplicate_insurer_name_is_409(invocar: Invocar, admin: Any, nombre: str) -> None:
    respuesta = invocar("aseguradoras_create", "POST", "/api/aseguradoras", llamante=admin, cuerpo={"nombre": nombre})

    assert respuesta["statusCode"] == 409
    assert respuesta["json"] == {"error": "Ya existe una aseguradora con ese nombre"}


@pytest.mark.parametrize("cuerpo", [{}, {"nombre": ""}, {"nombre": "x" * 101}, {"nombre": "X", "id": 9}])
def test_invalid_insurer_is_400(invocar: Invocar, admin: Any, cuerpo: dict[str, Any]) -> None:
    respuesta = invocar("aseguradoras_create", "POST", "/api/aseguradoras", llamante=admin, cuerpo=cuerpo)

    assert respuesta["statusCode"] == 400
    assert respuesta["json"]["detalles"]


def test_only_administrators_create_insurers(invocar: Invocar, operador: Any) -> None:
    respuesta = invocar("aseguradoras_create", "POST", "/api/aseguradoras", llamante=operador, cuerpo={"nombre": "X"})

    assert respuesta["statusCode"] == 403
    assert respuesta["json"] == {"error": "Acceso restringido a administradores"}


def test_seeding_again_is_idempotent_and_restores_missing_name_items(invocar: Invocar, admin: Any) -> None:
    from monitor.aseguradoras import servicio as aseguradoras

    # Given a catalog seeded before insurer names had their uniqueness item
    table.delete(keys.nombre_aseguradora("HDI"))

    aseguradoras.sembrar_catalogo()
    aseguradoras.sembrar_catalogo()

    assert table.get(keys.nombre_aseguradora("hdi"), consistente=True) is not None
    assert [a for a in aseguradoras.listar() if a["id"] <= 3] == [
        {"id": 1, "nombre": "Qualitas"},
        {"id": 2, "nombre": "AXA"},
        {"id": 3, "nombre": "HDI"},
    ]
    duplicado = invocar("aseguradoras_create", "POST", "/api/aseguradoras", llamante=admin, cuerpo={"nombre": "HDI"})
    assert duplicado["statusCode"] == 409


@pytest.mark.parametrize("funcion", ["auth_clientes_create", "aseguradoras_create"])
def test_a_create_retried_after_a_timeout_is_not_an_error(
    invocar: Invocar, admin: Any, monkeypatch: pytest.MonkeyPatch, funcion: str
) -> None:
    """The SDK resends a transaction whose first attempt landed (timeout); the caller still gets 201."""
    real = table.cliente()

    class ReintentoTrasTimeout:
        def __getattr__(self, nombre: str) -> Any:
            return getattr(real, nombre)

        def transact_write_items(self, **parametros: Any) -> Any:
            real.transact_write_items(**parametros)
            return real.transact_write_items(**parametros)

    monkeypatch.setattr(table, "cliente", ReintentoTrasTimeout)
    cuerpo = (
        {"nombre": "Reintento", "id_aseguradora": 1}
        if funcion == "auth_clientes_create"
        else {"nombre": f"Reintento {uuid.uuid4().hex[:6]}"}
    )
    ruta = "/api/integraciones" if funcion == "auth_clientes_create" else "/api/aseguradoras"

    respuesta = invocar(funcion, "POST", ruta, llamante=admin, cuerpo=cuerpo)

    monkeypatch.undo()
    assert respuesta["statusCode"] == 201
