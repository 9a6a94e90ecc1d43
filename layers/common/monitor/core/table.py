"""DynamoDB access for every module: one lazily built client, typed (de)serialisation, and
`ClientError` codes turned into domain exceptions so no handler ever sees botocore."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, Self

from monitor.core import keys
from monitor.core.errors import CondicionFallida, ServicioNoDisponible, TransaccionCancelada, TransaccionEnConflicto
from monitor.core.observability import logger
from monitor.core.settings import settings

Item = dict[str, Any]

_REINTENTABLES = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
    "TransactionInProgressException",
}


@functools.cache
def cliente() -> Any:
    import boto3
    from botocore.config import Config

    config = Config(
        retries={"mode": "standard", "max_attempts": 3},
        connect_timeout=2,
        read_timeout=5,
        tcp_keepalive=True,
    )
    return boto3.client("dynamodb", endpoint_url=settings().endpoint_dynamodb, config=config)


@functools.cache
def _serializador() -> Any:
    from boto3.dynamodb.types import TypeSerializer

    return TypeSerializer()


@functools.cache
def _deserializador() -> Any:
    from boto3.dynamodb.types import TypeDeserializer

    return TypeDeserializer()


def a_dynamo(item: Mapping[str, Any]) -> dict[str, Any]:
    s = _serializador()
    return {k: s.serialize(v) for k, v in item.items()}


def de_dynamo(item: Mapping[str, Any]) -> Item:
    d = _deserializador()
    return {k: d.deserialize(v) for k, v in item.items()}


def valores(valores: Mapping[str, Any]) -> dict[str, Any]:
    """ExpressionAttributeValues from plain Python values."""
    return a_dynamo(valores)


def entero(valor: Any) -> Any:
    """DynamoDB gives every number back as Decimal; ids, counts and versions leave the data layer as int."""
    return int(valor) if isinstance(valor, Decimal) else valor


def expresion_update(
    asignar: Mapping[str, Any], quitar: Iterable[str] = (), sumar: Mapping[str, Any] | None = None
) -> tuple[str, dict[str, str], dict[str, Any]]:
    """`SET a = :a ... ADD n :n REMOVE r` with every attribute name behind a placeholder (reserved words),
    as (expression, ExpressionAttributeNames, ExpressionAttributeValues); the caller adds its condition's."""
    nombres: dict[str, str] = {}
    valores_expr: dict[str, Any] = {}
    partes: list[str] = []
    asignaciones = []
    for i, (campo, valor) in enumerate(asignar.items()):
        nombres[f"#s{i}"] = campo
        valores_expr[f":s{i}"] = valor
        asignaciones.append(f"#s{i} = :s{i}")
    if asignaciones:
        partes.append("SET " + ", ".join(asignaciones))
    sumas = []
    for i, (campo, valor) in enumerate((sumar or {}).items()):
        nombres[f"#a{i}"] = campo
        valores_expr[f":a{i}"] = valor
        sumas.append(f"#a{i} :a{i}")
    if sumas:
        partes.append("ADD " + ", ".join(sumas))
    quitados = []
    for i, campo in enumerate(quitar):
        nombres[f"#r{i}"] = campo
        quitados.append(f"#r{i}")
    if quitados:
        partes.append("REMOVE " + ", ".join(quitados))
    return " ".join(partes), nombres, valores_expr


@contextmanager
def errores() -> Iterator[None]:
    """Translates botocore failures: throttling and outages become 503, conditions domain signals."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except ClientError as exc:
        codigo = exc.response.get("Error", {}).get("Code", "")
        if codigo == "ConditionalCheckFailedException":
            viejo = exc.response.get("Item")
            raise CondicionFallida(de_dynamo(viejo) if viejo else None) from None
        if codigo == "TransactionCanceledException":
            razones = exc.response.get("CancellationReasons", [])
            codigos = [r.get("Code") if r.get("Code") != "None" else None for r in razones]
            if any(c in _REINTENTABLES or c == "TransactionConflict" for c in codigos) and not any(
                c == "ConditionalCheckFailed" for c in codigos
            ):
                logger.warning("Transacción en conflicto o limitada", extra={"razones": codigos})
                if all(c in (None, "TransactionConflict") for c in codigos):
                    raise TransaccionEnConflicto() from None
                raise ServicioNoDisponible() from None
            items = [de_dynamo(r["Item"]) if r.get("Item") else None for r in razones]
            raise TransaccionCancelada(codigos, items) from None
        if codigo in _REINTENTABLES:
            logger.warning("DynamoDB limitó o falló la solicitud", extra={"codigo": codigo})
            raise ServicioNoDisponible() from None
        raise
    except BotoCoreError as exc:
        logger.warning("DynamoDB inalcanzable", extra={"error": type(exc).__name__})
        raise ServicioNoDisponible() from None


def get(clave: Mapping[str, str], *, consistente: bool = False) -> Item | None:
    with errores():
        respuesta = cliente().get_item(TableName=settings().tabla, Key=a_dynamo(clave), ConsistentRead=consistente)
    item = respuesta.get("Item")
    return de_dynamo(item) if item else None


def get_varios(claves: list[Mapping[str, str]], *, consistente: bool = False) -> list[Item]:
    """BatchGetItem for a handful of keys (at most 100), retrying what DynamoDB leaves unprocessed."""
    if not claves:
        return []
    tabla = settings().tabla
    pendientes: dict[str, Any] = {tabla: {"Keys": [a_dynamo(c) for c in claves], "ConsistentRead": consistente}}
    items: list[Item] = []
    for _ in range(5):
        with errores():
            respuesta = cliente().batch_get_item(RequestItems=pendientes)
        items += [de_dynamo(i) for i in respuesta.get("Responses", {}).get(tabla, [])]
        pendientes = respuesta.get("UnprocessedKeys") or {}
        if not pendientes:
            return items
    raise ServicioNoDisponible()


def query(
    condicion: str,
    valores_expr: Mapping[str, Any],
    *,
    indice: str | None = None,
    limite: int | None = None,
    inicio: Mapping[str, Any] | None = None,
    descendente: bool = False,
    filtro: str | None = None,
    nombres: Mapping[str, str] | None = None,
    consistente: bool = False,
) -> tuple[list[Item], Item | None]:
    """One Query request: a page of items and the key to continue from (None when done)."""
    parametros: dict[str, Any] = {
        "TableName": settings().tabla,
        "KeyConditionExpression": condicion,
        "ExpressionAttributeValues": valores(valores_expr),
        "ScanIndexForward": not descendente,
    }
    if indice:
        parametros["IndexName"] = indice
    elif consistente:
        parametros["ConsistentRead"] = True
    if limite:
        parametros["Limit"] = limite
    if inicio:
        parametros["ExclusiveStartKey"] = a_dynamo(inicio)
    if filtro:
        parametros["FilterExpression"] = filtro
    if nombres:
        parametros["ExpressionAttributeNames"] = dict(nombres)
    with errores():
        respuesta = cliente().query(**parametros)
    ultima = respuesta.get("LastEvaluatedKey")
    return [de_dynamo(i) for i in respuesta.get("Items", [])], de_dynamo(ultima) if ultima else None


def query_pagina(
    condicion: str, valores_expr: Mapping[str, Any], *, filtro: str | None = None, **kwargs: Any
) -> tuple[list[Item], Item | None]:
    """One page of a listing: one Query, and with a FilterExpression further Queries only while the filter
    leaves the page empty, so a page is never empty while a cursor follows (and a listing with nothing to show
    answers one empty page without a cursor)."""
    inicio = kwargs.pop("inicio", None)
    while True:
        items, ultima = query(condicion, valores_expr, filtro=filtro, inicio=inicio, **kwargs)
        if items or ultima is None or filtro is None:
            return items, ultima
        inicio = ultima


def query_todo(condicion: str, valores_expr: Mapping[str, Any], **kwargs: Any) -> list[Item]:
    """Every page of one partition range; only for bounded collections (an expediente's items)."""
    items: list[Item] = []
    inicio = None
    while True:
        pagina, inicio = query(condicion, valores_expr, inicio=inicio, **kwargs)
        items += pagina
        if inicio is None:
            return items


def put(item: Mapping[str, Any], *, condicion: str | None = None, nombres: Mapping[str, str] | None = None) -> None:
    parametros: dict[str, Any] = {"TableName": settings().tabla, "Item": a_dynamo(item)}
    if condicion:
        parametros["ConditionExpression"] = condicion
        parametros["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
    if nombres:
        parametros["ExpressionAttributeNames"] = dict(nombres)
    with errores():
        cliente().put_item(**parametros)


def update(
    clave: Mapping[str, str],
    expresion: str,
    valores_expr: Mapping[str, Any] | None = None,
    *,
    condicion: str | None = None,
    nombres: Mapping[str, str] | None = None,
    devolver: str = "ALL_NEW",
) -> Item:
    """`devolver` is DynamoDB's ReturnValues: `UPDATED_NEW` when the caller needs only what it changed."""
    parametros: dict[str, Any] = {
        "TableName": settings().tabla,
        "Key": a_dynamo(clave),
        "UpdateExpression": expresion,
        "ReturnValues": devolver,
    }
    if valores_expr:
        parametros["ExpressionAttributeValues"] = valores(valores_expr)
    if condicion:
        parametros["ConditionExpression"] = condicion
        parametros["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
    if nombres:
        parametros["ExpressionAttributeNames"] = dict(nombres)
    with errores():
        respuesta = cliente().update_item(**parametros)
    return de_dynamo(respuesta.get("Attributes", {}))


def delete(
    clave: Mapping[str, str],
    *,
    condicion: str | None = None,
    valores_expr: Mapping[str, Any] | None = None,
    nombres: Mapping[str, str] | None = None,
) -> None:
    """A refused condition raises `CondicionFallida` carrying the item as it was (None when there was none)."""
    parametros: dict[str, Any] = {"TableName": settings().tabla, "Key": a_dynamo(clave)}
    if condicion:
        parametros["ConditionExpression"] = condicion
        parametros["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
    if valores_expr:
        parametros["ExpressionAttributeValues"] = valores(valores_expr)
    if nombres:
        parametros["ExpressionAttributeNames"] = dict(nombres)
    with errores():
        cliente().delete_item(**parametros)


def siguiente(nombre: str) -> int:
    """Atomic counter: integer ids and order numbers, never handed out twice."""
    item = update(keys.contador(nombre), "ADD valor :uno", {":uno": 1})
    return int(item["valor"])


# ---- transactions
def _operacion(
    tipo: str,
    cuerpo: dict[str, Any],
    condicion: str | None,
    nombres: Mapping[str, str] | None,
    valores_expr: Mapping[str, Any] | None,
) -> dict[str, Any]:
    cuerpo = {"TableName": settings().tabla, **cuerpo}
    if condicion:
        cuerpo["ConditionExpression"] = condicion
        cuerpo["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
    if valores_expr:
        cuerpo["ExpressionAttributeValues"] = valores(valores_expr)
    if nombres:
        cuerpo["ExpressionAttributeNames"] = dict(nombres)
    return {tipo: cuerpo}


class Transaccion:
    """One TransactWriteItems whose steps have names: a refusal says which step failed by name
    (`exc.fallo("aseguradora")`), so adding a step never renumbers the others."""

    def __init__(self) -> None:
        self._pasos: list[tuple[str, dict[str, Any]]] = []

    def _agregar(self, paso: str, operacion: dict[str, Any]) -> Self:
        if any(nombre == paso for nombre, _ in self._pasos):
            raise ValueError(f"Paso de transacción repetido: {paso}")
        self._pasos.append((paso, operacion))
        return self

    def put(
        self,
        paso: str,
        item: Mapping[str, Any],
        condicion: str | None = None,
        *,
        nombres: Mapping[str, str] | None = None,
        valores_expr: Mapping[str, Any] | None = None,
    ) -> Self:
        return self._agregar(paso, _operacion("Put", {"Item": a_dynamo(item)}, condicion, nombres, valores_expr))

    def update(
        self,
        paso: str,
        clave: Mapping[str, str],
        expresion: str,
        valores_expr: Mapping[str, Any] | None = None,
        *,
        condicion: str | None = None,
        nombres: Mapping[str, str] | None = None,
    ) -> Self:
        cuerpo = {"Key": a_dynamo(clave), "UpdateExpression": expresion}
        return self._agregar(paso, _operacion("Update", cuerpo, condicion, nombres, valores_expr))

    def check(
        self,
        paso: str,
        clave: Mapping[str, str],
        condicion: str,
        valores_expr: Mapping[str, Any] | None = None,
        *,
        nombres: Mapping[str, str] | None = None,
    ) -> Self:
        return self._agregar(
            paso, _operacion("ConditionCheck", {"Key": a_dynamo(clave)}, condicion, nombres, valores_expr)
        )

    def delete(
        self,
        paso: str,
        clave: Mapping[str, str],
        condicion: str | None = None,
        valores_expr: Mapping[str, Any] | None = None,
        *,
        nombres: Mapping[str, str] | None = None,
    ) -> Self:
        return self._agregar(paso, _operacion("Delete", {"Key": a_dynamo(clave)}, condicion, nombres, valores_expr))

    @property
    def pasos(self) -> list[str]:
        return [nombre for nombre, _ in self._pasos]

    def copia(self) -> Transaccion:
        """The same steps in a new transaction, to add different ones to each attempt."""
        otra = Transaccion()
        otra._pasos = list(self._pasos)
        return otra

    def ejecutar(self, token: str | None = None) -> None:
        """All or nothing; a refused condition raises `TransaccionCancelada` naming the steps that failed.
        `token` (ClientRequestToken) makes the SDK's own retries of this call idempotent."""
        parametros: dict[str, Any] = {"TransactItems": [operacion for _, operacion in self._pasos]}
        if token:
            parametros["ClientRequestToken"] = token
        try:
            with errores():
                cliente().transact_write_items(**parametros)
        except TransaccionCancelada as exc:
            exc.pasos = self.pasos
            raise


def borrar_varios(claves: list[Mapping[str, str]]) -> None:
    """BatchWriteItem deletes in chunks of 25, retrying unprocessed ones."""
    _por_lotes([{"DeleteRequest": {"Key": a_dynamo(c)}} for c in claves])


def escribir_varios(items: Iterable[Mapping[str, Any]]) -> None:
    """BatchWriteItem puts (unconditional) in chunks of 25, retrying unprocessed ones."""
    _por_lotes([{"PutRequest": {"Item": a_dynamo(i)}} for i in items])


def _por_lotes(solicitudes: list[dict[str, Any]]) -> None:
    tabla = settings().tabla
    for inicio in range(0, len(solicitudes), 25):
        pendientes: dict[str, Any] = {tabla: solicitudes[inicio : inicio + 25]}
        for _ in range(5):
            with errores():
                respuesta = cliente().batch_write_item(RequestItems=pendientes)
            pendientes = respuesta.get("UnprocessedItems") or {}
            if not pendientes:
                break
        else:
            raise ServicioNoDisponible()
