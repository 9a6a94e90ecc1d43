"""The customer's follow-up e-mails: one per step of the shop's form (valuación autorizada, refacciones
recibidas, en reparación, listo para entrega) when the expediente has `correo_cliente` and
`notificar_cliente` true, sent through SES and recorded on the expediente (`notificaciones`).

Never twice for the same step, even when the event arrives twice: the step is reserved on the expediente
by a conditional update BEFORE the e-mail is sent (`pendiente`), then marked `enviado` (or `rechazado` when
SES refuses the address). A send that fails for a passing reason frees the step and the message is retried.
The e-mail says the claim number, the vehicle, the step and the shop's contact, nothing else; the
address is never logged.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from monitor.core import jsoncodec, keys, table
from monitor.core.dates import ahora
from monitor.core.errors import CondicionFallida
from monitor.core.metrics import Metrica
from monitor.core.observability import contar, logger
from monitor.core.settings import settings
from monitor.seguimiento.aws import cliente
from monitor.seguimiento.eventos import Topico

# The shop's four follow-up steps (`monitor.expedientes.hitos.SEGUIMIENTO_CLIENTE`, which a test keeps equal)
# → (the step as the customer reads it, what it means for them).
PASOS = {
    "valuacion_autorizada": (
        "Valuación autorizada",
        "La aseguradora autorizó la valuación de los daños; preparamos la reparación de su vehículo.",
    ),
    "refacciones_completas": (
        "Refacciones recibidas",
        "Recibimos todas las refacciones necesarias para reparar su vehículo.",
    ),
    "en_reparacion": ("En reparación", "Su vehículo ya está en reparación en nuestro taller."),
    "lista_para_entrega": ("Listo para entrega", "Su vehículo está listo. Puede pasar a recogerlo."),
}
PENDIENTE, ENVIADO, RECHAZADO = "pendiente", "enviado", "rechazado"
# SES answers that no retry can fix: the address or the message is refused.
RECHAZOS_SES = {"MessageRejected", "BadRequestException", "MailFromDomainNotVerifiedException", "NotFoundException"}
INTENTOS_RESERVA = 3


def _vehiculo(expediente: Mapping[str, Any]) -> str:
    partes = [str(expediente[c]).strip() for c in ("marca", "modelo", "tipo") if expediente.get(c)]
    return " ".join(partes) or "su vehículo"


def configuracion() -> dict[str, str]:
    """The sender and the shop's contact (stack parameters), from the SSM parameter the template writes,
    cached for five minutes: a change applies without a new version of the function."""
    from aws_lambda_powertools.utilities import parameters

    valor = parameters.get_parameter(settings().config_correo, transform="json", max_age=300)
    return {k: str(v or "") for k, v in dict(valor).items()}


def contenido(expediente: Mapping[str, Any], paso: str, config: Mapping[str, str]) -> tuple[str, str, str]:
    """(subject, text, HTML) of one step's e-mail, in Spanish."""
    titulo, descripcion = PASOS[paso]
    no = str(expediente["no_siniestro"])
    vehiculo = _vehiculo(expediente)
    contacto = [config.get("taller") or "el taller"]
    if config.get("telefono"):
        contacto.append(f"teléfono {config['telefono']}")
    if config.get("correo"):
        contacto.append(f"correo {config['correo']}")
    asunto = f"{titulo}: siniestro {no}"
    texto = (
        "Hola:\n\n"
        f"Le informamos el avance de la reparación de su vehículo {vehiculo} (siniestro {no}).\n\n"
        f"{titulo}. {descripcion}\n\n"
        f"Si tiene dudas, comuníquese con {', '.join(contacto)}.\n\n"
        "Este es un mensaje automático; por favor no lo responda.\n"
    )
    e = html.escape
    cuerpo_html = (
        "<p>Hola:</p>"
        f"<p>Le informamos el avance de la reparación de su vehículo <b>{e(vehiculo)}</b> (siniestro {e(no)}).</p>"
        f"<p><b>{e(titulo)}.</b> {e(descripcion)}</p>"
        f"<p>Si tiene dudas, comuníquese con {e(', '.join(contacto))}.</p>"
        "<p><small>Este es un mensaje automático; por favor no lo responda.</small></p>"
    )
    return asunto, texto, cuerpo_html


def _reservar(no_siniestro: str, paso: str) -> dict[str, Any] | None:
    """The expediente if this call reserved the step (it must send), None if there is nothing to send."""
    clave = keys.expediente(no_siniestro)
    registro = {"fecha": ahora(), "estado": PENDIENTE}
    for _ in range(INTENTOS_RESERVA):
        expediente = table.get(clave, consistente=True)
        if (
            expediente is None
            or not expediente.get("correo_cliente")
            or expediente.get("notificar_cliente") is not True
        ):
            logger.info(
                "Sin correo de seguimiento: el expediente no lo pide",
                extra={"no_siniestro": no_siniestro, "paso": paso},
            )
            return None
        notificaciones = expediente.get("notificaciones")
        if isinstance(notificaciones, dict) and paso in notificaciones:
            logger.info("Correo de seguimiento ya enviado", extra={"no_siniestro": no_siniestro, "paso": paso})
            return None
        try:
            if isinstance(notificaciones, dict):
                table.update(
                    clave,
                    "SET notificaciones.#paso = :registro",
                    {":registro": registro},
                    condicion="attribute_exists(PK) AND attribute_not_exists(notificaciones.#paso)",
                    nombres={"#paso": paso},
                )
            else:
                table.update(
                    clave,
                    "SET notificaciones = :mapa",
                    {":mapa": {paso: registro}},
                    condicion="attribute_exists(PK) AND attribute_not_exists(notificaciones)",
                )
            return expediente
        except CondicionFallida:
            continue  # another delivery of the event (or of another step) wrote first: read again
    return None


def _marcar(no_siniestro: str, paso: str, estado: str, **extra: Any) -> None:
    table.update(
        keys.expediente(no_siniestro),
        "SET notificaciones.#paso = :registro",
        {":registro": {"fecha": ahora(), "estado": estado, **extra}},
        nombres={"#paso": paso},
        condicion="attribute_exists(PK)",
    )


def _liberar(no_siniestro: str, paso: str) -> None:
    table.update(
        keys.expediente(no_siniestro),
        "REMOVE notificaciones.#paso",
        {":pendiente": PENDIENTE},
        nombres={"#paso": paso, "#estado": "estado"},
        condicion="notificaciones.#paso.#estado = :pendiente",
    )


def notificar(evento: Mapping[str, Any]) -> str | None:
    """Sends the step's e-mail if it is due; returns the step's new status (None: nothing to send)."""
    if evento.get("topico") != Topico.EXPEDIENTE_HITO:
        return None
    datos = evento.get("datos") or {}
    paso, no_siniestro = datos.get("hito"), datos.get("no_siniestro")
    if paso not in PASOS or not isinstance(no_siniestro, str):
        return None
    expediente = _reservar(no_siniestro, paso)
    if expediente is None:
        return None
    from botocore.exceptions import ClientError

    try:
        config = configuracion()
        asunto, texto, cuerpo_html = contenido(expediente, paso, config)
        respuesta = cliente("sesv2").send_email(
            FromEmailAddress=config["remitente"],
            Destination={"ToAddresses": [str(expediente["correo_cliente"])]},
            Content={
                "Simple": {
                    "Subject": {"Data": asunto, "Charset": "UTF-8"},
                    "Body": {
                        "Text": {"Data": texto, "Charset": "UTF-8"},
                        "Html": {"Data": cuerpo_html, "Charset": "UTF-8"},
                    },
                }
            },
        )
    except ClientError as exc:
        codigo = exc.response.get("Error", {}).get("Code", "")
        if codigo in RECHAZOS_SES:
            logger.warning(
                "SES rechazó el correo de seguimiento",
                extra={"no_siniestro": no_siniestro, "paso": paso, "codigo": codigo},
            )
            _marcar(no_siniestro, paso, RECHAZADO, error=codigo)
            return RECHAZADO
        _liberar(no_siniestro, paso)
        raise
    except Exception:
        _liberar(no_siniestro, paso)
        raise
    _marcar(no_siniestro, paso, ENVIADO, id_mensaje=respuesta.get("MessageId"))
    contar(Metrica.CORREO_SEGUIMIENTO)
    logger.info("Correo de seguimiento enviado", extra={"no_siniestro": no_siniestro, "paso": paso})
    return ENVIADO


def procesar(evento: Mapping[str, Any], contexto: Any) -> dict[str, Any]:
    """The notifier's handler body: each SQS record is an EventBridge event; partial batch failures."""
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

    # Powertools passes the record by keyword (`record=`).
    def por_registro(record: SQSRecord) -> None:
        try:
            mensaje = jsoncodec.loads(record.body)
        except ValueError:
            logger.error("Mensaje de correo ilegible", extra={"message_id": record.message_id})
            raise
        notificar((mensaje or {}).get("detail") or {})

    procesador = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    respuesta = process_partial_response(
        event=dict(evento), record_handler=por_registro, processor=procesador, context=contexto
    )
    return dict(respuesta)
