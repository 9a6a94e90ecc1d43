"""S3 access for evidence: one lazily built client, and botocore failures turned into domain
exceptions so throttling or an outage is a 503, never a stack trace."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

from monitor.core.errors import ServicioNoDisponible
from monitor.core.observability import logger
from monitor.core.settings import settings

# Codes S3 uses for "slow down / try again"; anything else (AccessDenied…) is a real bug → 500.
_REINTENTABLES = {
    "SlowDown",
    "ServiceUnavailable",
    "InternalError",
    "RequestTimeout",
    "RequestTimeoutException",
    "Throttling",
    "ThrottlingException",
    "500",
    "503",
}
_NO_EXISTE = {"404", "NoSuchKey", "NotFound"}
_LOTE_BORRADO = 1000  # DeleteObjects' maximum


def estilo_direcciones() -> str:
    """Path-style for a custom endpoint (moto or any S3-compatible server on loopback), where
    `bucket.127.0.0.1` cannot resolve; virtual-hosted (S3's preference) against real AWS.
    `MONITOR_S3_ADDRESSING_STYLE` (`path`, `virtual`, `auto`) overrides."""
    elegido = os.environ.get("MONITOR_S3_ADDRESSING_STYLE", "").strip().lower()
    if elegido in ("path", "virtual", "auto"):
        return elegido
    return "path" if os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL") else "virtual"


@functools.cache
def cliente() -> Any:
    import boto3
    from botocore.config import Config

    config = Config(
        signature_version="s3v4",
        s3={"addressing_style": estilo_direcciones()},
        retries={"mode": "standard", "max_attempts": 3},
        connect_timeout=2,
        read_timeout=5,
        tcp_keepalive=True,
    )
    # boto3 honours AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_S3 by itself.
    return boto3.client("s3", config=config)


def bucket() -> str:
    nombre = settings().bucket
    if not nombre:
        raise RuntimeError("MONITOR_BUCKET no está configurado")
    return nombre


def _codigo(exc: Any) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


@contextmanager
def errores() -> Iterator[None]:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except ClientError as exc:
        codigo = _codigo(exc)
        if codigo in _REINTENTABLES:
            logger.warning("S3 limitó o falló la solicitud", extra={"codigo": codigo})
            raise ServicioNoDisponible() from None
        raise
    except BotoCoreError as exc:
        logger.warning("S3 inalcanzable", extra={"error": type(exc).__name__})
        raise ServicioNoDisponible() from None


def cabecera(clave: str) -> dict[str, Any] | None:
    """HeadObject; None when the object does not exist."""
    from botocore.exceptions import ClientError

    try:
        with errores():
            respuesta: dict[str, Any] = cliente().head_object(Bucket=bucket(), Key=clave)
    except ClientError as exc:
        if _codigo(exc) in _NO_EXISTE:
            return None
        raise
    return respuesta


def inicio(clave: str, cantidad: int) -> bytes:
    """The first bytes of an object (a ranged GET), to check what it really is."""
    with errores():
        respuesta = cliente().get_object(Bucket=bucket(), Key=clave, Range=f"bytes=0-{cantidad - 1}")
        datos: bytes = respuesta["Body"].read(cantidad)
    return datos


def formulario_carga(clave: str, content_type: str, tamano_maximo: int, segundos: int) -> dict[str, Any]:
    """Presigned POST: the policy pins the key, the content type and the size range."""
    with errores():
        formulario: dict[str, Any] = cliente().generate_presigned_post(
            Bucket=bucket(),
            Key=clave,
            Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, tamano_maximo]],
            ExpiresIn=segundos,
        )
    return formulario


def url_descarga(clave: str, content_type: str, nombre: str, segundos: int, *, adjunto: bool = False) -> str:
    """Presigned GET; `adjunto` makes browsers save the file (a generated report) instead of showing it."""
    with errores():
        url: str = cliente().generate_presigned_url(
            "get_object",
            Params={
                "Bucket": bucket(),
                "Key": clave,
                "ResponseContentType": content_type,
                "ResponseContentDisposition": f'{"attachment" if adjunto else "inline"}; filename="{nombre}"',
            },
            ExpiresIn=segundos,
        )
    return url


def subir(clave: str, datos: bytes, content_type: str, *, etiquetas: Mapping[str, str] | None = None) -> None:
    """A file the server generated (a report, a printable form), written straight to the bucket. `etiquetas`
    (object tags) let a lifecycle rule find it wherever its key puts it."""
    parametros: dict[str, Any] = {"Bucket": bucket(), "Key": clave, "Body": datos, "ContentType": content_type}
    if etiquetas:
        parametros["Tagging"] = urlencode(dict(etiquetas))
    with errores():
        cliente().put_object(**parametros)


def leer(clave: str, maximo: int, *, version: str | None = None) -> bytes | None:
    """A whole object (that version of it, when given), at most `maximo` bytes: a larger one raises ValueError
    before its body is read. None when it does not exist."""
    from botocore.exceptions import ClientError

    parametros: dict[str, Any] = {"Bucket": bucket(), "Key": clave}
    if version:
        parametros["VersionId"] = version
    try:
        with errores():
            respuesta = cliente().get_object(**parametros)
            if int(respuesta.get("ContentLength") or 0) > maximo:
                respuesta["Body"].close()
                raise ValueError(f"El objeto excede {maximo} bytes")
            datos: bytes = respuesta["Body"].read(maximo + 1)
    except ClientError as exc:
        if _codigo(exc) in _NO_EXISTE or _codigo(exc) == "NoSuchVersion":
            return None
        raise
    if len(datos) > maximo:
        raise ValueError(f"El objeto excede {maximo} bytes")
    return datos


def borrar_prefijo(prefijo: str, *, exacta: bool = False) -> int:
    """Deletes every version and delete marker under `prefijo` (only the key itself when `exacta`),
    page by page, so nothing stays behind in the versioned bucket. Returns how many were removed."""
    s3 = cliente()
    nombre = bucket()
    borrados = 0
    with errores():
        paginas = s3.get_paginator("list_object_versions").paginate(Bucket=nombre, Prefix=prefijo)
        for pagina in paginas:
            objetos = [
                {"Key": v["Key"], "VersionId": v["VersionId"]}
                for v in [*pagina.get("Versions", []), *pagina.get("DeleteMarkers", [])]
                if not exacta or v["Key"] == prefijo
            ]
            for inicio in range(0, len(objetos), _LOTE_BORRADO):
                lote = objetos[inicio : inicio + _LOTE_BORRADO]
                respuesta = s3.delete_objects(Bucket=nombre, Delete={"Objects": lote, "Quiet": True})
                fallidos = respuesta.get("Errors") or []
                if fallidos:
                    logger.warning(
                        "S3 no borró algunos objetos",
                        extra={"fallidos": len(fallidos), "codigos": sorted({f.get("Code") for f in fallidos})},
                    )
                    raise ServicioNoDisponible()
                borrados += len(lote)
    return borrados
