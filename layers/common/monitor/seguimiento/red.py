"""Webhook URLs and the POST that delivers to them, with the SSRF guard (docs/seguimiento.md#seguridad).

A subscription's URL is checked when it is created (https only; no credentials in it; no literal private
address) and, what really protects the VPC and the metadata service, at DELIVERY time: the host is
resolved, EVERY address it resolves to must be public (no private, loopback, link-local, unique-local,
shared, reserved, multicast or unspecified range, nor an IPv4 one hidden in a mapped, 6to4, Teredo or
NAT64 IPv6 address), and the connection goes to the address that was checked, so a DNS answer that changes
between the check and the connection (rebinding) cannot redirect it. Redirects are never followed.
Loopback is accepted only when `MONITOR_WEBHOOK_ALLOW_LOOPBACK` is set (a local run).

The standard library only (http.client, ssl, socket): no HTTP dependency in the layer.
"""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from monitor.core.settings import settings

if TYPE_CHECKING:
    import http.client
    import socket

# http.client, ssl and socket load with the first delivery, not with the routes that only validate URLs.

MAX_URL = 2048
LECTURA_MAXIMA = 65_536  # of a subscriber's answer, which is read and discarded
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
DESTINO_PROHIBIDO = "Destino no permitido: dirección privada, local o reservada"
SOLO_HTTPS = "La URL debe usar https"


class UrlInvalida(ValueError):
    """A subscription URL refused when it is created (the message is the 400's)."""


Direccion = ipaddress.IPv4Address | ipaddress.IPv6Address


def _ip(texto: str) -> Direccion | None:
    try:
        return ipaddress.ip_address(texto.split("%", 1)[0])
    except ValueError:
        return None


def _incrustada(ip: Direccion) -> Direccion | None:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, Teredo's client, NAT64), if any."""
    if isinstance(ip, ipaddress.IPv4Address):
        return None
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def permitida(ip: Direccion) -> bool:
    """Public unicast only; loopback only in a local run."""
    incrustada = _incrustada(ip)
    if incrustada is not None:
        return permitida(incrustada)
    if ip.is_loopback:
        return settings().webhook_loopback
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified or ip.is_link_local)


def _es_loopback(host: str) -> bool:
    ip = _ip(host)
    return host.lower() == "localhost" if ip is None else ip.is_loopback


def validar_url(url: str) -> str:
    """The checks that can be made when the subscription is created; raises `UrlInvalida` in Spanish."""
    if len(url) > MAX_URL:
        raise UrlInvalida(f"La URL no puede pasar de {MAX_URL} caracteres")
    try:
        partes = urlsplit(url)
        partes.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError:
        raise UrlInvalida("URL inválida") from None
    host = partes.hostname or ""
    if not host or any(c.isspace() for c in url):
        raise UrlInvalida("URL inválida: falta el servidor")
    if partes.username is not None or partes.password is not None:
        raise UrlInvalida("La URL no puede llevar usuario ni contraseña")
    esquema = partes.scheme.lower()
    local = settings().webhook_loopback and _es_loopback(host)
    if esquema != "https" and not (esquema == "http" and local):
        raise UrlInvalida(SOLO_HTTPS)
    ip = _ip(host)
    if ip is not None and not permitida(ip):
        raise UrlInvalida(DESTINO_PROHIBIDO)
    return url


@dataclass(frozen=True)
class Resultado:
    """One attempt: the HTTP status (None when there was no answer), how long it took, and why it failed."""

    status: int | None
    latencia_ms: int
    error: str | None = None
    reintentable: bool = False

    @property
    def exitoso(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def _resolver(host: str, puerto: int) -> list[Direccion]:
    import socket

    direcciones = []
    for *_, sockaddr in socket.getaddrinfo(host, puerto, type=socket.SOCK_STREAM):
        ip = _ip(str(sockaddr[0]))
        if ip is not None and ip not in direcciones:
            direcciones.append(ip)
    return direcciones


def _conexion(esquema: str, host: str, puerto: int, ip: Direccion, timeout: float) -> http.client.HTTPConnection:
    """A connection to `ip` (already checked) that still speaks to `host`: Host header, SNI, certificate."""
    import http.client
    import socket
    import ssl

    conexion: http.client.HTTPConnection
    if esquema == "https":
        conexion = http.client.HTTPSConnection(host, puerto, timeout=timeout, context=ssl.create_default_context())
    else:
        conexion = http.client.HTTPConnection(host, puerto, timeout=timeout)

    def conectar(_direccion: Any, tiempo: Any = None, origen: Any = None) -> socket.socket:
        return socket.create_connection((str(ip), puerto), tiempo, origen)

    conexion._create_connection = conectar  # type: ignore[attr-defined]
    return conexion


def _vetar(esquema: str, host: str, puerto: int) -> Direccion | Resultado:
    """The address to connect to, or why not: the scheme again (an older subscription, a changed setting), a
    host that does not resolve (retried), or one that resolves to any address not allowed (not retried)."""
    if esquema != "https" and not (esquema == "http" and settings().webhook_loopback and _es_loopback(host)):
        return Resultado(None, 0, SOLO_HTTPS)
    try:
        direcciones = _resolver(host, puerto)
    except (OSError, UnicodeError):
        return Resultado(None, 0, "No se pudo resolver el servidor", reintentable=True)
    if not direcciones or not all(permitida(ip) for ip in direcciones):
        return Resultado(None, 0, DESTINO_PROHIBIDO)
    return direcciones[0]


def enviar(url: str, cuerpo: bytes, cabeceras: dict[str, str]) -> Resultado:
    """POSTs `cuerpo` once. 2xx is a success; 429, 5xx, timeouts and network errors are worth retrying; any
    other answer (4xx, 3xx: redirects are not followed) and a refused destination are not."""
    import http.client

    inicio = time.monotonic()
    limite = settings().timeout_webhook

    def transcurrido() -> int:
        return round((time.monotonic() - inicio) * 1000)

    partes = urlsplit(url)
    esquema = partes.scheme.lower()
    host = partes.hostname or ""
    puerto = partes.port or (443 if esquema == "https" else 80)
    vetada = _vetar(esquema, host, puerto)
    if isinstance(vetada, Resultado):
        return Resultado(vetada.status, transcurrido(), vetada.error, vetada.reintentable)
    ruta = (partes.path or "/") + (f"?{partes.query}" if partes.query else "")
    conexion = _conexion(esquema, host, puerto, vetada, limite)
    try:
        conexion.request("POST", ruta, body=cuerpo, headers=cabeceras)
        respuesta = conexion.getresponse()
        respuesta.read(LECTURA_MAXIMA)
        status = respuesta.status
    except TimeoutError:
        return Resultado(None, transcurrido(), f"Sin respuesta en {limite} s", reintentable=True)
    except (OSError, http.client.HTTPException) as exc:
        return Resultado(None, transcurrido(), f"Error de conexión ({type(exc).__name__})", reintentable=True)
    finally:
        conexion.close()
    if 200 <= status < 300:
        return Resultado(status, transcurrido())
    reintentable = status == 429 or status >= 500
    return Resultado(status, transcurrido(), f"El suscriptor respondió {status}", reintentable=reintentable)
