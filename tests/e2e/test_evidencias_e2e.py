"""Evidence over HTTP through the local gateway (authorizer included) with moto's S3 server:
the file goes from the client straight to S3 through the presigned form, never through the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests

from monitor.core import storage
from monitor.core.settings import settings
from monitor.evidencias import servicio as evidencias
from monitor.usuarios.campos import Rol

pytestmark = pytest.mark.e2e

# A real 1x1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e221bc330000000049454e44ae426082"
)


def _crear_expediente(api: Any, llamante: Any, no: str) -> None:
    cuerpo = {
        "no_siniestro": no,
        "nombre_cliente": "María Peña",
        "telefono_cliente": "5512345678",
        "marca": "Nissan",
        "placas": "ABC-123",
        "tipo": "Sentra",
        "modelo": "2020",
        "fecha_ingreso": "2025-03-01",
        "fecha_entrega": "2025-03-20",
    }
    respuesta = api.request("POST", "/api/expedientes", token=llamante.token, json=cuerpo)
    assert respuesta.status_code == 201, respuesta.text


def _ruta(no: str, *resto: str) -> str:
    return "/".join([f"/api/expedientes/{no}/evidencias", *resto])


def _pedir(api: Any, llamante: Any, no: str, **cambios: Any) -> requests.Response:
    cuerpo = {"tipo": "fotografia", "nombre_archivo": "Fotografía frontal.png", "content_type": "image/png"}
    return api.request("POST", _ruta(no), token=llamante.token, json=cuerpo | {"tamano": len(PNG)} | cambios)


def _subir_por_formulario(carga: dict[str, Any], contenido: bytes, nombre: str = "foto.png") -> requests.Response:
    return requests.post(
        carga["upload"]["url"],
        data=carga["upload"]["fields"],
        files={"file": (nombre, contenido, carga["upload"]["fields"]["Content-Type"])},
        timeout=30,
    )


def _existe(clave: str) -> bool:
    return storage.cabecera(clave) is not None


@pytest.fixture
def s3() -> Any:
    return storage.cliente()


def test_upload_confirm_list_download_and_delete(
    api: Any, crear_usuario: Callable[..., Any], siniestro: Callable[[], str]
) -> None:
    operador, admin, tecnico = crear_usuario(Rol.OPERADOR), crear_usuario(Rol.ADMINISTRADOR), crear_usuario(Rol.TECNICO)
    no = siniestro()
    _crear_expediente(api, operador, no)

    # Given an upload form
    pedida = _pedir(api, operador, no)
    assert pedida.status_code == 201, pedida.text
    carga = pedida.json()
    assert carga["estado"] == "Pendiente"
    clave = carga["upload"]["fields"]["key"]
    assert clave == f"expedientes/{no}/fotografia/{carga['id']}-Fotografia-frontal.png"

    # When the client posts the file straight to S3 and confirms
    subida = _subir_por_formulario(carga, PNG)
    assert subida.status_code in (200, 201, 204), subida.text
    confirmada = api.request("POST", _ruta(no, carga["id"], "confirmar"), token=operador.token)

    # Then it is Subida and anyone on staff can download it through the list
    assert confirmada.status_code == 200, confirmada.text
    assert confirmada.json()["estado"] == "Subida"
    assert confirmada.json()["tamano_real"] == len(PNG)
    assert confirmada.json()["subido_por"] == operador.principal.id_usuario
    listada = api.request("GET", _ruta(no), token=tecnico.token)
    assert listada.status_code == 200
    (item,) = listada.json()["items"]
    assert item["id"] == carga["id"]
    descarga = requests.get(item["url"], timeout=30)
    assert descarga.status_code == 200
    assert descarga.content == PNG
    assert descarga.headers["Content-Type"] == "image/png"

    # And the administrator's delete removes object and item
    borrada = api.request("DELETE", _ruta(no, carga["id"]), token=admin.token)
    assert borrada.status_code == 200
    assert borrada.json() == {"eliminado": carga["id"]}
    assert not _existe(clave)
    assert api.request("GET", _ruta(no), token=tecnico.token).json()["items"] == []


def test_confirm_before_upload_is_409(api: Any, operador: Any, siniestro: Callable[[], str]) -> None:
    no = siniestro()
    _crear_expediente(api, operador, no)
    carga = _pedir(api, operador, no).json()

    respuesta = api.request("POST", _ruta(no, carga["id"], "confirmar"), token=operador.token)

    assert respuesta.status_code == 409
    assert respuesta.json() == {"error": "El archivo aún no se ha subido"}


def test_an_object_over_the_cap_is_refused_and_deleted(
    api: Any, operador: Any, siniestro: Callable[[], str], s3: Any
) -> None:
    # moto's server does not enforce the POST policy's content-length-range; the real bucket does.
    # What the service itself guarantees is the check at confirmation, proven here.
    no = siniestro()
    _crear_expediente(api, operador, no)
    carga = _pedir(api, operador, no, tamano=evidencias.TAMANO_MAXIMO).json()
    clave = carga["upload"]["fields"]["key"]
    s3.put_object(
        Bucket=settings().bucket, Key=clave, Body=b"\0" * (evidencias.TAMANO_MAXIMO + 1), ContentType="image/png"
    )

    respuesta = api.request("POST", _ruta(no, carga["id"], "confirmar"), token=operador.token)

    assert respuesta.status_code == 400
    assert "25 MB" in respuesta.json()["error"]
    assert not _existe(clave)


def test_an_object_of_another_type_is_refused_and_deleted(
    api: Any, operador: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    _crear_expediente(api, operador, no)
    carga = _pedir(api, operador, no).json()
    carga["upload"]["fields"]["Content-Type"] = "text/html"  # what the real policy would refuse
    assert _subir_por_formulario(carga, b"<script>alert(1)</script>", "x.html").status_code in (200, 201, 204)
    clave = carga["upload"]["fields"]["key"]

    respuesta = api.request("POST", _ruta(no, carga["id"], "confirmar"), token=operador.token)

    assert respuesta.status_code == 400
    assert "text/html" in respuesta.json()["error"]
    assert not _existe(clave)
    listada = api.request("GET", _ruta(no), token=operador.token).json()["items"]
    assert [(i["id"], i["estado"], "url" in i) for i in listada] == [(carga["id"], "Pendiente", False)]


def test_technician_lists_but_cannot_upload_or_delete(
    api: Any, operador: Any, admin: Any, tecnico: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    _crear_expediente(api, operador, no)
    carga = _pedir(api, operador, no).json()

    assert api.request("GET", _ruta(no), token=tecnico.token).status_code == 200
    pedida = _pedir(api, tecnico, no)
    assert pedida.status_code == 403
    assert pedida.json() == {"error": "Acceso restringido a administradores y operadores"}
    confirmada = api.request("POST", _ruta(no, carga["id"], "confirmar"), token=tecnico.token)
    assert confirmada.status_code == 403
    borrada = api.request("DELETE", _ruta(no, carga["id"]), token=tecnico.token)
    assert borrada.status_code == 403
    assert borrada.json() == {"error": "Acceso restringido a administradores"}
    assert api.request("DELETE", _ruta(no, carga["id"]), token=operador.token).status_code == 403
    assert api.request("DELETE", _ruta(no, carga["id"]), token=admin.token).status_code == 200


def test_unknown_expediente_and_missing_token(api: Any, operador: Any, siniestro: Callable[[], str]) -> None:
    no = siniestro()

    assert _pedir(api, operador, no).json() == {"error": "Expediente no encontrado"}
    assert api.request("GET", _ruta(no), token=operador.token).status_code == 404
    sin_token = api.request("GET", _ruta(no))
    assert sin_token.status_code == 401
    assert sin_token.json() == {"error": "Token requerido"}


def test_deleting_the_expediente_removes_its_objects(
    api: Any, operador: Any, admin: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    _crear_expediente(api, operador, no)
    claves = []
    for _ in range(2):
        carga = _pedir(api, operador, no).json()
        assert _subir_por_formulario(carga, PNG).status_code in (200, 201, 204)
        assert api.request("POST", _ruta(no, carga["id"], "confirmar"), token=operador.token).status_code == 200
        claves.append(carga["upload"]["fields"]["key"])

    respuesta = api.request("DELETE", f"/api/expedientes/{no}", token=admin.token)

    assert respuesta.status_code in (200, 204), respuesta.text
    assert not any(_existe(c) for c in claves)
    assert api.request("GET", _ruta(no), token=admin.token).status_code == 404
