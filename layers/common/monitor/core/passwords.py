"""Password hashing with scrypt (memory-hard, standard library: no native dependency to ship)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

_N, _R, _P, _LARGO = 2**14, 8, 1, 32


def _b64(datos: bytes) -> str:
    return base64.b64encode(datos).decode()


def hashear(password: str) -> str:
    sal = secrets.token_bytes(16)
    derivada = hashlib.scrypt(password.encode(), salt=sal, n=_N, r=_R, p=_P, dklen=_LARGO)
    return f"scrypt${_N}${_R}${_P}${_b64(sal)}${_b64(derivada)}"


def verificar(password: str, almacenado: str) -> bool:
    try:
        _, n, r, p, sal, esperado = almacenado.split("$")
        derivada = hashlib.scrypt(
            password.encode(), salt=base64.b64decode(sal), n=int(n), r=int(r), p=int(p), dklen=_LARGO
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(derivada, base64.b64decode(esperado))


# The hash of a random password nobody kept, with the current parameters: verified against when the
# user or client does not exist, so both failures cost the same time (and the first call is not slower).
_SENUELO = "scrypt$16384$8$1$EvhujvwPRX699znhetHPgQ==$nzvWevKngAMT11iF5tmk/B3GCo33n8yf6U90W18jHw4="


def hash_senuelo() -> str:
    return _SENUELO
