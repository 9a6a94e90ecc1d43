"""The TOKEN authorizer's attack matrix: it is invoked as API Gateway does, with TOKEN events."""

from __future__ import annotations

import base64
import json
import secrets
import time
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import jwt
import pytest
from aws_lambda_powertools.utilities import parameters

from monitor.auth import clientes
from monitor.auth.tokens import emitir_token
from monitor.core import table
from monitor.core.settings import settings
from monitor.core.signing import claves_firma
from monitor.usuarios.campos import Rol
from tools import eventos, funciones

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")

Invocar = Callable[..., dict[str, Any]]


@pytest.fixture(scope="module")
def autorizador() -> Callable[[str], dict[str, Any]]:
    modulo = funciones.cargar("auth_authorizer")

    def autorizar(cabecera: str, metodo: str = "GET", recurso: str = "/api/auth/me") -> dict[str, Any]:
        return funciones.invocar(modulo, eventos.evento_autorizador(cabecera, metodo, recurso), "auth_authorizer")

    return autorizar


def _efecto(politica: dict[str, Any]) -> str:
    (declaracion,) = politica["policyDocument"]["Statement"]
    return str(declaracion["Effect"])


def _recursos(politica: dict[str, Any]) -> list[str]:
    return list(politica["policyDocument"]["Statement"][0]["Resource"])


def _claims(llamante: Any, **cambios: Any) -> dict[str, Any]:
    ahora = int(time.time())
    claims = {
        "sub": llamante.principal.id,
        "username": llamante.principal.username,
        "rol": llamante.principal.rol.value,
        "ver": 1,
        "iat": ahora,
        "nbf": ahora,
        "exp": ahora + 600,
        "iss": settings().emisor,
        "aud": settings().audiencia,
    }
    claims.update(cambios)
    return {k: v for k, v in claims.items() if v is not None}


def _firmar(claims: dict[str, Any], clave: str | None = None, kid: str | None = None) -> str:
    secreto = claves_firma()
    return jwt.encode(
        claims, clave or str(secreto["key"]), algorithm="HS256", headers={"kid": kid or str(secreto["kid"])}
    )


def _b64(datos: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(datos).encode()).rstrip(b"=").decode()


def test_a_valid_token_is_allowed_on_the_whole_api_with_the_caller_in_context(
    autorizador: Callable[..., dict[str, Any]], operador: Any, dynamo_requests: Any
) -> None:
    politica = autorizador(f"Bearer {operador.token}", "PATCH", "/api/expedientes/X/estado")

    assert _efecto(politica) == "Allow"
    assert politica["principalId"] == operador.principal.id
    assert politica["context"] == {
        "username": operador.principal.username,
        "rol": "Operador",
        "nombre": operador.principal.nombre,  # the user's name, for writes to store beside the id
    }
    # One policy for every method and path of the stage: API Gateway's cache cannot grant the wrong route.
    assert _recursos(politica) == [
        f"arn:aws:execute-api:{eventos.REGION}:{eventos.CUENTA}:{eventos.API_ID}/{eventos.ETAPA}/*/*"
    ]
    assert dynamo_requests.llamadas == {"GetItem": 1}


def test_an_integration_token_carries_its_insurer(autorizador: Callable[..., dict[str, Any]]) -> None:
    cliente = clientes.crear(nombre="Plataforma AXA", id_aseguradora=2)
    token = clientes.emitir(
        clientes.CredencialesCliente(client_id=cliente["client_id"], client_secret=cliente["client_secret"])
    )["token"]

    politica = autorizador(f"Bearer {token}", "POST", "/serviceOrders")

    assert _efecto(politica) == "Allow"
    assert politica["principalId"] == cliente["client_id"]
    assert politica["context"] == {
        "username": cliente["client_id"],
        "rol": "Integracion",
        "nombre": "Plataforma AXA",
        "id_aseguradora": 2,
    }


ATAQUES: dict[str, Callable[[Any], str]] = {
    "sin cabecera": lambda _: "",
    "Basic en vez de Bearer": lambda ll: "Basic " + base64.b64encode(b"admin:clave").decode(),
    "Bearer vacío": lambda _: "Bearer ",
    "esquema en minúsculas": lambda ll: f"bearer {ll.token}",
    "basura": lambda _: "Bearer no.es.unjwt",
    "alg none": lambda ll: f"{_b64({'alg': 'none', 'typ': 'JWT', 'kid': claves_firma()['kid']})}.{_b64(_claims(ll))}.",
    "HS256 con otra clave": lambda ll: _firmar(_claims(ll), clave=secrets.token_urlsafe(48)),
    "expirado": lambda ll: _firmar(_claims(ll, iat=int(time.time()) - 7200, nbf=None, exp=int(time.time()) - 3600)),
    "nbf en el futuro": lambda ll: _firmar(_claims(ll, nbf=int(time.time()) + 3600)),
    "iss equivocado": lambda ll: _firmar(_claims(ll, iss="otro-emisor")),
    "aud equivocada": lambda ll: _firmar(_claims(ll, aud="otra-api")),
    "kid desconocido": lambda ll: _firmar(_claims(ll), kid="k-desconocido"),
    "sin kid": lambda ll: jwt.encode(_claims(ll), str(claves_firma()["key"]), algorithm="HS256"),
    "sin exp": lambda ll: _firmar(_claims(ll, exp=None)),
    "sin iat": lambda ll: _firmar(_claims(ll, iat=None)),
    "sin iss": lambda ll: _firmar(_claims(ll, iss=None)),
    "sin aud": lambda ll: _firmar(_claims(ll, aud=None)),
    "sin ver": lambda ll: _firmar(_claims(ll, ver=None)),
    "ver de otro tipo": lambda ll: _firmar(_claims(ll, ver="1")),
    "rol desconocido": lambda ll: _firmar(_claims(ll, rol="Superusuario")),
    "rol distinto al del usuario (firmado)": lambda ll: _firmar(_claims(ll, rol="Administrador")),
    "rol manipulado sin volver a firmar": lambda ll: ".".join(
        [
            ll.token.split(".")[0],
            _b64({**jwt.decode(ll.token, options={"verify_signature": False}), "rol": "Administrador"}),
            ll.token.split(".")[2],
        ]
    ),
    "usuario inexistente": lambda ll: _firmar(_claims(ll, sub="999999999")),
    "sub no numérico para personal": lambda ll: _firmar(_claims(ll, sub="../USUARIO#1")),
    "versión antigua": lambda ll: _firmar(_claims(ll, ver=0)),
}


@pytest.mark.parametrize("ataque", list(ATAQUES))
def test_attacks_are_denied(
    ataque: str, autorizador: Callable[..., dict[str, Any]], operador: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    cabecera = ATAQUES[ataque](operador)
    if not cabecera.startswith(("Bearer", "Basic", "bearer")) and cabecera:
        cabecera = f"Bearer {cabecera}"

    politica = autorizador(cabecera)

    assert _efecto(politica) == "Deny", ataque
    assert "context" not in politica
    salida = capsys.readouterr().out
    assert '"TokenRechazado":[1.0]' in salida
    if operador.token in cabecera:
        assert operador.token not in salida


def test_the_same_operator_token_is_allowed_before_the_attacks(
    autorizador: Callable[..., dict[str, Any]], operador: Any
) -> None:
    """Control for the matrix: the claims built by `_claims` are accepted when nothing is altered."""
    assert _efecto(autorizador(f"Bearer {_firmar(_claims(operador))}")) == "Allow"


def test_a_deactivated_user_is_denied_on_the_next_request(
    autorizador: Callable[..., dict[str, Any]], invocar: Invocar, admin: Any, tecnico: Any
) -> None:
    assert _efecto(autorizador(f"Bearer {tecnico.token}")) == "Allow"

    invocar("usuarios_delete", "DELETE", "/api/usuarios/{id}", llamante=admin, ruta_params={"id": tecnico.principal.id})

    assert _efecto(autorizador(f"Bearer {tecnico.token}")) == "Deny"


def test_a_token_issued_before_a_password_change_is_denied(
    autorizador: Callable[..., dict[str, Any]], invocar: Invocar, operador: Any
) -> None:
    cambio = invocar(
        "auth_password",
        "POST",
        "/api/auth/password",
        llamante=operador,
        cuerpo={"password_actual": operador.password, "password_nuevo": "una-clave-nueva-1"},
    )
    assert cambio["statusCode"] == 200

    assert _efecto(autorizador(f"Bearer {operador.token}")) == "Deny"
    assert _efecto(autorizador(f"Bearer {cambio['json']['token']}")) == "Allow"


def test_a_role_change_revokes_the_old_token(
    autorizador: Callable[..., dict[str, Any]], invocar: Invocar, admin: Any, tecnico: Any
) -> None:
    invocar(
        "usuarios_update",
        "PUT",
        "/api/usuarios/{id}",
        llamante=admin,
        ruta_params={"id": tecnico.principal.id},
        cuerpo={"rol": "Administrador"},
    )

    assert _efecto(autorizador(f"Bearer {tecnico.token}")) == "Deny"


def test_a_deactivated_client_is_denied(autorizador: Callable[..., dict[str, Any]]) -> None:
    cliente = clientes.crear(nombre="Plataforma HDI", id_aseguradora=3)
    token = clientes.emitir(
        clientes.CredencialesCliente(client_id=cliente["client_id"], client_secret=cliente["client_secret"])
    )["token"]
    assert _efecto(autorizador(f"Bearer {token}")) == "Allow"

    clientes.desactivar(cliente["client_id"])

    assert _efecto(autorizador(f"Bearer {token}")) == "Deny"


def test_a_user_token_cannot_pose_as_a_client(autorizador: Callable[..., dict[str, Any]], operador: Any) -> None:
    """A staff id used as a client id (or the reverse) names no item of the other kind."""
    token = emitir_token(sub=operador.principal.id, username="x", rol=Rol.INTEGRACION, version=1, ttl=600)

    assert _efecto(autorizador(f"Bearer {token}")) == "Deny"


@pytest.fixture
def secreto_rotado(aws: Any) -> Iterator[Callable[[dict[str, Any]], None]]:
    """Writes a new secret value into (moto's) Secrets Manager; the original is restored afterwards."""
    sm = boto3.client("secretsmanager", endpoint_url=aws.endpoint)
    original = sm.get_secret_value(SecretId=aws.secreto)["SecretString"]

    def escribir(valor: dict[str, Any]) -> None:
        sm.put_secret_value(SecretId=aws.secreto, SecretString=json.dumps(valor))
        parameters.clear_caches()

    yield escribir
    sm.put_secret_value(SecretId=aws.secreto, SecretString=original)
    parameters.clear_caches()


def test_key_rotation_keeps_tokens_signed_with_a_previous_key(
    autorizador: Callable[..., dict[str, Any]], operador: Any, secreto_rotado: Callable[[dict[str, Any]], None]
) -> None:
    anterior = claves_firma()
    nueva = {"kid": "k2", "key": secrets.token_urlsafe(48)}

    # Given the key rotated with the old one kept as previous
    secreto_rotado({**nueva, "previous": [{"kid": anterior["kid"], "key": anterior["key"]}]})

    # Then old tokens still pass, and new ones are signed with k2
    assert _efecto(autorizador(f"Bearer {operador.token}")) == "Allow"
    nuevo = emitir_token(sub=operador.principal.id, username="x", rol=Rol.OPERADOR, version=1, ttl=600)
    assert jwt.get_unverified_header(nuevo)["kid"] == "k2"
    assert _efecto(autorizador(f"Bearer {nuevo}")) == "Allow"

    # And once the previous key is dropped, the old tokens stop working
    secreto_rotado(nueva)
    assert _efecto(autorizador(f"Bearer {operador.token}")) == "Deny"
    assert _efecto(autorizador(f"Bearer {nuevo}")) == "Allow"


def test_a_dynamodb_outage_is_an_error_not_a_deny(
    autorizador: Callable[..., dict[str, Any]], operador: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """API Gateway turns an authorizer error into a 5XX; a Deny would tell a valid user their token is bad."""
    from botocore.exceptions import ClientError

    from monitor.core.errors import ServicioNoDisponible

    class Limitado:
        def get_item(self, **_: Any) -> Any:
            raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "x"}}, "GetItem")

    monkeypatch.setattr(table, "cliente", Limitado)

    with pytest.raises(ServicioNoDisponible):
        autorizador(f"Bearer {operador.token}")
