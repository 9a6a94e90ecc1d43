"""Webhook signatures (the infopiezas convention), and `Webhook`: what the signature step established
before validation. The resolver that runs it is `monitor.ordenes.webhook`.

The sender signs in .NET over `Encoding.ASCII.GetBytes(body)`, where every UTF-16 code unit outside
ASCII becomes `?`, while the bytes on the wire are UTF-8. Both forms are accepted, so "Peña" verifies
whether the sender hashed `Peña` (UTF-8) or `Pe?a` (ASCII).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from monitor.auth.roles import Principal

CABECERA_FIRMA = "X-Infopiezas-Hmac-Sha256"
CABECERA_TOPIC = "X-Infopiezas-Topic"
FIRMA_INVALIDA = "Firma inválida"

Clave = dict[str, str]
# (raw body, path parameters) -> keys worth reading together with the client, in the same BatchGetItem.
Precarga = Callable[[bytes, Mapping[str, str]], list[Clave]]


def ascii_dotnet(texto: str) -> bytes:
    """`Encoding.ASCII.GetBytes`: one `?` per UTF-16 code unit that is not ASCII (two for an emoji)."""
    return "".join(c if ord(c) < 128 else "?" * (2 if ord(c) > 0xFFFF else 1) for c in texto).encode("ascii")


def calcular(cuerpo: bytes, clave: str) -> str:
    """Lower-case hex HMAC-SHA256 of `cuerpo` under the UTF-8 bytes of the client's key."""
    return hmac.new(clave.encode("utf-8"), cuerpo, hashlib.sha256).hexdigest()


def variantes(cuerpo: bytes) -> list[bytes]:
    """The bodies a sender may have signed: the raw bytes and, when they differ, the .NET ASCII form."""
    formas = [cuerpo]
    try:
        ascii_ = ascii_dotnet(cuerpo.decode("utf-8"))
    except UnicodeDecodeError:
        return formas
    if ascii_ != cuerpo:
        formas.append(ascii_)
    return formas


def es_valida(cuerpo: bytes, clave: str, firma: str | None) -> bool:
    """Case-insensitive hex, compared in constant time against every accepted form."""
    if not firma or not clave:
        return False
    recibida = firma.strip().lower().encode("utf-8")
    # No short-circuit: every form is compared, so timing does not reveal which one matched.
    coincide = False
    for forma in variantes(cuerpo):
        coincide |= hmac.compare_digest(recibida, calcular(forma, clave).encode("ascii"))
    return coincide


@dataclass(frozen=True)
class Webhook:
    """What the resolver established before validation: the caller, its client item, and prefetched items."""

    principal: Principal
    cliente: dict[str, Any] = field(repr=False)  # holds the signing key and the secret's hash
    cuerpo: bytes = field(repr=False)
    topic: str | None = None
    lecturas: dict[tuple[str, str], dict[str, Any] | None] = field(default_factory=dict)

    @property
    def client_id(self) -> str:
        return str(self.cliente["client_id"])

    @property
    def id_aseguradora(self) -> int:
        return int(self.cliente["id_aseguradora"])

    def lectura(self, clave: Mapping[str, str]) -> tuple[bool, dict[str, Any] | None]:
        """(was it read together with the client?, the item or None)."""
        llave = (clave["PK"], clave["SK"])
        return llave in self.lecturas, self.lecturas.get(llave)
