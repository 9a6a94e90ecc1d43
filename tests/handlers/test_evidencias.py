"""Evidence endpoints through their handlers against moto (DynamoDB and S3)."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import pytest
import requests

from monitor.core import dates, keys, storage, table
from monitor.core.settings import settings
from monitor.evidencias import servicio as evidencias
from monitor.evidencias.modelos import EvidenciaNueva
from monitor.usuarios.campos import Rol
from tools import funciones

Invocar = Callable[..., dict[str, Any]]
RUTA = "/api/expedientes/{no_siniestro}/evidencias"
RUTA_UNA = "/api/expedientes/{no_siniestro}/evidencias/{id}"
RUTA_CONFIRMAR = "/api/expedientes/{no_siniestro}/evidencias/{id}/confirmar"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class Integracion:
    """An insurer's machine client, as the authorizer describes it."""

    autorizador: ClassVar[dict[str, Any]] = {
        "principalId": "cli-1",
        "username": "cli-1",
        "rol": Rol.INTEGRACION.value,
        "id_aseguradora": 1,
    }


@pytest.fixture
def expediente(siniestro: Callable[[], str]) -> Callable[[], str]:
    """Writes the expediente's meta item directly: these tests must not depend on the expedientes code."""

    def crear() -> str:
        no = siniestro()
        table.put({**keys.expediente(no), "no_siniestro": no, "estado": "Ingreso"})
        return no

    return crear


@pytest.fixture
def s3() -> Any:
    return storage.cliente()


@pytest.fixture
def sin_s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """S3 unreachable (connection refused) for the functions, DynamoDB still up."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9")
    storage.cliente.cache_clear()
    yield
    monkeypatch.delenv("AWS_ENDPOINT_URL_S3")
    storage.cliente.cache_clear()


def _pedir(invocar: Invocar, llamante: Any, no: str, **cambios: Any) -> dict[str, Any]:
    cuerpo = {"tipo": "fotografia", "nombre_archivo": "frente.png", "content_type": "image/png", "tamano": len(PNG)}
    return invocar(
        "evidencias_create", "POST", RUTA, llamante=llamante, ruta_params={"no_siniestro": no}, cuerpo=cuerpo | cambios
    )


def _confirmar(invocar: Invocar, llamante: Any, no: str, id_evidencia: str) -> dict[str, Any]:
    return invocar(
        "evidencias_confirm",
        "POST",
        RUTA_CONFIRMAR,
        llamante=llamante,
        ruta_params={"no_siniestro": no, "id": id_evidencia},
    )


def _listar(invocar: Invocar, llamante: Any, no: str, **query: str) -> dict[str, Any]:
    return invocar("evidencias_list", "GET", RUTA, llamante=llamante, ruta_params={"no_siniestro": no}, query=query)


def _borrar(invocar: Invocar, llamante: Any, no: str, id_evidencia: str) -> dict[str, Any]:
    return invocar(
        "evidencias_delete", "DELETE", RUTA_UNA, llamante=llamante, ruta_params={"no_siniestro": no, "id": id_evidencia}
    )


def _item(no: str, id_evidencia: str) -> dict[str, Any] | None:
    return table.get(keys.evidencia(no, id_evidencia), consistente=True)


def _subir(s3: Any, no: str, id_evidencia: str, cuerpo: bytes = PNG, content_type: str = "image/png") -> str:
    clave = str(_item(no, id_evidencia)["s3_key"])  # type: ignore[index]
    s3.put_object(Bucket=settings().bucket, Key=clave, Body=cuerpo, ContentType=content_type)
    return clave


def _existe(s3: Any, clave: str) -> bool:
    versiones = s3.list_object_versions(Bucket=settings().bucket, Prefix=clave)
    return any(v["Key"] == clave for v in [*versiones.get("Versions", []), *versiones.get("DeleteMarkers", [])])


def _evidencias_en_tabla(no: str) -> list[dict[str, Any]]:
    return table.query_todo("PK = :pk AND begins_with(SK, :evi)", {":pk": keys.expediente_pk(no), ":evi": "EVI#"})


def _subida(invocar: Invocar, llamante: Any, s3: Any, no: str, **cambios: Any) -> str:
    id_evidencia = str(_pedir(invocar, llamante, no, **cambios)["json"]["id"])
    _subir(s3, no, id_evidencia)
    assert _confirmar(invocar, llamante, no, id_evidencia)["statusCode"] == 200
    return id_evidencia


# ---------------------------------------------------------------- POST …/evidencias
def test_operator_gets_a_presigned_form_pinned_to_key_type_and_size(
    invocar: Invocar, operador: Any, expediente: Callable[[], str], dynamo_requests: Any
) -> None:
    no = expediente()
    dynamo_requests.reiniciar()

    respuesta = _pedir(invocar, operador, no, nombre_archivo="C:\\fotos\\Fotografía frontal.PNG")

    assert respuesta["statusCode"] == 201
    cuerpo = respuesta["json"]
    assert cuerpo["estado"] == "Pendiente"
    assert cuerpo["tipo"] == "fotografia"
    assert cuerpo["nombre_archivo"] == "Fotografia-frontal.PNG"
    assert cuerpo["solicitado_por"] == operador.principal.id_usuario
    assert not {"s3_key", "PK", "SK"} & cuerpo.keys()
    solicitado = datetime.fromisoformat(cuerpo["solicitado_en"].replace("Z", "+00:00"))
    assert cuerpo["expira_en"] == dates.iso(solicitado + timedelta(minutes=15))
    clave = f"expedientes/{no}/fotografia/{cuerpo['id']}-Fotografia-frontal.PNG"
    campos = cuerpo["upload"]["fields"]
    assert campos["key"] == clave
    assert campos["Content-Type"] == "image/png"
    assert cuerpo["upload"]["url"].endswith(f"/{settings().bucket}")
    politica = json.loads(base64.b64decode(campos["policy"]))
    assert {"key": clave} in politica["conditions"]
    assert {"Content-Type": "image/png"} in politica["conditions"]
    assert ["content-length-range", 1, 26_214_400] in politica["conditions"]
    expira = datetime.fromisoformat(politica["expiration"].replace("Z", "+00:00"))
    assert timedelta(minutes=14) < expira - datetime.now(UTC) <= timedelta(minutes=15, seconds=5)
    assert dynamo_requests.llamadas == {"TransactWriteItems": 1}
    assert _item(no, cuerpo["id"])["s3_key"] == clave  # type: ignore[index]


def test_documents_may_be_pdf(invocar: Invocar, admin: Any, expediente: Callable[[], str]) -> None:
    no = expediente()

    respuesta = _pedir(
        invocar, admin, no, tipo="documento", nombre_archivo="finiquito.pdf", content_type="application/pdf"
    )

    assert respuesta["statusCode"] == 201
    assert respuesta["json"]["upload"]["fields"]["key"].startswith(f"expedientes/{no}/documento/")


@pytest.mark.parametrize(
    ("cambios", "campo"),
    [
        ({"content_type": "text/html"}, "content_type"),
        ({"content_type": "application/pdf"}, "content_type"),  # a photo cannot be a PDF
        ({"tamano": 26_214_401}, "tamano"),
        ({"tamano": 0}, "tamano"),
        ({"tamano": "100"}, "tamano"),
        ({"tipo": "video"}, "tipo"),
        ({"nombre_archivo": ""}, "nombre_archivo"),
        ({"s3_key": "expedientes/otro/x.png"}, "s3_key"),
    ],
)
def test_bad_requests_are_400_with_details_and_write_nothing(
    invocar: Invocar, operador: Any, expediente: Callable[[], str], cambios: dict[str, Any], campo: str
) -> None:
    no = expediente()

    respuesta = _pedir(invocar, operador, no, **cambios)

    assert respuesta["statusCode"] == 400
    assert respuesta["json"]["error"] == "Datos inválidos"
    assert campo in [d["campo"] for d in respuesta["json"]["detalles"]]
    assert _evidencias_en_tabla(no) == []


def test_size_over_the_cap_says_so(invocar: Invocar, operador: Any, expediente: Callable[[], str]) -> None:
    respuesta = _pedir(invocar, operador, expediente(), tamano=30 * 1024 * 1024)

    assert respuesta["json"]["detalles"] == [{"campo": "tamano", "mensaje": "El archivo excede el máximo de 25 MB"}]


def test_missing_fields_are_named(invocar: Invocar, operador: Any, expediente: Callable[[], str]) -> None:
    respuesta = invocar(
        "evidencias_create", "POST", RUTA, llamante=operador, ruta_params={"no_siniestro": expediente()}, cuerpo={}
    )

    assert respuesta["statusCode"] == 400
    assert respuesta["json"]["error"] == "Faltan campos obligatorios: tipo, nombre_archivo, content_type, tamano"


def test_unknown_expediente_is_404_and_nothing_is_written(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()

    respuesta = _pedir(invocar, operador, no)

    assert respuesta["statusCode"] == 404
    assert respuesta["json"] == {"error": "Expediente no encontrado"}
    assert _evidencias_en_tabla(no) == []


def test_invalid_claim_number_is_400(invocar: Invocar, operador: Any) -> None:
    respuesta = _pedir(invocar, operador, "S" * 65)

    assert respuesta["statusCode"] == 400
    assert respuesta["json"]["error"] == "No. Siniestro inválido"


def test_technician_cannot_request_uploads_whatever_the_body(
    invocar: Invocar, tecnico: Any, expediente: Callable[[], str]
) -> None:
    no = expediente()

    respuesta = _pedir(invocar, tecnico, no, content_type="text/html")

    assert respuesta["statusCode"] == 403
    assert respuesta["json"] == {"error": "Acceso restringido a administradores y operadores"}
    assert _evidencias_en_tabla(no) == []


def test_integration_clients_cannot_touch_evidence(invocar: Invocar, expediente: Callable[[], str]) -> None:
    no = expediente()

    for respuesta in (_pedir(invocar, Integracion(), no), _listar(invocar, Integracion(), no)):
        assert respuesta["statusCode"] == 403
        assert respuesta["json"] == {"error": "Acceso restringido a usuarios del taller"}


def test_without_a_token_it_is_401(invocar: Invocar, expediente: Callable[[], str]) -> None:
    assert _pedir(invocar, None, expediente())["json"] == {"error": "Token requerido"}


# ---------------------------------------------------------------- POST …/confirmar
def test_confirm_records_the_real_size_who_and_when(
    invocar: Invocar, operador: Any, admin: Any, expediente: Callable[[], str], s3: Any
) -> None:
    no = expediente()
    id_evidencia = _pedir(invocar, operador, no, tamano=5000)["json"]["id"]
    _subir(s3, no, id_evidencia)

    respuesta = _confirmar(invocar, admin, no, id_evidencia)

    assert respuesta["statusCode"] == 200
    cuerpo = respuesta["json"]
    assert cuerpo["estado"] == "Subida"
    assert cuerpo["tamano"] == 5000  # as declared…
    assert cuerpo["tamano_real"] == len(PNG)  # …and as uploaded
    assert cuerpo["subido_por"] == admin.principal.id_usuario
    assert cuerpo["solicitado_por"] == operador.principal.id_usuario
    assert cuerpo["fecha_carga"].endswith("Z")
    guardado = _item(no, id_evidencia)
    assert guardado is not None
    assert guardado["estado"] == "Subida"
    assert guardado["tamano_real"] == len(PNG)


def test_confirming_twice_answers_the_same_evidence(
    invocar: Invocar, operador: Any, expediente: Callable[[], str], s3: Any
) -> None:
    no = expediente()
    id_evidencia = _pedir(invocar, operador, no)["json"]["id"]
    _subir(s3, no, id_evidencia)
    primera = _confirmar(invocar, operador, no, id_evidencia)

    segunda = _confirmar(invocar, operador, no, id_evidencia)

    assert segunda["statusCode"] == 200
    assert segunda["json"] == primera["json"]


def test_concurrent_confirmations_agree(operador: Any, expediente: Callable[[], str], s3: Any) -> None:
    no = expediente()
    solicitud = EvidenciaNueva(tipo="fotografia", nombre_archivo="a.png", content_type="image/png", tamano=len(PNG))
    id_evidencia = evidencias.solicitar(no, solicitud, operador.principal.id_usuario)["id"]
    _subir(s3, no, id_evidencia)
    resultados: list[dict[str, Any]] = []
    errores: list[BaseException] = []

    def confirmar(usuario: int) -> None:
        try:
            resultados.append(evidencias.confirmar(no, id_evidencia, usuario))
        except BaseException as exc:  # pragma: no cover - reported below
            errores.append(exc)

    hilos = [threading.Thread(target=confirmar, args=(u,)) for u in (101, 102, 103)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()

    assert errores == []
    assert len({json.dumps(r, sort_keys=True) for r in resultados}) == 1
    assert resultados[0]["subido_por"] in (101, 102, 103)


def test_confirm_before_upload_is_409(invocar: Invocar, operador: Any, expediente: Callable[[], str]) -> None:
    no = expediente()
    id_evidencia = _pedir(invocar, operador, no)["json"]["id"]

    respuesta = _confirmar(invocar, operador, no, id_evidencia)

    assert respuesta["statusCode"] == 409
    assert respuesta["json"] == {"error": "El archivo aún no se ha subido"}
    assert _item(no, id_evidencia)["estado"] == "Pendiente"  # type: ignore[index]


def test_an_object_of_another_type_is_deleted_and_refused(
    invocar: Invocar, operador: Any, expediente: Callable[[], str], s3: Any
) -> None:
    no = expediente()
    id_evidencia = _pedir(invocar, operador, no)["json"]["id"]
    clave = _subir(s3, no, id_evidencia, b"<html>hola</html>", "text/html")

    respuesta = _confirmar(invocar, operador, no, id_evidencia)

    assert respuesta["statusCode"] == 400
    assert "text/html" in respuesta["json"]["error"]
    assert "image/png" in respuesta["json"]["error"]
    assert "se eliminó" in respuesta["json"]["error"]
    assert not _existe(s3, clave)
    assert _item(no, id_evidencia)["estado"] == "Pendiente"  # type: ignore[index]


def test_an_object_whose_bytes_are_not_the_declared_type_is_deleted_and_refused(
    invocar: Invocar, operador: Any, expediente: Callable[[], str], s3: Any
) -> None:
    # The POST policy pins the Content-Type header, not the bytes: an HTML page sent as image/png.
    no = expediente()
    id_evidencia = _pedir(invocar, operador, no)["json"]["id"]
    clave = _subir(s3, no, id_evidencia, b"<html><script>alert(1)</script></html>", "image/png")

    respuesta = _confirmar(invocar, operador, no, id_evidencia)

    assert respuesta["statusCode"] == 400
    assert respuesta["json"] == {
        "error": "El contenido del archivo no corresponde a image/png; el archivo se eliminó, vuelva a subirlo"
    }
    assert not _existe(s3, clave)


def test_an_object_over_the_cap_is_deleted_and_refused(
    invocar: Invocar, operador: Any, expediente: Callable[[], str], s3: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A smaller cap keeps the test light; the e2e test uploads a real 25 MB + 1 byte object.
    monkeypatch.setattr(evidencias, "TAMANO_MAXIMO", 1000)
    no = expediente()
    id_evidencia = _pedir(invocar, operador, no, tamano=900)["json"]["id"]
    clave = _subir(s3, no, id_evidencia, b"x" * 1001)

    respuesta = _confirmar(invocar, operador, no, id_evidencia)

    assert respuesta["statusCode"] == 400
    assert respuesta["json"] == {
        "error": "El archivo excede el máximo de 25 MB; el archivo se eliminó, vuelva a subirlo"
    }
    assert not _existe(s3, clave)


def test_after_a_refusal_a_correct_upload_can_still_be_confirmed(
    invocar: Invocar, operador: Any, expediente: Callable[[], str], s3: Any
) -> None:
    no = expediente()
    id_evidencia = _pedir(invocar, operador, no)["json"]["id"]
    _subir(s3, no, id_evidencia, b"texto", "text/plain")
    assert _confirmar(invocar, operador, no, id_evidencia)["statusCode"] == 400

    _subir(s3, no, id_evidencia)
    respuesta = _confirmar(invocar, operador, no, id_evidencia)

    assert respuesta["statusCode"] == 200
    assert respuesta["json"]["estado"] == "Subida"


@pytest.mark.parametrize("id_evidencia", ["0190000000000000000000", "..%2F..", "a" * 65])
def test_unknown_evidence_is_404(
    invocar: Invocar, operador: Any, expediente: Callable[[], str], id_evidencia: str
) -> None:
    respuesta = _confirmar(invocar, operador, expediente(), id_evidencia)

    assert respuesta["statusCode"] == 404
    assert respuesta["json"] == {"error": "Evidencia no encontrada"}


def test_evidence_is_not_reachable_through_another_expediente(
    invocar: Invocar, operador: Any, admin: Any, expediente: Callable[[], str], s3: Any
) -> None:
    propio, ajeno = expediente(), expediente()
    id_evidencia = _pedir(invocar, operador, propio)["json"]["id"]
    _subir(s3, propio, id_evidencia)

    assert _confirmar(invocar, operador, ajeno, id_evidencia)["statusCode"] == 404
    assert _borrar(invocar, admin, ajeno, id_evidencia)["statusCode"] == 404
    assert _item(propio, id_evidencia) is not None


def test_technician_cannot_confirm(
    invocar: Invocar, operador: Any, tecnico: Any, expediente: Callable[[], str]
) -> None:
    no = expediente()
    id_evidencia = _pedir(invocar, operador, no)["json"]["id"]

    respuesta = _confirmar(invocar, tecnico, no, id_evidencia)

    assert respuesta["statusCode"] == 403
    assert respuesta["json"] == {"error": "Acceso restringido a administradores y operadores"}


def test_s3_unreachable_on_confirm_is_503_and_nothing_changes(
    invocar: Invocar, operador: Any, expediente: Callable[[], str], s3: Any, sin_s3: None
) -> None:
    no = expediente()
    id_evidencia = _pedir(invocar, operador, no)["json"]["id"]
    _subir(s3, no, id_evidencia)

    respuesta = _confirmar(invocar, operador, no, id_evidencia)

    assert respuesta["statusCode"] == 503
    assert respuesta["json"] == {"error": "Servicio no disponible temporalmente, intente de nuevo"}
    assert "Retry-After" in respuesta["headers"]
    assert _item(no, id_evidencia)["estado"] == "Pendiente"  # type: ignore[index]


def test_s3_throttling_is_503(
    invocar: Invocar, operador: Any, expediente: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from botocore.exceptions import ClientError

    no = expediente()
    id_evidencia = _pedir(invocar, operador, no)["json"]["id"]

    class S3Lento:
        def head_object(self, **_: Any) -> None:
            raise ClientError({"Error": {"Code": "SlowDown", "Message": "Reduce your request rate."}}, "HeadObject")

    monkeypatch.setattr(storage, "cliente", S3Lento)

    respuesta = _confirmar(invocar, operador, no, id_evidencia)

    assert respuesta["statusCode"] == 503


# ---------------------------------------------------------------- GET …/evidencias
def test_empty_list_costs_one_query(
    invocar: Invocar, tecnico: Any, expediente: Callable[[], str], dynamo_requests: Any
) -> None:
    no = expediente()
    dynamo_requests.reiniciar()

    respuesta = _listar(invocar, tecnico, no)

    assert respuesta["statusCode"] == 200
    assert respuesta["json"] == {"items": [], "next_cursor": None}
    assert dynamo_requests.llamadas == {"Query": 1}


def test_list_of_unknown_expediente_is_404(invocar: Invocar, tecnico: Any, siniestro: Callable[[], str]) -> None:
    respuesta = _listar(invocar, tecnico, siniestro())

    assert respuesta["statusCode"] == 404
    assert respuesta["json"] == {"error": "Expediente no encontrado"}


def test_list_is_newest_first_with_download_urls_only_for_uploads(
    invocar: Invocar, operador: Any, tecnico: Any, expediente: Callable[[], str], s3: Any
) -> None:
    no = expediente()
    subida = _subida(invocar, operador, s3, no)
    pendiente = _pedir(invocar, operador, no, tipo="documento", content_type="application/pdf")["json"]["id"]

    respuesta = _listar(invocar, tecnico, no)

    assert respuesta["statusCode"] == 200
    items = respuesta["json"]["items"]
    assert [i["id"] for i in items] == [pendiente, subida]
    assert items[0]["estado"] == "Pendiente"
    assert "url" not in items[0]
    assert items[1]["estado"] == "Subida"
    descarga = requests.get(items[1]["url"], timeout=10)
    assert descarga.status_code == 200
    assert descarga.content == PNG
    assert items[1]["url_expira_en"] > items[1]["fecha_carga"]
    for item in items:
        assert not {"PK", "SK", "s3_key", "tipo_evidencia"} & item.keys()


def test_pending_uploads_past_their_expiry_are_listed_as_expired(
    invocar: Invocar, operador: Any, expediente: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    no = expediente()
    id_evidencia = _pedir(invocar, operador, no)["json"]["id"]
    despues = datetime.now(UTC) + timedelta(minutes=16)
    monkeypatch.setattr(dates, "reloj", lambda: despues)

    item = _listar(invocar, operador, no)["json"]["items"][0]

    assert item["id"] == id_evidencia
    assert item["estado"] == "Expirada"
    assert "url" not in item


def test_pages_walk_every_evidence_once_with_one_query_each(
    invocar: Invocar, operador: Any, expediente: Callable[[], str], dynamo_requests: Any
) -> None:
    no = expediente()
    creadas = [_pedir(invocar, operador, no)["json"]["id"] for _ in range(5)]
    vistos: list[str] = []
    cursor: str | None = None
    paginas = 0
    dynamo_requests.reiniciar()

    while True:
        query = {"limit": "2"} | ({"cursor": cursor} if cursor else {})
        cuerpo = _listar(invocar, operador, no, **query)["json"]
        paginas += 1
        assert len(cuerpo["items"]) <= 2
        vistos += [i["id"] for i in cuerpo["items"]]
        cursor = cuerpo["next_cursor"]
        if cursor is None:
            break

    assert vistos == list(reversed(creadas))
    assert dynamo_requests.llamadas == {"Query": paginas}


def test_a_cursor_from_another_expediente_is_refused(
    invocar: Invocar, operador: Any, expediente: Callable[[], str]
) -> None:
    propio, ajeno = expediente(), expediente()
    for _ in range(2):
        _pedir(invocar, operador, propio)
    cursor = _listar(invocar, operador, propio, limit="1")["json"]["next_cursor"]
    assert cursor

    respuesta = _listar(invocar, operador, ajeno, cursor=cursor)

    assert respuesta["statusCode"] == 400
    assert respuesta["json"]["error"] == "Cursor inválido"


def test_lists_never_mix_expedientes(invocar: Invocar, operador: Any, expediente: Callable[[], str]) -> None:
    uno, otro = expediente(), expediente()
    del_uno = _pedir(invocar, operador, uno)["json"]["id"]
    del_otro = _pedir(invocar, operador, otro)["json"]["id"]

    assert [i["id"] for i in _listar(invocar, operador, uno)["json"]["items"]] == [del_uno]
    assert [i["id"] for i in _listar(invocar, operador, otro)["json"]["items"]] == [del_otro]


@pytest.mark.parametrize("limite", ["0", "101", "x"])
def test_bad_limit_is_400(invocar: Invocar, operador: Any, expediente: Callable[[], str], limite: str) -> None:
    respuesta = _listar(invocar, operador, expediente(), limit=limite)

    assert respuesta["statusCode"] == 400
    assert respuesta["json"]["detalles"][0]["campo"] == "limit"


# ---------------------------------------------------------------- DELETE …/evidencias/{id}
def test_admin_deletes_the_object_every_version_and_the_item(
    invocar: Invocar, admin: Any, operador: Any, expediente: Callable[[], str], s3: Any
) -> None:
    no = expediente()
    id_evidencia = _subida(invocar, operador, s3, no)
    clave = _subir(s3, no, id_evidencia)  # a second version in the versioned bucket

    respuesta = _borrar(invocar, admin, no, id_evidencia)

    assert respuesta["statusCode"] == 200
    assert respuesta["json"] == {"eliminado": id_evidencia}
    assert not _existe(s3, clave)
    assert _item(no, id_evidencia) is None
    assert _listar(invocar, admin, no)["json"]["items"] == []
    assert _borrar(invocar, admin, no, id_evidencia)["statusCode"] == 404


def test_a_pending_evidence_without_object_can_be_deleted(
    invocar: Invocar, admin: Any, expediente: Callable[[], str]
) -> None:
    no = expediente()
    id_evidencia = _pedir(invocar, admin, no)["json"]["id"]

    assert _borrar(invocar, admin, no, id_evidencia)["statusCode"] == 200
    assert _item(no, id_evidencia) is None


def test_delete_of_missing_evidence_is_404(invocar: Invocar, admin: Any, expediente: Callable[[], str]) -> None:
    respuesta = _borrar(invocar, admin, expediente(), "0190000000000000000000")

    assert respuesta["statusCode"] == 404
    assert respuesta["json"] == {"error": "Evidencia no encontrada"}


@pytest.mark.parametrize("rol", [Rol.OPERADOR, Rol.TECNICO])
def test_only_administrators_delete(
    invocar: Invocar, crear_usuario: Callable[..., Any], admin: Any, expediente: Callable[[], str], rol: Rol
) -> None:
    no = expediente()
    id_evidencia = _pedir(invocar, admin, no)["json"]["id"]

    respuesta = _borrar(invocar, crear_usuario(rol), no, id_evidencia)

    assert respuesta["statusCode"] == 403
    assert respuesta["json"] == {"error": "Acceso restringido a administradores"}
    assert _item(no, id_evidencia) is not None


def test_s3_unreachable_on_delete_is_503_and_the_item_stays(
    invocar: Invocar, admin: Any, expediente: Callable[[], str], s3: Any, sin_s3: None
) -> None:
    no = expediente()
    id_evidencia = _pedir(invocar, admin, no)["json"]["id"]

    respuesta = _borrar(invocar, admin, no, id_evidencia)

    assert respuesta["statusCode"] == 503
    assert _item(no, id_evidencia) is not None


# ---------------------------------------------------------------- the expediente's prefix, emptied
def test_deleting_an_expedientes_evidence_removes_every_object_version_and_nothing_else(
    invocar: Invocar, operador: Any, expediente: Callable[[], str], s3: Any
) -> None:
    no = expediente()
    vecino = no + "0"  # shares the text prefix, not the key prefix
    table.put({**keys.expediente(vecino), "no_siniestro": vecino, "estado": "Ingreso"})
    claves = [_subir(s3, no, _pedir(invocar, operador, no)["json"]["id"]) for _ in range(3)]
    _subir(s3, no, claves[0].rsplit("/", 1)[1].split("-", 1)[0])  # second version of the first object
    s3.delete_object(Bucket=settings().bucket, Key=claves[1])  # a delete marker too
    ajena = _subir(s3, vecino, _pedir(invocar, operador, vecino)["json"]["id"])

    borrados = storage.borrar_prefijo(keys.prefijo_expediente_s3(no))

    assert borrados == 5  # 3 objects, an older version of the first, the second's delete marker
    assert not any(_existe(s3, c) for c in claves)
    listado = s3.list_object_versions(Bucket=settings().bucket, Prefix=f"expedientes/{no}/")
    assert listado.get("Versions", []) == []
    assert listado.get("DeleteMarkers", []) == []
    assert _existe(s3, ajena)


def test_deleting_the_evidence_of_an_expediente_without_objects_is_a_no_op(siniestro: Callable[[], str]) -> None:
    assert storage.borrar_prefijo(keys.prefijo_expediente_s3(siniestro())) == 0


# ---------------------------------------------------------------- events/ examples (sam local invoke -e)
@pytest.mark.parametrize(
    ("funcion", "status", "error"),
    [
        ("evidencias_create", 201, None),
        ("evidencias_list", 200, None),
        ("evidencias_confirm", 404, "Evidencia no encontrada"),
        ("evidencias_delete", 404, "Evidencia no encontrada"),
    ],
)
def test_event_examples_reach_the_handlers(
    expediente: Callable[[], str], funcion: str, status: int, error: str | None
) -> None:
    evento = json.loads((funciones.RAIZ / "events" / f"{funcion}.json").read_text(encoding="utf-8"))
    no = expediente()
    anterior = evento["pathParameters"]["no_siniestro"]
    evento["pathParameters"]["no_siniestro"] = no
    evento["path"] = evento["path"].replace(anterior, no)

    respuesta = funciones.invocar(funciones.cargar(funcion), evento, funcion)

    assert respuesta["statusCode"] == status, respuesta["body"]
    if error:
        assert json.loads(respuesta["body"]) == {"error": error}
