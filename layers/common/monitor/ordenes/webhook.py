"""The resolver of the insurer's webhook routes: role Integracion, then the body's signature, then
validation, each before the next."""

from __future__ import annotations

from typing import Any

from monitor.auth.roles import INTEGRACION
from monitor.core import jsoncodec, keys, table
from monitor.core.errors import NoAutenticado, SolicitudInvalida
from monitor.core.http import MonitorResolver
from monitor.core.metrics import Metrica
from monitor.core.observability import contar, logger
from monitor.ordenes.firmas import CABECERA_FIRMA, CABECERA_TOPIC, FIRMA_INVALIDA, Precarga, Webhook, es_valida


def _exigir_objeto(cuerpo: bytes) -> None:
    """Powertools would validate the first element of a JSON array as the body; the contract wants an object."""
    try:
        datos = jsoncodec.loads(cuerpo) if cuerpo.strip() else {}
    except (ValueError, RecursionError):
        return  # Powertools answers "El cuerpo no es JSON válido"
    if not isinstance(datos, dict):
        raise SolicitudInvalida("Datos inválidos", detalles=[{"campo": "body", "mensaje": "Debe ser un objeto"}])


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
        leidos = {(i["PK"], i["SK"]): i for i in table.get_varios([clave_cliente, *extra], consistente=True)}
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
