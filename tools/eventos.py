"""API Gateway REST proxy events (and TOKEN authorizer events), as API Gateway builds them."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

CUENTA = "123456789012"
API_ID = "monitorlocal"
ETAPA = "local"
REGION = "us-east-1"


def evento_rest(
    metodo: str,
    recurso: str,
    ruta: str,
    *,
    cuerpo: str | bytes | None = None,
    parametros_ruta: Mapping[str, str] | None = None,
    query: Mapping[str, list[str]] | None = None,
    headers: Mapping[str, list[str]] | None = None,
    autorizador: Mapping[str, Any] | None = None,
    ip: str = "127.0.0.1",
    request_id: str | None = None,
) -> dict[str, Any]:
    """`query` and `headers` are multi-valued, like API Gateway's multiValue* fields."""
    headers = {k: list(v) for k, v in (headers or {}).items()}
    query = {k: list(v) for k, v in (query or {}).items()}
    es_binario = isinstance(cuerpo, bytes)
    if isinstance(cuerpo, bytes):
        try:
            texto: str | None = cuerpo.decode("utf-8")
            es_binario = False
        except UnicodeDecodeError:
            texto = base64.b64encode(cuerpo).decode()
    else:
        texto = cuerpo
    request_id = request_id or str(uuid.uuid4())
    ahora = datetime.now(UTC)
    return {
        "resource": recurso,
        "path": ruta,
        "httpMethod": metodo.upper(),
        "headers": {k: v[-1] for k, v in headers.items()} or None,
        "multiValueHeaders": headers or None,
        "queryStringParameters": {k: v[-1] for k, v in query.items()} or None,
        "multiValueQueryStringParameters": query or None,
        "pathParameters": dict(parametros_ruta) if parametros_ruta else None,
        "stageVariables": None,
        "requestContext": {
            "resourceId": "local",
            "resourcePath": recurso,
            "httpMethod": metodo.upper(),
            "extendedRequestId": request_id,
            "requestTime": ahora.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "path": f"/{ETAPA}{ruta}",
            "accountId": CUENTA,
            "protocol": "HTTP/1.1",
            "stage": ETAPA,
            "domainPrefix": "localhost",
            "requestTimeEpoch": int(ahora.timestamp() * 1000),
            "requestId": request_id,
            "identity": {"sourceIp": ip, "userAgent": headers.get("User-Agent", [""])[-1]},
            "domainName": "localhost",
            "apiId": API_ID,
            "authorizer": dict(autorizador) if autorizador else None,
        },
        "body": texto,
        "isBase64Encoded": es_binario,
    }


def evento_autorizador(cabecera: str, metodo: str, recurso: str) -> dict[str, Any]:
    return {
        "type": "TOKEN",
        "authorizationToken": cabecera,
        "methodArn": f"arn:aws:execute-api:{REGION}:{CUENTA}:{API_ID}/{ETAPA}/{metodo.upper()}{recurso}",
    }
