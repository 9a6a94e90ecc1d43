"""Webhook signatures (the infopiezas convention) and the resolver that checks them.

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

from monitor import jsoncodec, keys, tabla
from monitor.auth import INTEGRACION, Principal
from monitor.errors import NoAutenticado, SolicitudInvalida
from monitor.http import MonitorResolver
from monitor.metricas import Metrica
from monitor.observability import contar, logger

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


def _exigir_objeto(cuerpo: bytes) -> None:
    """Powertools would validate the first element of a JSON array as the body; the contract wants an object."""
    try:
        datos = jsoncodec.loads(cuerpo) if cuerpo.strip() else {}
    except (ValueError, RecursionError):
        return  # Powertools answers "El cuerpo no es JSON válido"
    if not isinstance(datos, dict):
        raise SolicitudInvalida("Datos inválidos", detalles=[{"campo": "body", "mensaje": "Debe ser un objeto"}])


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


class ResolverFirmado(MonitorResolver):
    """Webhook routes: role Integracion (in `resolve`), then the body's signature, then validation.

    Powertools validates the body before any route middleware runs, so the signature check wraps the
    request-validation middleware itself. The client item (signing key) and the `precarga` keys are
    read in one BatchGetItem, which keeps a retried delivery at a single DynamoDB request.
    """

    def __init__(self, *, error_interno: str, precarga: Precarga | None = None) -> None:
        super().__init__(roles=INTEGRACION, error_interno=error_interno)
        self._precarga = precarga
        validacion = self._request_validation_middleware

        def firma_y_validacion(app: Any, siguiente: Any) -> Any:
            self.context["webhook"] = webhook = self._autenticar_cuerpo()
            _exigir_objeto(webhook.cuerpo)
            return validacion(app, siguiente)

        self._request_validation_middleware = firma_y_validacion  # type: ignore[assignment]

    @property
    def webhook(self) -> Webhook:
        webhook: Webhook = self.context["webhook"]
        return webhook

    def _autenticar_cuerpo(self) -> Webhook:
        principal = self.principal
        cuerpo = self.cuerpo_crudo()
        ruta = self.current_event.path_parameters or {}
        extra = self._precarga(cuerpo, ruta) if self._precarga else []
        clave_cliente = keys.cliente(principal.id)
        leidos = {(i["PK"], i["SK"]): i for i in tabla.get_varios([clave_cliente, *extra], consistente=True)}
        lecturas: dict[tuple[str, str], dict[str, Any] | None] = {
            (c["PK"], c["SK"]): leidos.get((c["PK"], c["SK"])) for c in extra
        }
        cliente = leidos.get((clave_cliente["PK"], clave_cliente["SK"]))
        if cliente is None or not cliente.get("activo", False):
            logger.warning("Cliente de integración inexistente o inactivo", extra={"client_id": principal.id})
            raise NoAutenticado()
        topic = self.cabecera(CABECERA_TOPIC)
        topic = topic[:200] if topic else None
        if cliente.get("exigir_firma", True) and not es_valida(
            cuerpo, str(cliente.get("hmac_key", "")), self.cabecera(CABECERA_FIRMA)
        ):
            contar(Metrica.FIRMA_INVALIDA)
            logger.warning(
                "Firma de webhook inválida",
                extra={
                    "client_id": principal.id,
                    "topic": topic,
                    "motivo": "ausente" if not self.cabecera(CABECERA_FIRMA) else "no coincide",
                },
            )
            raise NoAutenticado(FIRMA_INVALIDA)
        logger.info("Webhook autenticado", extra={"client_id": principal.id, "topic": topic})
        return Webhook(principal=principal, cliente=cliente, cuerpo=cuerpo, topic=topic, lecturas=lecturas)
