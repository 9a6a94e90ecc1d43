"""The local AWS: moto's server on loopback (unless endpoints are given), with the table created
from template.yaml's own definition, the signing secret and the evidence bucket."""

from __future__ import annotations

import json
import os
import secrets
import socket
from dataclasses import dataclass
from typing import Any

from tools import plantilla

REGION = "us-east-1"


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
            "POWERTOOLS_SERVICE_NAME": "monitor",
            "POWERTOOLS_METRICS_NAMESPACE": "Monitor",
            "POWERTOOLS_TRACE_DISABLED": "true",
            "POWERTOOLS_TRACER_CAPTURE_RESPONSE": "false",
            "POWERTOOLS_DEV": "false",
        }

    def detener(self) -> None:
        if self.servidor is not None:
            self.servidor.stop()
            self.servidor = None


def iniciar(prefijo: str = "monitor-local") -> AwsLocal:
    """Starts moto (or uses AWS_ENDPOINT_URL / DYNAMODB_ENDPOINT_URL) and provisions everything."""
    servidor = None
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    if not endpoint:
        from moto.server import ThreadedMotoServer

        puerto = puerto_libre()
        servidor = ThreadedMotoServer(ip_address="127.0.0.1", port=puerto, verbose=False)
        servidor.start()
        endpoint = f"http://127.0.0.1:{puerto}"
    # Names can be given (e2e tests point the gateway at the test session's resources).
    local = AwsLocal(
        endpoint=endpoint,
        tabla=os.environ.get("MONITOR_TABLE") or f"{prefijo}-tabla",
        secreto=os.environ.get("MONITOR_JWT_SECRET_ID") or f"{prefijo}/firma-jwt",
        bucket=os.environ.get("MONITOR_BUCKET") or f"{prefijo}-evidencias",
        servidor=servidor,
    )
    aprovisionar(local)
    return local


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
