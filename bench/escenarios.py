"""Warm latency of the hot endpoints, in-process against moto's server on loopback, each beside its floor:
the DynamoDB requests the endpoint fundamentally needs (docs/data-model.md), sent with a bare boto3 client.

Fixtures are created through the handlers themselves (expedientes_create, ordenes_receive), so the
items have the shape production writes. A scenario whose function does not exist yet is reported as
"pendiente" instead of failing the run.
"""

from __future__ import annotations

import base64
import copy
import gzip
import hashlib
import hmac
import itertools
import json
import logging
import os
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from bench.dynamo import Llamada, Observador
from monitor.core import keys
from monitor.ordenes.campos import CAMPOS_RESUMEN
from tools import aws_local, eventos, funciones

Evento = dict[str, Any]
CUERPO_EXPEDIENTE = {
    "nombre_cliente": "Juan García",
    "telefono_cliente": "555-100-2000",
    "correo_cliente": "juan@example.com",
    "marca": "Toyota",
    "modelo": "Corolla",
    "tipo": "Sedán",
    "color": "Blanco",
    "placas": "ABC-123",
    "factura": "F-00123",
    "orden": "OT-2024-045",
    "asesor": "María López",
    "observaciones": "Daño lateral derecho severo.",
    "fecha_ingreso": "2024-03-15",
    "fecha_entrega": "2024-04-15",
    "id_aseguradora": 1,
}
# GET /api/expedientes is measured with ?limit=10 over 20 expedientes: moto's response serializer costs
# ~20 ms per listed item on a loaded 2-core machine, which would swamp the handler and the time budget
# with the default page of 50. Handler and floor ask for the same page, so the ratio stays fair.
LIMITE_LISTA = 10
EXPEDIENTES_LISTA = 20
LOTE = 25  # calls between clean-ups
CHECKLIST = ("CHKH", "CHKP", "SALH", "SALP")  # expedientes of the checklist scenarios (handler H, floor P)
RUTA_CHECKLIST = "/api/expedientes/{no_siniestro}/checklist"
CHECKLIST_APROBADO = {
    "fecha_inspeccion": "2024-04-01",
    "hora": "16:45",
    "inspeccionado_por": "Carlos Pérez",
    "aprobada": True,
    "deducible": 2500.75,
    "fecha_entrega": "2024-04-02",
    "nombre_quien_recibe": "Juan García",
}


def orden_servicio(sid: int, no_siniestro: str) -> dict[str, Any]:
    """The seed's example order (infopiezas), two items, accented names as a real sender would send."""
    item = {
        "itemId": 101,
        "itemCode": "DEF-DEL",
        "itemName": "Defensa delantera",
        "itemQuantity": 1,
        "itemActionId": 2,
        "itemActionName": "Reparar",
        "workshopServiceId": 7,
        "workshopServiceCode": "HOJ",
        "workshopServiceName": "Hojalatería",
        "workshopServicePrice": 1850.50,
        "otherCosts": 0,
    }
    return {
        "serviceOrderId": sid,
        "serviceOrderGuid": str(uuid.uuid4()),
        "requestId": 5512,
        "claimId": 9921,
        "insuranceClaimNumber": no_siniestro,
        "deliveryDays": 5,
        "createdOnUtcDate": "2024-03-16T14:37:26.903Z",
        "createdByEmailAddress": "ajustador@aseguradora.example",
        "createdByDisplayName": "Ana Peña",
        "workshopPersonTaxId": "131-12345-6",
        "workshopPersonName": "Taller Monitor",
        "subTotalAmount": 3701.00,
        "differenceAmount": 0,
        "deductibleAmount": 500.00,
        "taxTotalAmount": 592.16,
        "comments": "Reparar defensa y faro",
        "items": [item, {**item, "itemId": 102, "itemName": "Faro izquierdo", "workshopServicePrice": 0}],
    }


@contextmanager
def sin_stdout() -> Iterator[None]:
    """Powertools logs and EMF metrics go to stdout as in Lambda; keep them off the report."""
    sys.stdout.flush()
    guardado = os.dup(1)
    nulo = os.open(os.devnull, os.O_WRONLY)
    os.dup2(nulo, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(guardado, 1)
        os.close(guardado)
        os.close(nulo)


@dataclass
class Escenario:
    """One endpoint: a fresh event per call (built outside the timing), the check of its answer, its floor."""

    nombre: str
    funcion: str
    evento: Callable[[int], Evento]
    esperado: set[int]
    piso: Callable[[int], None]
    kdf: Callable[[], object] | None = None
    pendiente: str | None = None
    # The handler's own work is the point (filling a form): its overhead over the floor is the figure, no target.
    informativo: bool = False


@dataclass
class Tiempos:
    handler: list[float] = field(default_factory=list)
    piso: list[float] = field(default_factory=list)
    kdf: list[float] = field(default_factory=list)


class Banco:
    """The local AWS, the callers and the fixtures every scenario shares."""

    def __init__(self) -> None:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's server logs every request
        aws_local.olvidar_recursos()  # a fresh prefix, never a running gateway's resources
        self.local = aws_local.iniciar(prefijo=f"bench-{uuid.uuid4().hex[:6]}")
        os.environ.update(self.local.entorno())
        # Imported only now: monitor.core.settings reads the environment once, and it must be this one.
        import boto3
        from botocore.config import Config

        boto3.setup_default_session(region_name=aws_local.REGION)
        from monitor.core import table
        from monitor.core.settings import settings
        from monitor.usuarios import semilla

        settings.cache_clear()
        semilla.sembrar("admin", "admin-" + uuid.uuid4().hex)
        self.tabla = settings().tabla
        self.cliente_capa = table.cliente()
        self.observador = Observador()
        self.observador.instalar_scan(self.cliente_capa)
        # The floor's client is configured like the layer's (monitor.core.table.cliente), only bare.
        config = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2, read_timeout=5)
        self.crudo = boto3.client("dynamodb", endpoint_url=self.local.endpoint, config=config)
        self.modulos: dict[str, Any] = {}
        self._ids = itertools.count(1)  # serviceOrderIds: the moto server is new, so are the ids

    # ---- calling handlers the way API Gateway does
    def modulo(self, nombre: str) -> Any:
        if nombre not in self.modulos:
            self.modulos[nombre] = funciones.cargar(nombre)
        return self.modulos[nombre]

    def llamar(self, nombre: str, evento: Evento, esperado: set[int]) -> Any:
        respuesta = self.modulo(nombre).lambda_handler(evento, funciones.Contexto(function_name=nombre))
        estado = respuesta.get("statusCode", 200) if isinstance(respuesta, dict) else None
        if "policyDocument" in (respuesta or {}):
            efecto = respuesta["policyDocument"]["Statement"][0]["Effect"]
            estado = 200 if efecto == "Allow" else 401
        if estado not in esperado:
            raise RuntimeError(f"{nombre} respondió {estado}: {str(respuesta.get('body'))[:300]}")
        return respuesta

    @staticmethod
    def evento(
        metodo: str,
        recurso: str,
        *,
        ruta: dict[str, str] | None = None,
        cuerpo: Any = None,
        llamante: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        query: dict[str, str] | None = None,
    ) -> Evento:
        camino = recurso
        for clave, valor in (ruta or {}).items():
            camino = camino.replace("{" + clave + "}", valor)
        texto = cuerpo if isinstance(cuerpo, (str, bytes)) or cuerpo is None else json.dumps(cuerpo)
        cabeceras = {"Content-Type": ["application/json"], **{k: [v] for k, v in (headers or {}).items()}}
        return eventos.evento_rest(
            metodo,
            recurso,
            camino,
            cuerpo=texto,
            parametros_ruta=ruta,
            query={k: [v] for k, v in (query or {}).items()},
            headers=cabeceras,
            autorizador=llamante,
        )

    def nuevo_id(self) -> int:
        return next(self._ids)

    def siniestro(self, etiqueta: str) -> str:
        return f"BENCH-{etiqueta}-{uuid.uuid4().hex[:6].upper()}"

    def detener(self) -> None:
        self.local.detener()


@dataclass
class Personal:
    """A staff user with a real token and the context the authorizer would hand to functions."""

    id: int
    username: str
    password: str
    token: str
    hash: str

    @property
    def contexto(self) -> dict[str, Any]:
        return {"principalId": str(self.id), "username": self.username, "rol": "Operador"}


@dataclass
class Integracion:
    """An insurer platform's client (signature required), with its token and signing key."""

    client_id: str
    hmac_key: str
    token: str

    @property
    def contexto(self) -> dict[str, Any]:
        return {"principalId": self.client_id, "username": self.client_id, "rol": "Integracion", "id_aseguradora": 1}

    def firmar(self, cuerpo: str) -> dict[str, str]:
        firma = hmac.new(self.hmac_key.encode(), cuerpo.encode("utf-8"), hashlib.sha256).hexdigest()
        return {"X-Infopiezas-Hmac-Sha256": firma, "X-Infopiezas-Topic": "serviceorders/create"}


def crear_personal(banco: Banco) -> Personal:
    from monitor.auth.tokens import emitir_token
    from monitor.usuarios import servicio as usuarios
    from monitor.usuarios.campos import Rol

    username = f"bench-op-{uuid.uuid4().hex[:6]}"
    password = "clave-" + uuid.uuid4().hex[:12]
    item = usuarios.crear(nombre="Operador de banco", username=username, password=password, rol=Rol.OPERADOR)
    guardado = usuarios.obtener(int(item["id"]), consistente=True) or {}
    token = emitir_token(sub=str(item["id"]), username=username, rol=Rol.OPERADOR, version=1, ttl=3600)
    return Personal(int(item["id"]), username, password, token, str(guardado.get("hash", "")))


def crear_integracion() -> Integracion:
    from monitor.auth import clientes
    from monitor.auth.tokens import emitir_token
    from monitor.usuarios.campos import Rol

    item = clientes.crear(nombre="Aseguradora de banco", id_aseguradora=1, exigir_firma=True)
    token = emitir_token(
        sub=item["client_id"], username=item["client_id"], rol=Rol.INTEGRACION, version=1, ttl=3600, id_aseguradora=1
    )
    return Integracion(item["client_id"], item["hmac_key"], token)


def crear_expediente(banco: Banco, op: Personal, no: str) -> None:
    cuerpo = {**CUERPO_EXPEDIENTE, "no_siniestro": no}
    banco.llamar(
        "expedientes_create", banco.evento("POST", "/api/expedientes", cuerpo=cuerpo, llamante=op.contexto), {201}
    )


def cambiar_estado(banco: Banco, op: Personal, no: str, estado: str) -> None:
    evento = banco.evento(
        "PATCH",
        "/api/expedientes/{no_siniestro}/estado",
        ruta={"no_siniestro": no},
        cuerpo={"estado": estado},
        llamante=op.contexto,
    )
    banco.llamar("expedientes_estado", evento, {200})


def evento_orden(banco: Banco, cliente: Integracion, sid: int, no: str) -> Evento:
    texto = json.dumps(orden_servicio(sid, no))
    return banco.evento(
        "POST", "/serviceOrders", cuerpo=texto, llamante=cliente.contexto, headers=cliente.firmar(texto)
    )


def evento_cancelacion(banco: Banco, cliente: Integracion, sid: int) -> Evento:
    texto = json.dumps(
        {
            "serviceOrderId": sid,
            "comments": "El asegurado desistió",
            "cancelledByEmailAddress": "ajustador@aseguradora.example",
            "cancelledByDisplayName": "Ana Peña",
        }
    )
    return banco.evento(
        "POST",
        "/serviceOrders/{serviceOrderId}/cancel",
        ruta={"serviceOrderId": str(sid)},
        cuerpo=texto,
        llamante=cliente.contexto,
        headers=cliente.firmar(texto),
    )


# ---- floors: the requests of docs/data-model.md, parameters prepared once, sent with the bare client
class Limpieza:
    """Deletes what the timed loops wrote, between batches (never inside the timing).

    moto deep-copies the whole table for every TransactWriteItems and walks every item for a GSI Query,
    so a table that grows with each iteration would make later iterations slower than earlier ones.
    """

    def __init__(self, banco: Banco) -> None:
        self.c = banco.crudo
        self.t = banco.tabla

    def _borrar(self, claves: list[dict[str, Any]]) -> None:
        for inicio in range(0, len(claves), 25):
            pendientes: dict[str, Any] = {self.t: [{"DeleteRequest": {"Key": k}} for k in claves[inicio : inicio + 25]]}
            while pendientes:
                pendientes = self.c.batch_write_item(RequestItems=pendientes).get("UnprocessedItems") or {}

    def coleccion(self, no: str, prefijo: str) -> None:
        """Every `<prefijo>…` item in an expediente's partition (audit, history or order links)."""
        paginador = self.c.get_paginator("query")
        claves = [
            {"PK": i["PK"], "SK": i["SK"]}
            for pagina in paginador.paginate(
                TableName=self.t,
                KeyConditionExpression="PK = :pk AND begins_with(SK, :p)",
                ExpressionAttributeValues={":pk": {"S": f"EXP#{no}"}, ":p": {"S": prefijo}},
                ProjectionExpression="PK, SK",
            )
            for i in pagina.get("Items", [])
        ]
        self._borrar(claves)

    def ordenes(self, sids: list[int]) -> None:
        self._borrar([{"PK": {"S": f"OS#{sid:010d}"}, "SK": {"S": "OS"}} for sid in sids])
        sids.clear()


class Pisos:
    """Bare boto3 equivalents of each endpoint's DynamoDB work, on their own items so they never collide."""

    def __init__(self, banco: Banco) -> None:
        from boto3.dynamodb.types import TypeSerializer

        self.b = banco
        self.c = banco.crudo
        self.t = banco.tabla
        self.ser = TypeSerializer()
        self.ordenes: list[int] = []  # created by the floor, waiting for the floor's cancel
        self.canceladas: list[int] = []  # cancelled by the floor, waiting for clean-up

    def _s(self, valor: Any) -> dict[str, Any]:
        return self.ser.serialize(valor)  # type: ignore[no-any-return]

    def _clave(self, pk: str, sk: str) -> dict[str, Any]:
        return {"PK": {"S": pk}, "SK": {"S": sk}}

    def _enlace(self, orden: dict[str, Any], no: str, pk: str) -> dict[str, Any]:
        """The order's link in the claim's collection, carrying its summary (monitor.ordenes.campos.enlace)."""
        resumen = {k: v for k, v in orden.items() if k in CAMPOS_RESUMEN}
        return {**resumen, **self._clave(f"EXP#{no}", pk), "tipo": {"S": "orden_en_expediente"}}

    def autorizador(self, id_usuario: int) -> Callable[[int], None]:
        clave = self._clave(f"USUARIO#{id_usuario}", "USUARIO")
        return lambda _i: self.c.get_item(TableName=self.t, Key=clave)

    def login(self, op: Personal) -> Callable[[int], None]:
        claves = [self._clave(f"USERNAME#{op.username}", "USERNAME"), self._clave(f"LOGIN#{op.username}", "FALLOS")]
        usuario = self._clave(f"USUARIO#{op.id}", "USUARIO")

        def piso(_i: int) -> None:
            self.c.batch_get_item(RequestItems={self.t: {"Keys": claves, "ConsistentRead": True}})
            self.c.get_item(TableName=self.t, Key=usuario)

        return piso

    def detalle(self, no: str) -> Callable[[int], None]:
        valores = {":pk": {"S": f"EXP#{no}"}, ":desde": {"S": "EXP"}, ":hasta": {"S": "OS$"}}
        aseguradora = self._clave("ASEGURADORAS", "ASEG#0000000001")

        def piso(_i: int) -> None:
            self.c.query(
                TableName=self.t,
                KeyConditionExpression="PK = :pk AND SK BETWEEN :desde AND :hasta",
                ExpressionAttributeValues=valores,
            )
            self.c.get_item(TableName=self.t, Key=aseguradora)

        return piso

    def lista(self) -> Callable[[int], None]:
        def piso(_i: int) -> None:
            self.c.query(
                TableName=self.t,
                IndexName="GSI1",
                KeyConditionExpression="GSI1PK = :pk",
                ExpressionAttributeValues={":pk": {"S": "EXPEDIENTES"}},
                ScanIndexForward=False,
                Limit=LIMITE_LISTA,
            )

        return piso

    def _evento(self, no: str, topico: str) -> dict[str, Any]:
        """An outbox item as the handlers write it in their transactions (monitor.seguimiento.eventos)."""
        id_evento = str(uuid.uuid4())
        momento = "2026-01-01T00:00:00.000Z"
        return {
            **self._clave(f"EXP#{no}", f"OUT#{momento}#{id_evento}"),
            "tipo": {"S": "evento"},
            "id": {"S": id_evento},
            "topico": {"S": topico},
            "fecha": {"S": momento},
            "id_aseguradora": {"N": "1"},
            "datos": {"M": {"no_siniestro": {"S": no}, "estado_nuevo": {"S": "Restauracion"}}},
            "expira": {"N": "1800000000"},
        }

    def _leer_y_escribir(
        self,
        no: str,
        escribir: Callable[[dict[str, Any], int, int, str], tuple[dict[str, Any], dict[str, Any]]],
        adicionales: Callable[[dict[str, Any]], list[dict[str, Any]]] = lambda _leido: [],
    ) -> Callable[[int], None]:
        """GetItem (consistent) then one TransactWrite: the Update and the log item `escribir` builds from the
        item read (with its version, the call's index and a timestamp), the Put conditioned on a new key, and
        the `adicionales` steps (the report counters a transition moves)."""
        clave = self._clave(f"EXP#{no}", "EXP")

        def piso(i: int) -> None:
            leido = self.c.get_item(TableName=self.t, Key=clave, ConsistentRead=True)["Item"]
            momento = f"2026-01-01T00:00:{i % 60:02d}.{i:06d}Z"
            update, registro = escribir(leido, int(leido["version"]["N"]), i, momento)
            self.c.transact_write_items(
                TransactItems=[
                    {"Update": {"TableName": self.t, "Key": clave, **update}},
                    {"Put": {"TableName": self.t, "Item": registro, "ConditionExpression": "attribute_not_exists(PK)"}},
                    *adicionales(leido),
                    *self._tokens(no, leido),
                ]
            )

        return piso

    def _tokens(self, no: str, leido: dict[str, Any]) -> list[dict[str, Any]]:
        """The search index's token items each write rewrites in its transaction: a copy of the expediente
        under each token's keys (monitor.expedientes.busqueda.escribir_indice)."""
        copia = {k: v for k, v in leido.items() if not k.startswith("GSI") and k not in ("PK", "SK", "tokens_busqueda")}
        puts = []
        for token in (t["S"] for t in leido.get("tokens_busqueda", {}).get("L", [])):
            claves = {**keys.busqueda(no, token), **keys.listas_busqueda(no, token, leido["estado"]["S"], 1)}
            puts.append({"Put": {"TableName": self.t, "Item": {**copia, **{k: {"S": v} for k, v in claves.items()}}}})
        return puts

    def busqueda(self, palabra: str) -> Callable[[int], None]:
        def piso(_i: int) -> None:
            self.c.query(
                TableName=self.t,
                IndexName="GSI1",
                KeyConditionExpression="GSI1PK = :pk AND begins_with(GSI1SK, :palabra)",
                ExpressionAttributeValues={":pk": {"S": keys.busqueda_todos(palabra[0])}, ":palabra": {"S": palabra}},
                Limit=LIMITE_LISTA,
            )

        return piso

    def logout(self, id_usuario: int) -> Callable[[int], None]:
        clave = self._clave(f"USUARIO#{id_usuario}", "USUARIO")

        def piso(_i: int) -> None:
            self.c.update_item(
                TableName=self.t,
                Key=clave,
                UpdateExpression="ADD version_token :uno",
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeValues={":uno": {"N": "1"}},
            )

        return piso

    def actualizar(self, no: str) -> Callable[[int], None]:
        def escribir(
            _leido: dict[str, Any], version: int, i: int, momento: str
        ) -> tuple[dict[str, Any], dict[str, Any]]:
            update = {
                "UpdateExpression": "SET observaciones = :o, #version = :version",
                "ConditionExpression": "#version = :leida",
                "ExpressionAttributeNames": {"#version": "version"},
                "ExpressionAttributeValues": {
                    ":o": {"S": f"Revisión {i}"},
                    ":version": {"N": str(version + 1)},
                    ":leida": {"N": str(version)},
                },
            }
            registro = {
                **self._clave(f"EXP#{no}", f"AUD#{momento}#{uuid.uuid4().hex[:8]}"),
                "tipo": {"S": "bench"},
                "fecha": {"S": momento},
                "usuario": {"M": {"id": {"N": "1"}, "username": {"S": "bench"}}},
                "cambios": {"L": [{"M": {"campo": {"S": "observaciones"}, "nuevo": {"S": str(i)}}}]},
            }
            return update, registro

        return self._leer_y_escribir(no, escribir)

    def estado(self, no: str) -> Callable[[int], None]:
        """What a transition writes: state, version, timestamp and the by-state index under a condition on
        the state and version read, plus the history entry (monitor.expedientes.estados.cambiar)."""
        siguiente = {"Ingreso": "Restauracion", "Restauracion": "Ingreso"}

        def escribir(
            leido: dict[str, Any], version: int, _i: int, momento: str
        ) -> tuple[dict[str, Any], dict[str, Any]]:
            actual = leido["estado"]["S"]
            nuevo = siguiente[actual]
            indice = keys.listas_expediente(no, leido.get("fecha_ingreso", {}).get("S"), nuevo, None)
            update = {
                "UpdateExpression": "SET estado = :nuevo, #version = :version, actualizado_en = :momento, "
                "GSI2PK = :gsi2pk, GSI2SK = :gsi2sk",
                "ConditionExpression": "estado = :actual AND #version = :leida",
                "ExpressionAttributeNames": {"#version": "version"},
                "ExpressionAttributeValues": {
                    ":nuevo": {"S": nuevo},
                    ":version": {"N": str(version + 1)},
                    ":momento": {"S": momento},
                    ":gsi2pk": {"S": indice["GSI2PK"]},
                    ":gsi2sk": {"S": indice["GSI2SK"]},
                    ":actual": {"S": actual},
                    ":leida": {"N": str(version)},
                },
            }
            registro = {
                **self._clave(f"EXP#{no}", f"HIST#{momento}#{uuid.uuid4().hex[:8]}"),
                "tipo": {"S": "historial"},
                "estado_anterior": {"S": actual},
                "estado_nuevo": {"S": nuevo},
                "fecha_cambio": {"S": momento},
                "cambiado_por": {"M": {"id": {"N": "1"}, "username": {"S": "bench"}}},
            }
            return update, registro

        def contadores(leido: dict[str, Any]) -> list[dict[str, Any]]:
            """The unit counters the transition moves (monitor.reportes.agregados.contar): -1 old, +1 new."""
            actual = leido["estado"]["S"]
            return [
                {
                    "Update": {
                        "TableName": self.t,
                        "Key": {k: {"S": v} for k, v in keys.unidades(estado, 1, i).items()},
                        "UpdateExpression": "ADD unidades :n",
                        "ExpressionAttributeValues": {":n": {"N": n}},
                    }
                }
                for i, (estado, n) in enumerate(((actual, "-1"), (siguiente[actual], "1")))
            ]

        def contadores_y_evento(leido: dict[str, Any]) -> list[dict[str, Any]]:
            evento = {"Put": {"TableName": self.t, "Item": self._evento(no, "expediente.estado_cambiado")}}
            return [*contadores(leido), evento]

        return self._leer_y_escribir(no, escribir, contadores_y_evento)

    def checklist(self, no: str) -> Callable[[int], None]:
        clave = self._clave(f"EXP#{no}", "EXP#CHECKLIST")
        return lambda _i: self.c.get_item(TableName=self.t, Key=clave)

    def poner_checklist(self, no: str, sistema: str, nombre_item: str) -> Callable[[int], None]:
        """GetItem (consistent) + TransactWrite: ConditionCheck expediente, Update of the points map and summary
        on the version read, Put audit (monitor.checklists.servicio.guardar)."""
        clave = self._clave(f"EXP#{no}", "EXP#CHECKLIST")
        expediente = self._clave(f"EXP#{no}", "EXP")

        def piso(i: int) -> None:
            leido = self.c.get_item(TableName=self.t, Key=clave, ConsistentRead=True)["Item"]
            version = int(leido["version"]["N"])
            valor = "RE" if i % 2 == 0 else "OK"
            puntos = leido["puntos"]
            anterior = puntos["M"][sistema]["M"][nombre_item]["S"]
            puntos["M"][sistema]["M"][nombre_item] = {"S": valor}
            momento = f"2026-01-01T00:00:{i % 60:02d}.{i:06d}Z"
            quien = {"M": {"id": {"N": "1"}, "username": {"S": "bench"}}}
            cambio = {
                "campo": {"S": f"items.{sistema}.{nombre_item}"},
                "anterior": {"S": anterior},
                "nuevo": {"S": valor},
            }
            self.c.transact_write_items(
                TransactItems=[
                    {
                        "ConditionCheck": {
                            "TableName": self.t,
                            "Key": expediente,
                            "ConditionExpression": "attribute_exists(PK)",
                        }
                    },
                    {
                        "Update": {
                            "TableName": self.t,
                            "Key": clave,
                            "UpdateExpression": "SET puntos = :p, resumen = :r, #version = :v, actualizado_por = :q, "
                            "actualizado_en = :m",
                            "ConditionExpression": "#version = :leida",
                            "ExpressionAttributeNames": {"#version": "version"},
                            "ExpressionAttributeValues": {
                                ":p": puntos,
                                ":r": leido["resumen"],
                                ":v": {"N": str(version + 1)},
                                ":q": quien,
                                ":m": {"S": momento},
                                ":leida": {"N": str(version)},
                            },
                        }
                    },
                    {
                        "Put": {
                            "TableName": self.t,
                            "Item": {
                                **self._clave(f"EXP#{no}", f"AUD#{momento}#{uuid.uuid4().hex[:8]}"),
                                "tipo": {"S": "auditoria"},
                                "recurso": {"S": "checklist"},
                                "fecha": {"S": momento},
                                "usuario": quien,
                                "version": {"N": str(version + 1)},
                                "cambios": {"L": [{"M": cambio}]},
                            },
                            "ConditionExpression": "attribute_not_exists(PK)",
                        }
                    },
                ]
            )

        return piso

    def salida(self, no: str) -> Callable[[int], None]:
        """Into Salida: BatchGetItem (consistent: expediente + checklist) + TransactWrite (state + history + unit
        counters + search token items + outbox event + ConditionCheck on the checklist); back (reopen): GetItem +
        TransactWrite (the same without the check)."""
        expediente = self._clave(f"EXP#{no}", "EXP")
        checklist = self._clave(f"EXP#{no}", "EXP#CHECKLIST")
        estado = ["Pendiente_de_salida"]

        def piso(i: int) -> None:
            actual = estado[0]
            nuevo = "Salida" if actual == "Pendiente_de_salida" else "Pendiente_de_salida"
            if nuevo == "Salida":
                leidos = self.c.batch_get_item(
                    RequestItems={self.t: {"Keys": [expediente, checklist], "ConsistentRead": True}}
                )["Responses"][self.t]
                leido = next(item for item in leidos if item["SK"]["S"] == "EXP")
            else:
                leido = self.c.get_item(TableName=self.t, Key=expediente, ConsistentRead=True)["Item"]
            version = int(leido["version"]["N"])
            momento = f"2026-01-01T00:00:{i % 60:02d}.{i:06d}Z"
            indice = keys.listas_expediente(no, leido.get("fecha_ingreso", {}).get("S"), nuevo, 1)
            pasos: list[dict[str, Any]] = [
                {
                    "Update": {
                        "TableName": self.t,
                        "Key": expediente,
                        "UpdateExpression": "SET estado = :nuevo, #version = :version, actualizado_en = :momento, "
                        "GSI2PK = :gsi2pk, GSI2SK = :gsi2sk",
                        "ConditionExpression": "estado = :actual AND #version = :leida",
                        "ExpressionAttributeNames": {"#version": "version"},
                        "ExpressionAttributeValues": {
                            ":nuevo": {"S": nuevo},
                            ":version": {"N": str(version + 1)},
                            ":momento": {"S": momento},
                            ":gsi2pk": {"S": indice["GSI2PK"]},
                            ":gsi2sk": {"S": indice["GSI2SK"]},
                            ":actual": {"S": actual},
                            ":leida": {"N": str(version)},
                        },
                    }
                },
                {
                    "Put": {
                        "TableName": self.t,
                        "Item": {
                            **self._clave(f"EXP#{no}", f"HIST#{momento}#{uuid.uuid4().hex[:8]}"),
                            "tipo": {"S": "historial"},
                            "estado_anterior": {"S": actual},
                            "estado_nuevo": {"S": nuevo},
                            "fecha_cambio": {"S": momento},
                            "cambiado_por": {"M": {"id": {"N": "1"}, "username": {"S": "bench"}}},
                        },
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
            ]
            pasos += [  # the unit counters the transition moves (monitor.reportes.agregados.contar)
                {
                    "Update": {
                        "TableName": self.t,
                        "Key": {k: {"S": v} for k, v in keys.unidades(estado_contado, 1, n).items()},
                        "UpdateExpression": "ADD unidades :n",
                        "ExpressionAttributeValues": {":n": {"N": delta}},
                    }
                }
                for n, (estado_contado, delta) in enumerate(((actual, "-1"), (nuevo, "1")))
            ]
            pasos += self._tokens(no, leido)  # the search index's copies carry the state
            pasos.append({"Put": {"TableName": self.t, "Item": self._evento(no, "expediente.estado_cambiado")}})
            if nuevo == "Salida":
                pasos.append(
                    {
                        "ConditionCheck": {
                            "TableName": self.t,
                            "Key": checklist,
                            "ConditionExpression": "aprobada = :si AND attribute_exists(fecha_entrega) "
                            "AND attribute_exists(nombre_quien_recibe)",
                            "ExpressionAttributeValues": {":si": {"BOOL": True}},
                        }
                    }
                )
            self.c.transact_write_items(TransactItems=pasos)
            estado[0] = nuevo

        return piso

    def recepcion(self, cliente: Integracion, no: str) -> Callable[[int], None]:
        """BatchGet (client + order) + counter + TransactWrite (order + number + link), as the data model says."""
        plantilla = json.loads(json.dumps(orden_servicio(1, no)), parse_float=Decimal)
        cuerpo = json.dumps(orden_servicio(1, no)).encode()
        base = {k: self._s(v) for k, v in plantilla.items()}
        base["payload_gzip"] = {"B": gzip.compress(cuerpo, mtime=0)}
        clave_cliente = self._clave(f"CLIENTE#{cliente.client_id}", "CLIENTE")

        def piso(_i: int) -> None:
            sid = self.b.nuevo_id()
            pk = f"OS#{sid:010d}"
            self.c.batch_get_item(
                RequestItems={
                    self.t: {
                        "Keys": [clave_cliente, self._clave(pk, "OS"), self._clave(f"EXP#{no}", "EXP")],
                        "ConsistentRead": True,
                    }
                }
            )
            numero = self.c.update_item(
                TableName=self.t,
                Key=self._clave("CONTADOR#bench", "CONTADOR"),
                UpdateExpression="ADD valor :uno",
                ExpressionAttributeValues={":uno": {"N": "1"}},
                ReturnValues="ALL_NEW",
            )["Attributes"]["valor"]["N"]
            orden = {
                **copy.copy(base),
                **self._clave(pk, "OS"),
                "serviceOrderNumber": {"S": f"BN-{numero}"},
                "estado": {"S": "Recibida"},
            }
            orden["serviceOrderId"] = {"N": str(sid)}
            nuevo = "attribute_not_exists(PK)"
            self.c.transact_write_items(
                TransactItems=[
                    {"Put": {"TableName": self.t, "Item": orden, "ConditionExpression": nuevo}},
                    {
                        "Put": {
                            "TableName": self.t,
                            "Item": {**self._clave(f"OSNUM#BN-{numero}", "OSNUM"), "serviceOrderId": {"N": str(sid)}},
                            "ConditionExpression": nuevo,
                        }
                    },
                    {
                        "Put": {
                            "TableName": self.t,
                            "Item": self._enlace(orden, no, pk),
                            "ConditionExpression": nuevo,
                        }
                    },
                    {  # the claim still has its expediente (monitor.reportes.agregados.orden_recibida)
                        "ConditionCheck": {
                            "TableName": self.t,
                            "Key": self._clave(f"EXP#{no}", "EXP"),
                            "ConditionExpression": "attribute_exists(PK)",
                        }
                    },
                    # received, and the unit's status (its expediente exists)
                    {"Put": {"TableName": self.t, "Item": self._evento(no, "orden_servicio.recibida")}},
                    {"Put": {"TableName": self.t, "Item": self._evento(no, "orden_servicio.estatus_cambiado")}},
                ]
            )
            self.ordenes.append(sid)

        return piso

    def cancelacion(self, cliente: Integracion, no: str) -> Callable[[int], None]:
        """BatchGet (client + order) + TransactWrite (update order, put link, check the expediente's state)."""
        clave_cliente = self._clave(f"CLIENTE#{cliente.client_id}", "CLIENTE")

        def piso(_i: int) -> None:
            sid = self.ordenes.pop(0)
            self.canceladas.append(sid)
            pk = f"OS#{sid:010d}"
            leidos = self.c.batch_get_item(
                RequestItems={self.t: {"Keys": [clave_cliente, self._clave(pk, "OS")], "ConsistentRead": True}}
            )["Responses"][self.t]
            orden: dict[str, Any] = next((item for item in leidos if item["SK"]["S"] == "OS"), {})
            cancelacion = {
                "M": {
                    "fecha": {"S": "2026-01-01T00:00:00.000Z"},
                    "cancelado_por_email": {"S": "ajustador@aseguradora.example"},
                    "cancelado_por_nombre": {"S": "Ajustador"},
                    "comentarios": {"S": "Cancelada por el ajustador"},
                    "client_id": {"S": cliente.client_id},
                }
            }
            self.c.transact_write_items(
                TransactItems=[
                    {
                        "Update": {
                            "TableName": self.t,
                            "Key": self._clave(pk, "OS"),
                            "UpdateExpression": "SET estado = :c, cancelacion = :cancelacion, GSI2PK = :gsi2",
                            "ConditionExpression": "estado = :r",
                            "ExpressionAttributeValues": {
                                ":c": {"S": "Cancelada"},
                                ":r": {"S": "Recibida"},
                                ":cancelacion": cancelacion,
                                ":gsi2": {"S": "ORDENES#ESTADO#Cancelada"},
                            },
                        }
                    },
                    {
                        "Put": {
                            "TableName": self.t,
                            "Item": {
                                **self._enlace(orden, no, pk),
                                "estado": {"S": "Cancelada"},
                                "cancelacion": cancelacion,
                            },
                        }
                    },
                    {
                        "ConditionCheck": {
                            "TableName": self.t,
                            "Key": self._clave(f"EXP#{no}", "EXP"),
                            "ConditionExpression": "attribute_not_exists(PK) OR estado = :i"
                            " OR attribute_not_exists(id_aseguradora) OR id_aseguradora <> :a",
                            "ExpressionAttributeValues": {":i": {"S": "Ingreso"}, ":a": {"N": "1"}},
                        }
                    },
                    {  # out of the claim's orders without an expediente (monitor.reportes.agregados)
                        "Update": {
                            "TableName": self.t,
                            "Key": self._clave(f"EXP#{no}", "SIN_EXPEDIENTE"),
                            "UpdateExpression": "DELETE ordenes :o",
                            "ExpressionAttributeValues": {":o": {"SS": [f"{sid}"]}},
                        }
                    },
                    {"Put": {"TableName": self.t, "Item": self._evento(no, "orden_servicio.cancelada")}},
                ]
            )

        return piso


class PisosLevantamiento:
    """The damage survey's requests (docs/data-model.md), bare: the two items read by one BatchGetItem, written
    by one transaction with the audit entry and the check on the expediente."""

    def __init__(self, pisos: Pisos) -> None:
        self.p = pisos
        self.c = pisos.c
        self.t = pisos.t

    def _claves(self, no: str, *, expediente: bool = False) -> list[dict[str, Any]]:
        claves = [self.p._clave(f"EXP#{no}", "LEV"), self.p._clave(f"EXP#{no}", "CONCEPTOS#LEV")]
        return [*claves, self.p._clave(f"EXP#{no}", "EXP")] if expediente else claves

    def _leer(self, no: str, *, consistente: bool, expediente: bool = False) -> dict[str, dict[str, Any]]:
        respuesta = self.c.batch_get_item(
            RequestItems={self.t: {"Keys": self._claves(no, expediente=expediente), "ConsistentRead": consistente}}
        )
        return {i["SK"]["S"]: i for i in respuesta["Responses"][self.t]}

    def _escribir(self, no: str, cabecera: dict[str, Any], version: int, i: int, lista: dict[str, Any] | None) -> None:
        momento = f"2026-01-01T00:00:{i % 60:02d}.{i:06d}Z"
        cabecera = {**cabecera, "version": {"N": str(version + 1)}, "actualizado_en": {"S": momento}}
        auditoria = {
            **self.p._clave(f"EXP#{no}", f"AUD#{momento}#{uuid.uuid4().hex[:8]}"),
            "tipo": {"S": "auditoria"},
            "recurso": {"S": "levantamiento"},
            "fecha": {"S": momento},
            "usuario": {"M": {"id": {"N": "1"}, "username": {"S": "bench"}}},
            "version": {"N": str(version + 1)},
            "cambios": {"L": [{"M": {"campo": {"S": "kilometraje"}, "nuevo": {"N": str(i)}}}]},
        }
        pasos: list[dict[str, Any]] = [
            {
                "ConditionCheck": {
                    "TableName": self.t,
                    "Key": self.p._clave(f"EXP#{no}", "EXP"),
                    "ConditionExpression": "attribute_exists(PK)",
                }
            },
            {
                "Put": {
                    "TableName": self.t,
                    "Item": cabecera,
                    "ConditionExpression": "#version = :leida",
                    "ExpressionAttributeNames": {"#version": "version"},
                    "ExpressionAttributeValues": {":leida": {"N": str(version)}},
                }
            },
            {"Put": {"TableName": self.t, "Item": auditoria, "ConditionExpression": "attribute_not_exists(PK)"}},
        ]
        if lista is not None:
            pasos.append({"Put": {"TableName": self.t, "Item": lista}})
        self.c.transact_write_items(TransactItems=pasos)

    def obtener(self, no: str) -> Callable[[int], None]:
        def piso(_i: int) -> None:
            self._leer(no, consistente=False)

        return piso

    def guardar(self, no: str) -> Callable[[int], None]:
        def piso(i: int) -> None:
            leidos = self._leer(no, consistente=True, expediente=True)
            cabecera = {**leidos["LEV"], "kilometraje": {"N": str(i)}}
            self._escribir(no, cabecera, int(cabecera["version"]["N"]), i, None)

        return piso

    def agregar(self, no: str) -> Callable[[int], None]:
        def piso(i: int) -> None:
            leidos = self._leer(no, consistente=True)
            cabecera, lista = leidos["LEV"], leidos["CONCEPTOS#LEV"]
            linea = {
                "M": {
                    "id": {"N": str(i + 1000)},
                    "claves": {"S": "FAR-IZQ"},
                    "concepto": {"S": f"Faro izquierdo {i}"},
                    "costo": {"N": "2450"},
                }
            }
            revision = {"S": uuid.uuid4().hex[:12]}
            lista = {**lista, "conceptos": {"L": [*lista["conceptos"]["L"], linea]}, "revision": revision}
            cabecera = {**cabecera, "revision_conceptos": revision, "num_conceptos": {"N": str(i)}}
            self._escribir(no, cabecera, int(cabecera["version"]["N"]), i, lista)

        return piso


def kdf(op: Personal) -> Callable[[], object]:
    """The login's scrypt verification alone, with the parameters stored in the user's hash."""
    _, n, r, p, sal, _esperado = op.hash.split("$")
    sal_bytes = base64.b64decode(sal)
    return lambda: hashlib.scrypt(op.password.encode(), salt=sal_bytes, n=int(n), r=int(r), p=int(p), dklen=32)


def existe(nombre: str) -> bool:
    return (funciones.FUNCIONES / nombre / "app.py").is_file()


@dataclass
class Grupo:
    """Scenarios measured in the same loop (an order is created, then cancelled), and the clean-up they need."""

    escenarios: list[Escenario]
    limpiar: Callable[[], None] = lambda: None


def _pendientes(motivo: str) -> list[Grupo]:
    nombres = (
        ("GET detalle", "expedientes_get"),
        ("PUT", "expedientes_update"),
        ("GET lista", "expedientes_list"),
        ("PATCH estado", "expedientes_estado"),
        ("POST /serviceOrders", "ordenes_receive"),
        ("cancel", "ordenes_cancel"),
        ("GET checklist", "checklists_get"),
        ("PUT checklist", "checklists_put"),
        ("PATCH Salida", "expedientes_estado"),
    )
    return [Grupo([Escenario(n, f, lambda _i: {}, set(), lambda _i: None, pendiente=motivo)]) for n, f in nombres]


def grupos(banco: Banco) -> list[Grupo]:
    """Fixtures first (through the handlers), then the scenarios of every hot endpoint."""
    pisos, limpieza = Pisos(banco), Limpieza(banco)
    op = crear_personal(banco)
    cliente = crear_integracion()
    evento_aut = eventos.evento_autorizador(f"Bearer {op.token}", "GET", "/api/expedientes")
    login = banco.evento("POST", "/api/auth/login", cuerpo={"usuario": op.username, "password": op.password})
    resultado = [
        Grupo([Escenario("authorizer", "auth_authorizer", lambda _i: evento_aut, {200}, pisos.autorizador(op.id))]),
        Grupo([Escenario("login", "auth_login", lambda _i: login, {200}, pisos.login(op), kdf=kdf(op))]),
    ]
    if existe("auth_logout"):
        saliente = crear_personal(banco)  # its tokens are revoked on every call: nobody else uses it
        salida = banco.evento("POST", "/api/auth/logout", llamante=saliente.contexto)
        resultado.append(
            Grupo([Escenario("logout", "auth_logout", lambda _i: salida, {204}, pisos.logout(saliente.id))])
        )
    if not existe("expedientes_create"):
        return resultado + _pendientes("functions/expedientes_create no existe (fixtures)")
    nos = _fixtures(banco, op, cliente)
    return [
        *resultado,
        *_grupos_expedientes(banco, op, nos, pisos, limpieza),
        _grupo_ordenes(banco, cliente, nos, pisos, limpieza),
        *_grupos_levantamientos(banco, op, pisos, limpieza),
        *_grupos_checklist(banco, op, nos, pisos, limpieza),
        *_grupos_formatos(banco, op, pisos),
    ]


def _fixtures(banco: Banco, op: Personal, cliente: Integracion) -> dict[str, str]:
    """One expediente per scenario side (handler H, floor P), plus enough for a full list page."""
    claves = ("DET", "PUTH", "PUTP", "ESTH", "ESTP", "OSH", "OSP", *CHECKLIST)
    nos = {clave: banco.siniestro(clave) for clave in claves}
    for no in nos.values():
        crear_expediente(banco, op, no)
    for _ in range(EXPEDIENTES_LISTA - len(nos)):
        crear_expediente(banco, op, banco.siniestro("LST"))
    # A detail with a realistic collection: two state changes and a linked service order.
    if existe("expedientes_estado"):
        cambiar_estado(banco, op, nos["DET"], "Restauracion")
        cambiar_estado(banco, op, nos["DET"], "Ingreso")
    if existe("ordenes_receive"):
        banco.llamar("ordenes_receive", evento_orden(banco, cliente, banco.nuevo_id(), nos["DET"]), {201})
    if existe("checklists_put") and existe("expedientes_estado"):
        _fixtures_checklist(banco, op, nos)
    return nos


def _fixtures_checklist(banco: Banco, op: Personal, nos: dict[str, str]) -> None:
    """Full checklists (122 points, approved) for the checklist scenarios; the Salida pair one step before Salida."""
    from monitor.checklists import catalogo

    cuerpo = {
        **CHECKLIST_APROBADO,
        "items": [{"sistema": s, "nombre_item": n, "valor": "OK"} for s, n in catalogo.puntos()],
    }
    for clave in ("SALH", "SALP"):
        ruta = {"no_siniestro": nos[clave]}
        listo = {"unidad_terminada": "2024-04-01", "doc_finiquito": True}
        evento = banco.evento("PUT", "/api/expedientes/{no_siniestro}", ruta=ruta, cuerpo=listo, llamante=op.contexto)
        banco.llamar("expedientes_update", evento, {200})
        cambiar_estado(banco, op, nos[clave], "Restauracion")
        cambiar_estado(banco, op, nos[clave], "Pendiente_de_salida")
    for clave in CHECKLIST:
        evento = banco.evento(
            "PUT", RUTA_CHECKLIST, ruta={"no_siniestro": nos[clave]}, cuerpo=cuerpo, llamante=op.contexto
        )
        banco.llamar("checklists_put", evento, {201})


def _grupos_expedientes(
    banco: Banco, op: Personal, nos: dict[str, str], pisos: Pisos, limpieza: Limpieza
) -> list[Grupo]:
    detalle = banco.evento(
        "GET", "/api/expedientes/{no_siniestro}", ruta={"no_siniestro": nos["DET"]}, llamante=op.contexto
    )
    listado = banco.evento("GET", "/api/expedientes", llamante=op.contexto, query={"limit": str(LIMITE_LISTA)})
    # Every fixture's client is "Juan García": a search page is as full as the list's.
    busqueda = banco.evento(
        "GET", "/api/expedientes", llamante=op.contexto, query={"q": "garc", "limit": str(LIMITE_LISTA)}
    )
    destinos = itertools.cycle(["Restauracion", "Ingreso"])

    def evento_put(i: int) -> Evento:
        cuerpo = {"observaciones": f"Revisión {i}"}
        ruta = {"no_siniestro": nos["PUTH"]}
        return banco.evento("PUT", "/api/expedientes/{no_siniestro}", ruta=ruta, cuerpo=cuerpo, llamante=op.contexto)

    def evento_estado(_i: int) -> Evento:
        ruta = {"no_siniestro": nos["ESTH"]}
        recurso = "/api/expedientes/{no_siniestro}/estado"
        return banco.evento("PATCH", recurso, ruta=ruta, cuerpo={"estado": next(destinos)}, llamante=op.contexto)

    def limpiar(prefijo: str, *claves: str) -> Callable[[], None]:
        def borrar() -> None:
            for clave in claves:
                limpieza.coleccion(nos[clave], prefijo)
                limpieza.coleccion(nos[clave], "OUT#")  # outbox items of the writes (and the floor's)

        return borrar

    return [
        Grupo([Escenario("GET detalle", "expedientes_get", lambda _i: detalle, {200}, pisos.detalle(nos["DET"]))]),
        Grupo(
            [Escenario("PUT", "expedientes_update", evento_put, {200}, pisos.actualizar(nos["PUTP"]))],
            limpiar("AUD#", "PUTH", "PUTP"),
        ),
        Grupo([Escenario("GET lista", "expedientes_list", lambda _i: listado, {200}, pisos.lista())]),
        Grupo([Escenario("GET búsqueda", "expedientes_list", lambda _i: busqueda, {200}, pisos.busqueda("garc"))]),
        Grupo(
            [Escenario("PATCH estado", "expedientes_estado", evento_estado, {200}, pisos.estado(nos["ESTP"]))],
            limpiar("HIST#", "ESTH", "ESTP"),
        ),
    ]


def _grupo_ordenes(banco: Banco, cliente: Integracion, nos: dict[str, str], pisos: Pisos, limpieza: Limpieza) -> Grupo:
    """Create and cancel in one loop: every order created in an iteration is cancelled in the same one."""
    creadas: list[int] = []
    canceladas: list[int] = []

    def evento_creacion(_i: int) -> Evento:
        sid = banco.nuevo_id()
        creadas.append(sid)
        return evento_orden(banco, cliente, sid, nos["OSH"])

    def evento_cancelar(_i: int) -> Evento:
        sid = creadas.pop(0)
        canceladas.append(sid)
        return evento_cancelacion(banco, cliente, sid)

    def limpiar() -> None:
        limpieza.ordenes(canceladas)
        limpieza.ordenes(pisos.canceladas)
        for no in (nos["OSH"], nos["OSP"]):
            limpieza.coleccion(no, "OS#")
            limpieza.coleccion(no, "OUT#")

    crear = Escenario(
        "POST /serviceOrders", "ordenes_receive", evento_creacion, {201}, pisos.recepcion(cliente, nos["OSP"])
    )
    cancelar = Escenario("cancel", "ordenes_cancel", evento_cancelar, {200}, pisos.cancelacion(cliente, nos["OSP"]))
    return Grupo([crear, cancelar], limpiar)


CONCEPTOS_LEVANTAMIENTO = 20  # a realistic survey; the POST scenario starts from it and is reset to it


def _grupos_levantamientos(banco: Banco, op: Personal, pisos: Pisos, limpieza: Limpieza) -> list[Grupo]:
    """GET, PUT and a line-item POST of the damage survey, each on surveys of 20 line items created through the
    handler (handler and floor on their own expedientes, so their version conditions never collide)."""
    if not all(existe(f) for f in ("levantamientos_put", "levantamientos_get", "levantamientos_conceptos_create")):
        return [
            Grupo(
                [
                    Escenario(
                        n, f, lambda _i: {}, set(), lambda _i: None, pendiente="functions/levantamientos_* no existe"
                    )
                ]
            )
            for n, f in (
                ("GET levantamiento", "levantamientos_get"),
                ("PUT levantamiento", "levantamientos_put"),
                ("POST concepto", "levantamientos_conceptos_create"),
            )
        ]
    nos = {clave: banco.siniestro(clave) for clave in ("LEVG", "LEVH", "LEVP", "CONH", "CONP")}
    lineas = [
        {"claves": f"C-{i:02d}", "concepto": f"Reparación de la pieza {i}", "costo": 1000 + i + 0.5}
        for i in range(CONCEPTOS_LEVANTAMIENTO)
    ]
    recurso = "/api/expedientes/{no_siniestro}/levantamiento"
    for no in nos.values():
        crear_expediente(banco, op, no)
        cuerpo = {"kilometraje": 152300, "eco": "U-114", "cristales": True, "conceptos": lineas}
        evento = banco.evento("PUT", recurso, ruta={"no_siniestro": no}, cuerpo=cuerpo, llamante=op.contexto)
        banco.llamar("levantamientos_put", evento, {201})
    piso = PisosLevantamiento(pisos)
    obtener = banco.evento("GET", recurso, ruta={"no_siniestro": nos["LEVG"]}, llamante=op.contexto)

    def evento_put(i: int) -> Evento:
        cuerpo = {"kilometraje": 152300 + i + 1}
        return banco.evento("PUT", recurso, ruta={"no_siniestro": nos["LEVH"]}, cuerpo=cuerpo, llamante=op.contexto)

    def evento_post(i: int) -> Evento:
        cuerpo = {"claves": "FAR-IZQ", "concepto": f"Faro izquierdo {i}", "costo": 2450.00}
        ruta = {"no_siniestro": nos["CONH"]}
        return banco.evento("POST", recurso + "/conceptos", ruta=ruta, cuerpo=cuerpo, llamante=op.contexto)

    def limpiar(*claves: str, reiniciar: bool = False) -> Callable[[], None]:
        """Audit entries go; the POST's surveys go back to their 20 lines (the same revision: still a pair)."""

        def borrar() -> None:
            for clave in claves:
                limpieza.coleccion(nos[clave], "AUD#")
                if reiniciar:
                    pk = {"S": f"EXP#{nos[clave]}"}
                    lista = banco.crudo.get_item(
                        TableName=banco.tabla, Key={"PK": pk, "SK": {"S": "CONCEPTOS#LEV"}}, ConsistentRead=True
                    )["Item"]
                    lista["conceptos"]["L"] = lista["conceptos"]["L"][:CONCEPTOS_LEVANTAMIENTO]
                    banco.crudo.put_item(TableName=banco.tabla, Item=lista)

        return borrar

    return [
        Grupo(
            [Escenario("GET levantamiento", "levantamientos_get", lambda _i: obtener, {200}, piso.obtener(nos["LEVG"]))]
        ),
        Grupo(
            [Escenario("PUT levantamiento", "levantamientos_put", evento_put, {200}, piso.guardar(nos["LEVP"]))],
            limpiar("LEVH", "LEVP"),
        ),
        Grupo(
            [
                Escenario(
                    "POST concepto", "levantamientos_conceptos_create", evento_post, {201}, piso.agregar(nos["CONP"])
                )
            ],
            limpiar("CONH", "CONP", reiniciar=True),
        ),
    ]


def _grupos_checklist(banco: Banco, op: Personal, nos: dict[str, str], pisos: Pisos, limpieza: Limpieza) -> list[Grupo]:
    """GET and PUT of a full checklist (one point changes per PUT), and the transition into Salida and back
    (an administrator reopens it), which reads the checklist with the expediente and checks it in its transaction."""
    from monitor.checklists import catalogo

    sistema, nombre_item = catalogo.puntos()[0]
    lectura = banco.evento("GET", RUTA_CHECKLIST, ruta={"no_siniestro": nos["CHKH"]}, llamante=op.contexto)
    valores = itertools.cycle(["RE", "OK"])  # the fixture holds OK: every call changes the point
    destinos = itertools.cycle(["Salida", "Pendiente_de_salida"])
    administrador = {**op.contexto, "rol": "Administrador"}  # only an administrator reopens Salida

    def evento_put(_i: int) -> Evento:
        cuerpo = {"items": [{"sistema": sistema, "nombre_item": nombre_item, "valor": next(valores)}]}
        ruta = {"no_siniestro": nos["CHKH"]}
        return banco.evento("PUT", RUTA_CHECKLIST, ruta=ruta, cuerpo=cuerpo, llamante=op.contexto)

    def evento_salida(_i: int) -> Evento:
        ruta = {"no_siniestro": nos["SALH"]}
        recurso = "/api/expedientes/{no_siniestro}/estado"
        return banco.evento("PATCH", recurso, ruta=ruta, cuerpo={"estado": next(destinos)}, llamante=administrador)

    def limpiar(prefijo: str, *claves: str) -> Callable[[], None]:
        def borrar() -> None:
            for clave in claves:
                limpieza.coleccion(nos[clave], prefijo)

        return borrar

    return [
        Grupo([Escenario("GET checklist", "checklists_get", lambda _i: lectura, {200}, pisos.checklist(nos["CHKP"]))]),
        Grupo(
            [
                Escenario(
                    "PUT checklist",
                    "checklists_put",
                    evento_put,
                    {200},
                    pisos.poner_checklist(nos["CHKP"], sistema, nombre_item),
                )
            ],
            limpiar("AUD#", "CHKH", "CHKP"),
        ),
        Grupo(
            [Escenario("PATCH Salida", "expedientes_estado", evento_salida, {200}, pisos.salida(nos["SALP"]))],
            limpiar("HIST#", "SALH", "SALP"),
        ),
    ]


CONCEPTOS_FORMATO = 300  # the survey's maximum: the form's worst case
ARCHIVO_PISO = b"\0" * 40_000  # about the size of a filled form: the floor's S3 PutObject


def _grupos_formatos(banco: Banco, op: Personal, pisos: Pisos) -> list[Grupo]:
    """The three printable forms, each beside the bare requests it needs: its DynamoDB reads (the data, the
    template in use) and an S3 PutObject of a file of the form's size. What the handler adds is the fill."""
    funciones_ = ("formatos_get", "levantamientos_put", "checklists_put")
    nombres = ("GET formato expediente", "GET formato checklist", f"GET formato levantamiento ({CONCEPTOS_FORMATO})")
    if not existe("formatos_get"):
        pendiente = "functions/formatos_get no existe"
        return [
            Grupo([Escenario(n, "formatos_get", lambda _i: {}, set(), lambda _i: None, pendiente=pendiente)])
            for n in nombres
        ]
    no = banco.siniestro("FMT")
    crear_expediente(banco, op, no)
    recurso = "/api/expedientes/{no_siniestro}"
    if existe(funciones_[1]):
        lineas = [
            {"claves": f"C-{i:03d}", "concepto": f"Reparación de la pieza {i}", "costo": 1000 + i + 0.5}
            for i in range(CONCEPTOS_FORMATO)
        ]
        cuerpo = {"kilometraje": 152300, "eco": "U-114", "cristales": True, "conceptos": lineas}
        evento = banco.evento(
            "PUT", recurso + "/levantamiento", ruta={"no_siniestro": no}, cuerpo=cuerpo, llamante=op.contexto
        )
        banco.llamar("levantamientos_put", evento, {201})
    if existe(funciones_[2]):
        from monitor.checklists import catalogo

        puntos = [{"sistema": s, "nombre_item": n, "valor": "OK"} for s, n in catalogo.puntos()]
        cuerpo = {"aprobada": True, "fecha_inspeccion": "2024-04-01", "hora": "09:05", "items": puntos}
        evento = banco.evento(
            "PUT", recurso + "/checklist", ruta={"no_siniestro": no}, cuerpo=cuerpo, llamante=op.contexto
        )
        banco.llamar("checklists_put", evento, {201})
    import boto3

    s3 = boto3.client("s3", endpoint_url=banco.local.endpoint)
    bucket = os.environ["MONITOR_BUCKET"]
    c, t, clave = pisos.c, pisos.t, pisos._clave
    plantilla = clave("FORMATO#x", "PLANTILLA")

    def piso(*lecturas: Callable[[], object]) -> Callable[[int], None]:
        def hacer(i: int) -> None:
            for lectura in lecturas:
                lectura()
            c.get_item(TableName=t, Key=plantilla)
            s3.put_object(Bucket=bucket, Key=f"bench/formatos/{i}.xlsx", Body=ARCHIVO_PISO)

        return hacer

    def evento(formato: str) -> Callable[[int], Evento]:
        listo = banco.evento(
            "GET", recurso + "/formatos/{formato}", ruta={"no_siniestro": no, "formato": formato}, llamante=op.contexto
        )
        return lambda _i: listo

    def limpiar() -> None:
        from monitor.core import storage

        storage.borrar_prefijo(keys.prefijo_expediente_s3(no) + "formatos/")
        storage.borrar_prefijo("bench/formatos/")

    expediente = piso(
        lambda: c.get_item(TableName=t, Key=clave(f"EXP#{no}", "EXP")),
        lambda: c.get_item(TableName=t, Key=clave("ASEGURADORAS", "ASEG#0000000001")),
    )
    checklist = piso(lambda: c.get_item(TableName=t, Key=clave(f"EXP#{no}", "EXP#CHECKLIST")))
    llaves = [clave(f"EXP#{no}", "LEV"), clave(f"EXP#{no}", "CONCEPTOS#LEV")]
    levantamiento = piso(lambda: c.batch_get_item(RequestItems={t: {"Keys": llaves}}))
    escenarios = [
        (nombres[0], "expediente", expediente, None),
        (nombres[1], "checklist", checklist, None if existe(funciones_[2]) else "functions/checklists_put no existe"),
        (
            nombres[2],
            "levantamiento",
            levantamiento,
            None if existe(funciones_[1]) else "functions/levantamientos_put no existe",
        ),
    ]
    return [
        Grupo(
            [Escenario(nombre, "formatos_get", evento(formato), {200}, suelo, pendiente=falta, informativo=True)],
            limpiar,
        )
        for nombre, formato, suelo, falta in escenarios
    ]


def marcar_pendientes(lista: list[Grupo]) -> None:
    for grupo in lista:
        for escenario in grupo.escenarios:
            if escenario.pendiente is None and not existe(escenario.funcion):
                escenario.pendiente = f"functions/{escenario.funcion} no existe"
        if any(e.pendiente for e in grupo.escenarios):
            for escenario in grupo.escenarios:  # an order cannot be cancelled if it cannot be created
                escenario.pendiente = escenario.pendiente or "depende de un escenario pendiente"


def _una_vez(banco: Banco, escenario: Escenario, i: int, tiempos: Tiempos | None) -> None:
    """Handler and floor back to back, in alternating order, so drift and noise hit both alike."""
    evento = escenario.evento(i)
    reloj = time.perf_counter
    for es_handler in (True, False) if i % 2 == 0 else (False, True):
        t0 = reloj()
        if es_handler:
            banco.llamar(escenario.funcion, evento, escenario.esperado)
        else:
            escenario.piso(i)
        if tiempos is not None:
            (tiempos.handler if es_handler else tiempos.piso).append((reloj() - t0) * 1000)
    if escenario.kdf is not None:
        t0 = reloj()
        escenario.kdf()
        if tiempos is not None:
            tiempos.kdf.append((reloj() - t0) * 1000)


def medir(
    banco: Banco, grupo: Grupo, *, repeticiones: int, calentamiento: int, presupuesto_s: float, minimo: int
) -> dict[str, Tiempos]:
    """`repeticiones` timed calls after `calentamiento` untimed ones; stops early (not below `minimo`) when the
    time budget is spent, so a slow machine still finishes. Clean-up runs every LOTE calls, outside the timing."""
    tiempos = {e.nombre: Tiempos() for e in grupo.escenarios}
    inicio = time.monotonic()
    for i in range(calentamiento + repeticiones):
        medido = i >= calentamiento
        if medido and i - calentamiento >= minimo and time.monotonic() - inicio > presupuesto_s:
            break
        for escenario in grupo.escenarios:
            _una_vez(banco, escenario, i, tiempos[escenario.nombre] if medido else None)
        if (i + 1) % LOTE == 0:
            grupo.limpiar()
    grupo.limpiar()
    return tiempos


def contar(banco: Banco, grupo: Grupo, veces: int = 3) -> dict[str, list[Llamada]]:
    """Per-call DynamoDB requests and capacity of the handlers alone (the floor's client is not observed)."""
    llamadas: dict[str, list[Llamada]] = {e.nombre: [] for e in grupo.escenarios}
    banco.observador.instalar(banco.cliente_capa)
    try:
        for i in range(veces):
            for escenario in grupo.escenarios:
                evento = escenario.evento(i)
                llamadas[escenario.nombre].append(banco.observador.nueva())
                banco.llamar(escenario.funcion, evento, escenario.esperado)
                banco.observador.cerrar()
                escenario.piso(i)  # keeps the floor's own queue (orders to cancel) in step
    finally:
        banco.observador.retirar(banco.cliente_capa)
    grupo.limpiar()
    return llamadas
