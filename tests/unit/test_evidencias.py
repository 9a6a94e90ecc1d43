"""Pure rules of evidence: file-name sanitising, S3 keys, ids, request validation, public view."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from monitor.core import dates, keys, storage
from monitor.evidencias import servicio as evidencias
from monitor.evidencias.modelos import EvidenciaNueva
from monitor.evidencias.reglas import nombre_seguro


@pytest.mark.parametrize(
    ("original", "esperado"),
    [
        ("Fotografía frontal.JPG", "Fotografia-frontal.JPG"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system32\\config", "config"),
        ("C:\\x\\y.pdf", "y.pdf"),
        ("/var/tmp/foto.png", "foto.png"),
        ("carpeta/", "archivo"),
        ("..", "archivo"),
        ("....", "archivo"),
        (".htaccess", "htaccess"),
        ("foto..png", "foto.png"),
        ("a\x00b\x1fc\x7f.png", "abc.png"),
        ("línea\nnueva\tfoto.jpg", "linea-nueva-foto.jpg"),
        ("📷🚗", "archivo"),
        ("coche 🚗 rojo.webp", "coche-rojo.webp"),
        ("Peña Ñandú çé.heic", "Pena-Nandu-ce.heic"),
        ("", "archivo"),
        ("   ", "archivo"),
        ("---", "archivo"),
        ("<script>alert(1)</script>.png", "script.png"),
        ('nombre"con;comillas.pdf', "nombreconcomillas.pdf"),
    ],
)
def test_nombre_seguro_keeps_only_a_safe_last_component(original: str, esperado: str) -> None:
    assert nombre_seguro(original) == esperado


def test_nombre_seguro_never_leaves_unsafe_characters_or_empty_names() -> None:
    for original in ["../" * 50, "\\\\server\\share\\..\\x", "\u202etxt.exe", "a" * 500, "ß" * 10, "\u3042.png"]:
        limpio = nombre_seguro(original)
        assert re.fullmatch(r"[A-Za-z0-9._-]{1,100}", limpio), (original, limpio)
        assert not limpio.startswith(".")
        assert ".." not in limpio


def test_long_names_are_cut_to_100_characters_keeping_the_extension() -> None:
    limpio = nombre_seguro("x" * 300 + ".jpeg")

    assert len(limpio) == 100
    assert limpio.endswith(".jpeg")
    assert nombre_seguro("y" * 300) == "y" * 100


def test_s3_key_is_scoped_to_the_expediente_and_type() -> None:
    clave = keys.evidencia_s3("SIN-1", "fotografia", "0190abc", "foto.png")

    assert clave == "expedientes/SIN-1/fotografia/0190abc-foto.png"
    assert clave.startswith(keys.prefijo_expediente_s3("SIN-1"))
    # The trailing slash keeps SIN-1 from matching SIN-10's objects.
    assert not keys.evidencia_s3("SIN-10", "documento", "1", "a.pdf").startswith(keys.prefijo_expediente_s3("SIN-1"))


def test_claim_numbers_made_of_dots_never_become_relative_paths() -> None:
    assert keys.prefijo_expediente_s3(".") == "expedientes/%2E/"
    assert keys.prefijo_expediente_s3("..") == "expedientes/%2E%2E/"
    assert keys.prefijo_expediente_s3("A.B") == "expedientes/A.B/"
    assert keys.prefijo_expediente_s3("SIN 1") == "expedientes/SIN 1/"


def test_ids_sort_by_creation_time_and_do_not_repeat(monkeypatch: pytest.MonkeyPatch) -> None:
    base = datetime(2025, 1, 1, tzinfo=UTC)
    momentos = iter([base, base + timedelta(milliseconds=1), base + timedelta(days=400)])
    monkeypatch.setattr(dates, "reloj", lambda: next(momentos))

    ids = [evidencias.nuevo_id() for _ in range(3)]

    assert ids == sorted(ids)
    assert len(set(ids)) == 3
    assert all(re.fullmatch(r"[0-9a-f]{22}", i) for i in ids)


def _solicitud(**cambios: object) -> dict[str, object]:
    return {"tipo": "fotografia", "nombre_archivo": "a.jpg", "content_type": "image/jpeg", "tamano": 1024} | cambios


@pytest.mark.parametrize("content_type", ["image/jpeg", "image/png", "image/heic", "image/webp", "IMAGE/PNG"])
def test_photos_accept_images(content_type: str) -> None:
    assert EvidenciaNueva.model_validate(_solicitud(content_type=content_type)).content_type == content_type.lower()


@pytest.mark.parametrize(
    ("tipo", "content_type"),
    [
        ("fotografia", "application/pdf"),
        ("fotografia", "text/plain"),
        ("documento", "application/zip"),
        ("documento", "image/svg+xml"),
        ("documento", "text/html"),
    ],
)
def test_other_content_types_are_refused(tipo: str, content_type: str) -> None:
    with pytest.raises(ValidationError) as error:
        EvidenciaNueva.model_validate(_solicitud(tipo=tipo, content_type=content_type))

    assert error.value.errors()[0]["loc"] == ("content_type",)


def test_documents_accept_pdf_and_images() -> None:
    for content_type in ["application/pdf", "image/jpeg"]:
        assert EvidenciaNueva.model_validate(_solicitud(tipo="documento", content_type=content_type))


@pytest.mark.parametrize("tamano", [0, -1, evidencias.TAMANO_MAXIMO + 1, "1024", 10.5, True])
def test_size_must_be_an_integer_within_the_cap(tamano: object) -> None:
    with pytest.raises(ValidationError) as error:
        EvidenciaNueva.model_validate(_solicitud(tamano=tamano))

    assert error.value.errors()[0]["loc"] == ("tamano",)


def test_size_cap_is_25_mb_inclusive() -> None:
    assert EvidenciaNueva.model_validate(_solicitud(tamano=26_214_400)).tamano == 26_214_400


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError):
        EvidenciaNueva.model_validate(_solicitud(s3_key="expedientes/otro/x"))


def _item(**cambios: object) -> dict[str, object]:
    return {
        "PK": "EXP#A",
        "SK": "EVI#1",
        "id": "1",
        "tipo": "evidencia",
        "tipo_evidencia": "fotografia",
        "nombre_archivo": "a.jpg",
        "content_type": "image/jpeg",
        "tamano": 10,
        "s3_key": "expedientes/A/fotografia/1-a.jpg",
        "estado": "Pendiente",
        "solicitado_por": 2,
        "solicitado_en": "2025-01-01T10:00:00.000Z",
        "expira_en": "2025-01-01T10:15:00.000Z",
    } | cambios


def test_public_view_hides_keys_and_marks_stale_pending_uploads_as_expired() -> None:
    vigente = evidencias.a_respuesta(_item(), momento="2025-01-01T10:14:59.999Z")
    vencida = evidencias.a_respuesta(_item(), momento="2025-01-01T10:15:00.001Z")

    assert vigente["estado"] == "Pendiente"
    assert vencida["estado"] == "Expirada"
    assert "url" not in vencida
    for vista in (vigente, vencida):
        assert not {"PK", "SK", "s3_key"} & vista.keys()
        assert vista["tipo"] == "fotografia"


def test_uploaded_evidence_never_expires() -> None:
    item = _item(estado="Subida", tamano_real=9, subido_por=3, fecha_carga="2025-01-01T10:05:00.000Z")

    vista = evidencias.a_respuesta(item, momento="2030-01-01T00:00:00.000Z", url="https://x")

    assert vista["estado"] == "Subida"
    assert vista["tamano_real"] == 9
    assert vista["url"] == "https://x"
    assert "expira_en" not in vista


@pytest.mark.parametrize(
    ("entorno", "esperado"),
    [
        ({}, "virtual"),
        ({"AWS_ENDPOINT_URL": "http://127.0.0.1:5000"}, "path"),
        ({"AWS_ENDPOINT_URL_S3": "http://localhost:9000"}, "path"),
        ({"AWS_ENDPOINT_URL": "http://127.0.0.1:5000", "MONITOR_S3_ADDRESSING_STYLE": "virtual"}, "virtual"),
        ({"MONITOR_S3_ADDRESSING_STYLE": "PATH"}, "path"),
        ({"MONITOR_S3_ADDRESSING_STYLE": "nonsense"}, "virtual"),
    ],
)
def test_addressing_style_is_path_for_local_endpoints_and_virtual_for_aws(
    monkeypatch: pytest.MonkeyPatch, entorno: dict[str, str], esperado: str
) -> None:
    for variable in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "MONITOR_S3_ADDRESSING_STYLE"):
        monkeypatch.delenv(variable, raising=False)
    for variable, valor in entorno.items():
        monkeypatch.setenv(variable, valor)

    assert storage.estilo_direcciones() == esperado


@pytest.mark.parametrize(
    ("content_type", "cabeza"),
    [
        ("image/jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF"),
        ("image/png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("image/webp", b"RIFF\x24\x00\x00\x00WEBPVP8 "),
        ("image/heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00"),
        ("image/heic", b"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00"),
        ("application/pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3"),
        ("application/pdf", b"\xef\xbb\xbf%PDF-1.4"),
    ],
)
def test_real_files_match_their_declared_type(content_type: str, cabeza: bytes) -> None:
    assert evidencias.contenido_es(content_type, cabeza)


@pytest.mark.parametrize(
    ("content_type", "cabeza"),
    [
        ("image/png", b"<html><script>alert(1)</script>"),
        ("image/jpeg", b"\x89PNG\r\n\x1a\n"),
        ("image/webp", b"RIFF\x24\x00\x00\x00WAVEfmt "),
        ("image/heic", b"\x00\x00\x00\x18ftypisom"),
        ("application/pdf", b"PK\x03\x04"),
        ("image/png", b""),
        ("text/html", b"<html>"),
    ],
)
def test_other_contents_do_not_pass_for_the_declared_type(content_type: str, cabeza: bytes) -> None:
    assert not evidencias.contenido_es(content_type, cabeza)
