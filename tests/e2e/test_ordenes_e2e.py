"""The insurer webhook over HTTP through the local gateway (authorizer included), with a client created
by an administrator through POST /api/integraciones and a token from POST /api/auth/token."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
import requests

from monitor.core import keys, table
from monitor.ordenes.firmas import ascii_dotnet, calcular
from monitor.usuarios.campos import Rol
from tests.apoyo.ordenes import nuevo_id, orden, orden_guardada, texto

pytestmark = pytest.mark.e2e

FIRMA = "X-Infopiezas-Hmac-Sha256"
CANCELADA = {"isCancelled": True, "showResponseText": False, "responseText": ""}


@dataclass
class Integrador:
    client_id: str
    token: str
    hmac_key: str

    def firma(self, cuerpo: str, *, ascii_: bool = False) -> str:
        return calcular(ascii_dotnet(cuerpo) if ascii_ else cuerpo.encode("utf-8"), self.hmac_key)


def _integrador(api: Any, admin: Any, id_aseguradora: int, *, oauth: bool = False) -> Integrador:
    creado = api.request(
        "POST",
        "/api/integraciones",
        token=admin.token,
        json={"nombre": f"Infopiezas {id_aseguradora}", "id_aseguradora": id_aseguradora, "exigir_firma": True},
    )
    assert creado.status_code == 201, creado.text
    credenciales = creado.json()
    if oauth:
        emitido = api.request(
            "POST",
            "/api/auth/token",
            data=(
                f"grant_type=client_credentials&client_id={credenciales['client_id']}"
                f"&client_secret={requests.utils.quote(credenciales['client_secret'])}"
            ),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert emitido.status_code == 200, emitido.text
        token = emitido.json()["access_token"]
    else:
        emitido = api.request(
            "POST",
            "/api/auth/token",
            json={"client_id": credenciales["client_id"], "client_secret": credenciales["client_secret"]},
        )
        assert emitido.status_code == 200, emitido.text
        token = emitido.json()["token"]
    return Integrador(credenciales["client_id"], token, credenciales["hmac_key"])


@pytest.fixture(scope="module")
def personal(crear_usuario_modulo: Callable[..., Any]) -> dict[Rol, Any]:
    return {rol: crear_usuario_modulo(rol) for rol in (Rol.ADMINISTRADOR, Rol.OPERADOR, Rol.TECNICO)}


@pytest.fixture(scope="module")
def crear_usuario_modulo() -> Callable[..., Any]:
    from monitor.auth.roles import Principal
    from monitor.auth.tokens import emitir_token
    from monitor.usuarios import servicio as usuarios
    from tests.apoyo.llamantes import Llamante

    def crear(rol: Rol) -> Any:
        username = f"{rol.value.lower()}-so-{uuid.uuid4().hex[:8]}"
        item = usuarios.crear(nombre=f"Usuario {username}", username=username, password="x" * 12, rol=rol)
        principal = Principal(id=str(item["id"]), username=username, rol=rol)
        return Llamante(principal, emitir_token(sub=principal.id, username=username, rol=rol, version=1, ttl=900))

    return crear


@pytest.fixture(scope="module")
def qualitas(api: Any, personal: dict[Rol, Any]) -> Integrador:
    return _integrador(api, personal[Rol.ADMINISTRADOR], 1)


@pytest.fixture(scope="module")
def axa(api: Any, personal: dict[Rol, Any]) -> Integrador:
    return _integrador(api, personal[Rol.ADMINISTRADOR], 2, oauth=True)


def enviar(
    api: Any, quien: Integrador, cuerpo: str, *, firma: str | None = "auto", ruta: str = "/serviceOrders"
) -> requests.Response:
    cabeceras = {"Content-Type": "application/json; charset=utf-8", "X-Infopiezas-Topic": "serviceorder/created"}
    if firma == "auto":
        cabeceras[FIRMA] = quien.firma(cuerpo)
    elif firma is not None:
        cabeceras[FIRMA] = firma
    return api.request("POST", ruta, token=quien.token, data=cuerpo.encode("utf-8"), headers=cabeceras)


def cancelar(api: Any, quien: Integrador, sid: int, **cuerpo: Any) -> requests.Response:
    datos = {
        "serviceOrderId": sid,
        "requestId": 88412,
        "comments": "Se reasigna a otro taller",
        "cancelledByEmailAddress": "jose.nunez@infopiezas.com",
        "cancelledByDisplayName": "José Núñez",
        **cuerpo,
    }
    return enviar(api, quien, texto(datos), ruta=f"/serviceOrders/{sid}/cancel")


def ver(api: Any, staff: Any, sid: int) -> requests.Response:
    return api.request("GET", f"/api/ordenes-servicio/{sid}", token=staff.token)


def crear_expediente(api: Any, operador: Any, no: str) -> None:
    cuerpo = {
        "no_siniestro": no,
        "nombre_cliente": "Ana Peña Ibáñez",
        "telefono_cliente": "8095551234",
        "marca": "Toyota",
        "placas": "A123456",
        "tipo": "Corolla",
        "modelo": "2021",
        "fecha_ingreso": "2024-03-20",
        "fecha_entrega": "2024-04-05",
        "id_aseguradora": 1,
    }
    respuesta = api.request("POST", "/api/expedientes", token=operador.token, json=cuerpo)
    assert respuesta.status_code == 201, respuesta.text


def pasar_a(api: Any, operador: Any, no: str, estado: str) -> None:
    respuesta = api.request("PATCH", f"/api/expedientes/{no}/estado", token=operador.token, json={"estado": estado})
    assert respuesta.status_code == 200, respuesta.text


# ---- reception
def test_create_and_read_back_with_exact_decimals_and_nulls(
    api: Any, qualitas: Integrador, personal: dict[Rol, Any], siniestro: Callable[[], str]
) -> None:
    datos = orden(claim=siniestro())
    respuesta = enviar(api, qualitas, texto(datos))
    assert respuesta.status_code == 201, respuesta.text
    creado = respuesta.json()
    assert creado["serviceOrderId"] == datos["serviceOrderId"]
    assert creado["serviceOrderNumber"].startswith("OS-")

    leida = ver(api, personal[Rol.TECNICO], datos["serviceOrderId"])
    assert leida.status_code == 200
    assert '"subTotalAmount":1234567.8901' in leida.text
    assert '"differenceAmount":-0.01' in leida.text
    assert '"workshopServicePrice":4500.75' in leida.text
    cuerpo = leida.json(parse_float=Decimal)
    assert cuerpo["subTotalAmount"] == Decimal("1234567.8901")
    assert cuerpo["differenceAmount"] == Decimal("-0.01")
    assert cuerpo["claimId"] is None
    assert cuerpo["comments"] is None
    assert cuerpo["items"][0]["otherCosts"] is None
    assert cuerpo["items"][0]["itemActionId"] == -3
    assert cuerpo["createdByDisplayName"] == "María Peña"
    assert cuerpo["serviceOrderNumber"] == creado["serviceOrderNumber"]
    assert cuerpo["estado"] == "Recibida"
    assert "payload_gzip" not in cuerpo
    assert "client_id" not in cuerpo


def test_a_duplicate_answers_200_with_the_same_number(api: Any, qualitas: Integrador) -> None:
    cuerpo = texto(orden())
    primera = enviar(api, qualitas, cuerpo)
    segunda = enviar(api, qualitas, cuerpo)
    assert primera.status_code == 201
    assert segunda.status_code == 200
    assert segunda.json() == primera.json()


def test_six_concurrent_duplicates_store_one_order_with_one_number(
    api: Any, qualitas: Integrador, siniestro: Callable[[], str]
) -> None:
    datos = orden(claim=siniestro())
    cuerpo = texto(datos)
    with ThreadPoolExecutor(max_workers=6) as hilos:
        respuestas = list(hilos.map(lambda _: enviar(api, qualitas, cuerpo), range(6)))

    estados = sorted(r.status_code for r in respuestas)
    assert estados == [200, 200, 200, 200, 200, 201], [r.text for r in respuestas]
    numeros = {r.json()["serviceOrderNumber"] for r in respuestas}
    assert len(numeros) == 1
    numero = numeros.pop()
    guardada = orden_guardada(datos["serviceOrderId"])
    assert guardada is not None
    assert guardada["serviceOrderNumber"] == numero
    enlaces, _ = table.query(
        "PK = :pk AND begins_with(SK, :os)", {":pk": keys.expediente_pk(datos["insuranceClaimNumber"]), ":os": "OS#"}
    )
    assert [e["serviceOrderNumber"] for e in enlaces] == [numero]
    assert table.get(keys.numero_orden(numero), consistente=True) is not None


def test_same_id_with_another_guid_is_409(api: Any, qualitas: Integrador) -> None:
    datos = orden()
    assert enviar(api, qualitas, texto(datos)).status_code == 201
    choque = enviar(api, qualitas, texto({**datos, "serviceOrderGuid": str(uuid.uuid4())}))
    assert choque.status_code == 409
    assert choque.json() == {"error": "Ya existe una orden con ese serviceOrderId y otro serviceOrderGuid"}


def test_an_order_before_its_expediente_is_linked_once_the_expediente_exists(
    api: Any, qualitas: Integrador, personal: dict[Rol, Any], siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    datos = orden(claim=no)
    numero = enviar(api, qualitas, texto(datos)).json()["serviceOrderNumber"]

    crear_expediente(api, personal[Rol.OPERADOR], no)

    detalle = api.request("GET", f"/api/expedientes/{no}", token=personal[Rol.TECNICO].token)
    assert detalle.status_code == 200, detalle.text
    ordenes = detalle.json()["ordenes_servicio"]
    assert [(o["serviceOrderId"], o["serviceOrderNumber"], o["estado"]) for o in ordenes] == [
        (datos["serviceOrderId"], numero, "Recibida")
    ]
    por_siniestro = api.request(
        "GET", "/api/ordenes-servicio", token=personal[Rol.TECNICO].token, params={"no_siniestro": no}
    )
    assert [o["serviceOrderId"] for o in por_siniestro.json()["items"]] == [datos["serviceOrderId"]]


# ---- cancellation
def test_cancel_before_repair_is_true_and_twice_is_still_true(
    api: Any, qualitas: Integrador, personal: dict[Rol, Any], siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    crear_expediente(api, personal[Rol.OPERADOR], no)
    sid = enviar(api, qualitas, texto(orden(claim=no))).json()["serviceOrderId"]

    primera = cancelar(api, qualitas, sid)
    segunda = cancelar(api, qualitas, sid)

    assert (primera.status_code, primera.json()) == (200, CANCELADA)
    assert (segunda.status_code, segunda.json()) == (200, CANCELADA)
    leida = ver(api, personal[Rol.OPERADOR], sid).json()
    assert leida["estado"] == "Cancelada"
    assert leida["cancelacion"]["cancelado_por_nombre"] == "José Núñez"
    assert leida["cancelacion"]["comentarios"] == "Se reasigna a otro taller"
    detalle = api.request("GET", f"/api/expedientes/{no}", token=personal[Rol.TECNICO].token).json()
    assert [o["estado"] for o in detalle["ordenes_servicio"]] == ["Cancelada"]


def test_cancel_after_restauracion_is_refused_with_a_text_and_the_order_is_unchanged(
    api: Any, qualitas: Integrador, personal: dict[Rol, Any], siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    crear_expediente(api, personal[Rol.OPERADOR], no)
    sid = enviar(api, qualitas, texto(orden(claim=no))).json()["serviceOrderId"]
    pasar_a(api, personal[Rol.OPERADOR], no, "Restauracion")
    antes = ver(api, personal[Rol.OPERADOR], sid).json()

    respuesta = cancelar(api, qualitas, sid)

    assert respuesta.status_code == 200
    assert respuesta.json() == {
        "isCancelled": False,
        "showResponseText": True,
        "responseText": "No se puede cancelar: la reparación del vehículo ya está en curso",
    }
    assert ver(api, personal[Rol.OPERADOR], sid).json() == antes


def test_cancel_of_an_unknown_order_is_404(api: Any, qualitas: Integrador) -> None:
    respuesta = cancelar(api, qualitas, nuevo_id())
    assert respuesta.status_code == 404
    assert respuesta.json() == {
        "isCancelled": False,
        "showResponseText": True,
        "responseText": "La orden de mano de obra no existe",
    }


def test_another_insurers_client_gets_404_and_cannot_cancel(
    api: Any, qualitas: Integrador, axa: Integrador, personal: dict[Rol, Any]
) -> None:
    sid = enviar(api, qualitas, texto(orden())).json()["serviceOrderId"]
    respuesta = cancelar(api, axa, sid)
    assert respuesta.status_code == 404
    assert respuesta.json()["isCancelled"] is False
    assert ver(api, personal[Rol.OPERADOR], sid).json()["estado"] == "Recibida"


# ---- roles and signatures
def test_a_staff_token_on_the_webhooks_is_403(api: Any, personal: dict[Rol, Any]) -> None:
    for staff in personal.values():
        for ruta in ("/serviceOrders", "/serviceOrders/1/cancel"):
            respuesta = api.request("POST", ruta, token=staff.token, json={"serviceOrderId": 1})
            assert respuesta.status_code == 403
            assert respuesta.json() == {"error": "Acceso restringido a integraciones de aseguradoras"}


def test_without_a_token_is_401(api: Any) -> None:
    respuesta = api.request("POST", "/serviceOrders", data=texto(orden()).encode())
    assert respuesta.status_code == 401
    assert respuesta.json() == {"error": "Token requerido"}


@pytest.mark.parametrize(
    ("forma", "esperado"),
    [
        ("sin-firma", 401),
        ("incorrecta", 401),
        ("de-otro-cuerpo", 401),
        ("hex-minusculas", 201),
        ("hex-mayusculas", 201),
        ("ascii-sustituido", 201),
        ("ascii-sustituido-mayusculas", 201),
    ],
)
def test_signature_forms(api: Any, qualitas: Integrador, forma: str, esperado: int) -> None:
    datos = orden()
    cuerpo = texto(datos)
    assert "Peña" in cuerpo
    firmas = {
        "sin-firma": None,
        "incorrecta": "ab" * 32,
        "de-otro-cuerpo": qualitas.firma(texto({**datos, "deliveryDays": 8})),
        "hex-minusculas": qualitas.firma(cuerpo).lower(),
        "hex-mayusculas": qualitas.firma(cuerpo).upper(),
        "ascii-sustituido": qualitas.firma(cuerpo, ascii_=True),
        "ascii-sustituido-mayusculas": qualitas.firma(cuerpo, ascii_=True).upper(),
    }
    respuesta = enviar(api, qualitas, cuerpo, firma=firmas[forma])
    assert respuesta.status_code == esperado, respuesta.text
    if esperado == 401:
        assert respuesta.json() == {"error": "Firma inválida"}
        assert orden_guardada(datos["serviceOrderId"]) is None
    else:
        assert orden_guardada(datos["serviceOrderId"]) is not None


# ---- validation
def test_malformed_json_is_400_and_nothing_is_stored(api: Any, qualitas: Integrador) -> None:
    sid = nuevo_id()
    respuesta = enviar(api, qualitas, f'{{"serviceOrderId": {sid}, "items": [')
    assert respuesta.status_code == 400
    assert respuesta.json()["error"] == "El cuerpo no es JSON válido"
    assert orden_guardada(sid) is None


INVALIDOS = [
    ("serviceOrderId", "abc"),
    ("serviceOrderGuid", "no-es-guid"),
    ("requestId", None),
    ("claimId", "7"),
    ("insuranceClaimNumber", " "),
    ("deliveryDays", -1),
    ("createdOnUtcDate", "31/12/2024"),
    ("createdByEmailAddress", "x" * 501),
    ("createdByDisplayName", 5),
    ("workshopPersonTaxId", ["131"]),
    ("workshopPersonName", {"nombre": "Peña"}),
    ("subTotalAmount", "100.00"),
    ("differenceAmount", Decimal("0.00001")),
    ("deductibleAmount", Decimal("-1")),
    ("taxTotalAmount", True),
    ("comments", "x" * 4001),
    ("items", "ninguno"),
]


@pytest.mark.parametrize(("campo", "valor"), INVALIDOS, ids=[c for c, _ in INVALIDOS])
def test_each_invalid_field_is_400_and_nothing_is_stored(
    api: Any, qualitas: Integrador, campo: str, valor: Any
) -> None:
    sid = nuevo_id()
    datos = orden(sid, **{campo: valor})
    respuesta = enviar(api, qualitas, texto(datos))
    assert respuesta.status_code == 400, respuesta.text
    assert campo in [d["campo"] for d in respuesta.json()["detalles"]]
    assert orden_guardada(sid) is None


@pytest.mark.parametrize(
    ("campo", "valor"),
    [("itemName", None), ("itemQuantity", "1"), ("itemActionId", 40000), ("workshopServicePrice", Decimal("-5"))],
)
def test_each_invalid_item_field_is_400_and_nothing_is_stored(
    api: Any, qualitas: Integrador, campo: str, valor: Any
) -> None:
    sid = nuevo_id()
    datos = orden(sid)
    datos["items"][0][campo] = valor
    respuesta = enviar(api, qualitas, texto(datos))
    assert respuesta.status_code == 400, respuesta.text
    assert f"items.0.{campo}" in [d["campo"] for d in respuesta.json()["detalles"]]
    assert orden_guardada(sid) is None
