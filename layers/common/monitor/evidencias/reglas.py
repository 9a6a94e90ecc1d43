"""The rules of evidence files, free of Pydantic and of AWS: what may be uploaded, how names are made
safe, what the bytes must look like, and the states a file goes through."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

TAMANO_MAXIMO = 25 * 1024 * 1024  # 25 MB
VIGENCIA_SEGUNDOS = 15 * 60  # upload forms and download URLs
LARGO_MAXIMO_NOMBRE = 100
NOMBRE_POR_DEFECTO = "archivo"

IMAGENES = frozenset({"image/jpeg", "image/png", "image/heic", "image/webp"})
PDF = "application/pdf"
TIPOS_PERMITIDOS: dict[str, frozenset[str]] = {
    "fotografia": IMAGENES,
    # A scanned document is often a photo of the paper.
    "documento": IMAGENES | {PDF},
}


class EstadoEvidencia(StrEnum):
    PENDIENTE = "Pendiente"  # upload form handed out, file not confirmed yet
    SUBIDA = "Subida"  # confirmed: the object is in S3 and is what it claims to be
    EXPIRADA = "Expirada"  # only shown: a Pendiente past its form's expiry


def nombre_seguro(nombre: str | None) -> str:
    """Only the last path component, accents transliterated, spaces as `-`, nothing outside
    [A-Za-z0-9._-], no leading dots (no `..`, no hidden files), at most 100 characters."""
    base = re.split(r"[/\\]", nombre or "")[-1]
    base = unicodedata.normalize("NFKD", base)
    base = "".join(
        c
        for c in base
        if not unicodedata.combining(c) and (c in "\t\n\r" or unicodedata.category(c) not in ("Cc", "Cf"))
    )
    base = re.sub(r"\s+", "-", base)
    base = re.sub(r"[^A-Za-z0-9._-]", "", base)
    base = re.sub(r"\.{2,}", ".", base)
    base = re.sub(r"-{2,}", "-", base)
    base = base.strip("-").lstrip(".")
    if len(base) > LARGO_MAXIMO_NOMBRE:
        raiz, punto, extension = base.rpartition(".")
        if punto and raiz and 0 < len(extension) <= 10:
            base = raiz[: LARGO_MAXIMO_NOMBRE - len(extension) - 1].rstrip(".-") + "." + extension
        else:
            base = base[:LARGO_MAXIMO_NOMBRE].rstrip(".-")
    return base if base.strip(".-_") else NOMBRE_POR_DEFECTO


_MARCAS_HEIC = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}


def contenido_es(content_type: str, cabeza: bytes) -> bool:
    """Magic numbers: the POST policy pins the Content-Type header, not what the bytes are, so an
    HTML page sent as image/png is caught here."""
    if content_type == "image/jpeg":
        return cabeza.startswith(b"\xff\xd8\xff")
    if content_type == "image/png":
        return cabeza.startswith(b"\x89PNG\r\n\x1a\n")
    if content_type == "image/webp":
        return cabeza[:4] == b"RIFF" and cabeza[8:12] == b"WEBP"
    if content_type == "image/heic":
        return cabeza[4:8] == b"ftyp" and cabeza[8:12] in _MARCAS_HEIC
    if content_type == PDF:
        return b"%PDF-" in cabeza[:32]  # readers accept a little garbage before the header
    return False
