"""The local AWS: moto's server on loopback (unless endpoints are given), with the table created
from template.yaml's own definition, the signing secret, the evidence bucket, and seguimiento's bus,
queues and rules as the template declares them (names prefixed, everything else as written there)."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
from dataclasses import dataclass
from typing import Any

from tools import plantilla

REGION = "us-east-1"
CUENTA = "123456789012"  # moto's account


def puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class AwsLocal:
    endpoint: str
    tabla: str
    secreto: str
    bucket: str
    servidor: Any = None
    prefijo: str = "monitor-local"  # of the bus, queues and rules (MONITOR_LOCAL_PREFIX overrides)

    # ---- seguimiento's resources, by the template's logical ids
    def nombre(self, logico: str) -> str:
        return f"{self.prefijo}-{logico}"

    def url_cola(self, logico: str) -> str:
        return f"{self.endpoint}/{CUENTA}/{self.nombre(logico)}"

    def arn(self, logico: str) -> str:
        tipo = plantilla.recursos()[logico]["Type"]
        if tipo == "AWS::SQS::Queue":
            return f"arn:aws:sqs:{REGION}:{CUENTA}:{self.nombre(logico)}"
        if tipo == "AWS::Events::EventBus":
            return f"arn:aws:events:{REGION}:{CUENTA}:event-bus/{self.nombre(logico)}"
        if tipo == "AWS::Events::Rule":
            return f"arn:aws:events:{REGION}:{CUENTA}:rule/{self.nombre('EventosBus')}/{self.nombre(logico)}"
        raise ValueError(f"Sin ARN local para {logico} ({tipo})")

    def resolver(self, valor: Any) -> Any:
        """A template value with its Ref / GetAtt resolved to the local resources (parameters: defaults)."""
        if isinstance(valor, dict) and "Ref" in valor:
            return self._referencia(valor["Ref"])
        if isinstance(valor, dict) and "Fn::GetAtt" in valor:
            atributo = valor["Fn::GetAtt"]
            logico, campo = atributo if isinstance(atributo, list) else atributo.split(".", 1)
            return self.nombre(logico) if campo == "QueueName" else self.arn(logico)
        if isinstance(valor, dict):
            return {k: self.resolver(v) for k, v in valor.items()}
        if isinstance(valor, list):
            return [self.resolver(v) for v in valor]
        return valor

    def _referencia(self, ref: str) -> Any:
        parametros = plantilla.parametros()
        if ref in parametros:
            return parametros[ref]
        propios = {"Table": self.tabla, "EvidenciasBucket": self.bucket, "SigningSecret": self.secreto}
        if ref in propios:
            return propios[ref]
        tipo = plantilla.recursos()[ref]["Type"]
        return self.url_cola(ref) if tipo == "AWS::SQS::Queue" else self.nombre(ref)

    def entorno_funciones(self) -> dict[str, str]:
        """The functions' own Environment.Variables (seguimiento's bus, queues, SES sender, shop contact),
        resolved locally: every local function shares one process environment."""
        variables: dict[str, str] = {}
        for recurso in plantilla.recursos("AWS::Serverless::Function").values():
            propias = ((recurso["Properties"].get("Environment") or {}).get("Variables")) or {}
            variables |= {k: str(self.resolver(v)) for k, v in propias.items()}
        return variables

    def entorno(self) -> dict[str, str]:
        """Environment of every function: the template's Globals resolved to the local resources."""
        return {
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "AWS_ACCESS_KEY_ID": os.environ.get("AWS_ACCESS_KEY_ID", "local"),
            "AWS_SECRET_ACCESS_KEY": os.environ.get("AWS_SECRET_ACCESS_KEY", "local"),
            "AWS_ENDPOINT_URL": self.endpoint,
            "MONITOR_TABLE": self.tabla,
            "MONITOR_BUCKET": self.bucket,
            "MONITOR_JWT_SECRET_ID": self.secreto,
            "MONITOR_JWT_ISSUER": "monitor-local",
            "MONITOR_JWT_AUDIENCE": "monitor-api",
            "MONITOR_CORS_ORIGINS": origenes_cors(),
            "POWERTOOLS_SERVICE_NAME": "monitor",
            "POWERTOOLS_METRICS_NAMESPACE": "Monitor",
            "POWERTOOLS_TRACE_DISABLED": "true",
            "POWERTOOLS_TRACER_CAPTURE_RESPONSE": "false",
            "POWERTOOLS_DEV": "false",
            **self.entorno_funciones(),
            # A local run delivers webhooks to receivers on this machine; on AWS that is refused (SSRF).
            "MONITOR_WEBHOOK_ALLOW_LOOPBACK": "1",
            "MONITOR_LOCAL_PREFIX": self.prefijo,
        }

    def detener(self) -> None:
        if self.servidor is not None:
            self.servidor.stop()
            self.servidor = None


def origenes_cors() -> str:
    """The stack's CorsAllowedOrigins for a local run: MONITOR_CORS_ORIGINS when set (a web client on
    http://localhost:5173, say), else the template's default. The gateway's own answers use it too."""
    definida = os.environ.get("MONITOR_CORS_ORIGINS", "").strip()
    return definida or ",".join(plantilla.parametros()["CorsAllowedOrigins"])


# What points `iniciar` at existing resources instead of a moto of its own (a running gateway exports them).
VARIABLES_DE_RECURSOS = (
    "AWS_ENDPOINT_URL",
    "DYNAMODB_ENDPOINT_URL",
    "MONITOR_TABLE",
    "MONITOR_JWT_SECRET_ID",
    "MONITOR_BUCKET",
    "MONITOR_LOCAL_PREFIX",
)


def olvidar_recursos() -> None:
    """For a caller that must never touch the resources of the shell it was started from (the bench)."""
    for variable in VARIABLES_DE_RECURSOS:
        os.environ.pop(variable, None)


def iniciar(
    prefijo: str = "monitor-local", *, aprovisionar_recursos: bool = True, escuchar: str = "127.0.0.1"
) -> AwsLocal:
    """Starts moto (or uses AWS_ENDPOINT_URL / DYNAMODB_ENDPOINT_URL) and provisions everything
    (unless the caller provisions itself, e.g. to keep going when DynamoDB is down). `escuchar` is the address
    moto binds: loopback, or every interface (`0.0.0.0`) when a phone on the LAN must reach its S3."""
    servidor = None
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    if not endpoint:
        from moto.server import ThreadedMotoServer

        puerto = puerto_libre()
        serializar_dynamodb()
        servidor = ThreadedMotoServer(ip_address=escuchar, port=puerto, verbose=False)
        servidor.start()
        endpoint = f"http://127.0.0.1:{puerto}"
    # Names can be given (e2e tests point the gateway at the test session's resources).
    local = AwsLocal(
        endpoint=endpoint,
        tabla=os.environ.get("MONITOR_TABLE") or f"{prefijo}-tabla",
        secreto=os.environ.get("MONITOR_JWT_SECRET_ID") or f"{prefijo}/firma-jwt",
        bucket=os.environ.get("MONITOR_BUCKET") or f"{prefijo}-evidencias",
        servidor=servidor,
        prefijo=os.environ.get("MONITOR_LOCAL_PREFIX") or prefijo,
    )
    if aprovisionar_recursos:
        aprovisionar(local)
    return local


def serializar_dynamodb() -> None:
    """DynamoDB applies each request (a transaction included) atomically. moto's threaded server does not:
    a cancelled transaction restores a snapshot of the whole table, erasing writes other threads made
    meanwhile, and its snapshot can race them. One lock per process makes moto linearizable, so
    concurrency tests measure our code, not the fake. Idempotent."""
    import threading

    from moto.dynamodb.responses import DynamoHandler

    if getattr(DynamoHandler.call_action, "_serializado", False):
        return
    cerrojo = threading.RLock()
    original = DynamoHandler.call_action

    def call_action(self: Any) -> Any:
        with cerrojo:
            return original(self)

    call_action._serializado = True  # type: ignore[attr-defined]
    DynamoHandler.call_action = call_action  # type: ignore[method-assign]
    _transacciones_baratas()


def _transacciones_baratas() -> None:
    """moto snapshots every table a transaction names with a deepcopy, so each transaction costs the size
    of the whole table and bursts queue behind the lock above. With requests serialised, only the items
    the transaction touches can change: snapshot and restore just those."""
    import copy
    import types

    import moto.dynamodb.models as modelos
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    def copia(valor: Any, *args: Any) -> Any:
        return valor if isinstance(valor, Table) else copy.deepcopy(valor, *args)

    modelos.copy = types.SimpleNamespace(deepcopy=copia)  # type: ignore[attr-defined]
    original = modelos.DynamoDBBackend.transact_write_items

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        fotos = []
        for elemento in transact_items:
            _, op = next(iter(elemento.items()))
            tabla = self.tables.get(op.get("TableName"))
            clave = op.get("Key") or op.get("Item") or {}
            if tabla is None or tabla.hash_key_attr not in clave:
                continue
            hash_ = DynamoType(clave[tabla.hash_key_attr])
            rango = DynamoType(clave[tabla.range_key_attr]) if tabla.has_range_key else None
            if tabla.has_range_key and tabla.range_key_attr not in clave:
                continue
            fotos.append((tabla, hash_, rango, copy.deepcopy(tabla.get_item(hash_, rango))))
        flujos = {id(t): (t, len(t.stream_shard.items)) for t, *_ in fotos if t.stream_shard is not None}
        try:
            original(self, transact_items)
        except Exception:
            # DynamoDB's stream never shows a cancelled transaction; moto's keeps the steps applied before
            # the one that failed: drop them, so the local pipeline publishes no event of a refused change.
            for tabla, largo in flujos.values():
                del tabla.stream_shard.items[largo:]
            for tabla, hash_, rango, item in reversed(fotos):
                tabla.delete_item(hash_, rango)
                if item is not None and rango is not None:
                    tabla.items[hash_][rango] = item
                elif item is not None:
                    tabla.items[hash_] = item
            raise

    modelos.DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]


def _cliente(servicio: str, local: AwsLocal) -> Any:
    import boto3

    endpoint = local.endpoint
    if servicio == "dynamodb":
        endpoint = os.environ.get("DYNAMODB_ENDPOINT_URL") or endpoint
    return boto3.client(
        servicio,
        region_name=REGION,
        endpoint_url=endpoint,
        aws_access_key_id=local.entorno()["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=local.entorno()["AWS_SECRET_ACCESS_KEY"],
    )


def aprovisionar(local: AwsLocal) -> None:
    dynamodb = _cliente("dynamodb", local)
    if local.tabla not in dynamodb.list_tables()["TableNames"]:
        dynamodb.create_table(TableName=local.tabla, **plantilla.definicion_tabla())
        dynamodb.get_waiter("table_exists").wait(TableName=local.tabla)
    sm = _cliente("secretsmanager", local)
    try:
        sm.describe_secret(SecretId=local.secreto)
    except sm.exceptions.ResourceNotFoundException:
        sm.create_secret(
            Name=local.secreto, SecretString=json.dumps({"kid": "local-1", "key": secrets.token_urlsafe(48)})
        )
    s3 = _cliente("s3", local)
    existentes = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}
    if local.bucket not in existentes:
        s3.create_bucket(Bucket=local.bucket)
        # As in template.yaml: versioned, so deletes must remove every version.
        s3.put_bucket_versioning(Bucket=local.bucket, VersioningConfiguration={"Status": "Enabled"})
    aprovisionar_seguimiento(local)


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def ip_de_red() -> str:
    """This machine's address on its LAN (the interface of the default route; nothing is sent), or loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            return str(s.getsockname()[0])
        except OSError:
            return "127.0.0.1"


def endpoint_s3_publico(endpoint: str, host_publico: str) -> str:
    """The S3 endpoint functions sign URLs with when a phone must reach it: the same port on the address the
    phone knows this machine by (only a loopback endpoint is rewritten; another host is already reachable)."""
    from urllib.parse import urlsplit, urlunsplit

    partes = urlsplit(endpoint)
    if partes.hostname not in LOOPBACK or host_publico == partes.hostname:
        return endpoint
    return urlunsplit(partes._replace(netloc=f"{host_publico}:{partes.port}" if partes.port else host_publico))


def aprovisionar_seguimiento(local: AwsLocal) -> None:
    """The template's event bus, queues (dead-letter ones first, then those that redrive to them) and rules
    with their targets, plus the SES sender identity. Idempotent."""
    eventbridge = _cliente("events", local)
    for logico in plantilla.recursos("AWS::Events::EventBus"):
        with contextlib.suppress(eventbridge.exceptions.ResourceAlreadyExistsException):
            eventbridge.create_event_bus(Name=local.nombre(logico))
    sqs = _cliente("sqs", local)
    colas = plantilla.recursos("AWS::SQS::Queue")
    for logico, recurso in sorted(colas.items(), key=lambda par: "RedrivePolicy" in par[1]["Properties"]):
        props = local.resolver(recurso["Properties"])
        atributos = {
            clave: str(props[clave]) for clave in ("VisibilityTimeout", "MessageRetentionPeriod") if clave in props
        }
        if "RedrivePolicy" in props:
            atributos["RedrivePolicy"] = json.dumps(props["RedrivePolicy"])
        sqs.create_queue(QueueName=local.nombre(logico), Attributes=atributos)
    for logico, recurso in plantilla.recursos("AWS::Events::Rule").items():
        props = local.resolver(recurso["Properties"])
        eventbridge.put_rule(
            Name=local.nombre(logico),
            EventBusName=props["EventBusName"],
            EventPattern=json.dumps(props["EventPattern"]),
            State="ENABLED",
        )
        objetivos = [{"Id": t["Id"], "Arn": t["Arn"]} for t in props["Targets"]]
        eventbridge.put_targets(Rule=local.nombre(logico), EventBusName=props["EventBusName"], Targets=objetivos)
    parametros = plantilla.parametros()
    ssm = _cliente("ssm", local)
    for logico, recurso in plantilla.recursos("AWS::SSM::Parameter").items():
        valor = plantilla.resolver(recurso["Properties"]["Value"], parametros)
        ssm.put_parameter(Name=local.nombre(logico), Value=valor, Type="String", Overwrite=True)
    if parametros.get("SesSenderAddress"):
        _cliente("ses", local).verify_email_identity(EmailAddress=parametros["SesSenderAddress"])
