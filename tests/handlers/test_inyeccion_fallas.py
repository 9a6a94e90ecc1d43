"""Fault injection: every write path with DynamoDB failing at each of its calls in turn.

A botocore `before-send` hook on the layer's DynamoDB client answers a throttling (or internal) error
instead of sending. `before-call` fires once per logical call and `before-send` once per attempt, so a
fault can hit every attempt of call N (the SDK's standard retries give up and the error surfaces) or
only its first attempt (the SDK retries and the request succeeds). After each fault the API answers
503 with Retry-After (or 500) with the `{"error"}` shape and no stack trace, and the table holds the
whole change or nothing of it.
"""

from __future__ import annotations

import abc
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse

from monitor.core import keys, table
from monitor.usuarios.campos import Rol
from tests.apoyo.llamantes import Llamante
from tests.apoyo.ordenes import ClienteIntegracion, crear_cliente, orden, texto
from tests.apoyo.resumen import anotar

Invocar = Callable[..., dict[str, Any]]

FALLOS = {
    "throttling": (400, "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException"),
    "interno": (500, "com.amazonaws.dynamodb.v20120810#InternalServerError"),
}
RASTROS = ("Traceback", 'File "', "botocore", "Exception")

INYECTADOS: dict[str, int] = {"fallos": 0, "casos": 0, "reintentos_sdk": 0}


class _Crudo:
    def __init__(self, cuerpo: bytes) -> None:
        self.cuerpo = cuerpo

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.cuerpo


def respuesta_fallida(tipo: str, url: str) -> AWSResponse:
    status, codigo = FALLOS[tipo]
    cuerpo = json.dumps({"__type": codigo, "message": "Fallo inyectado por la prueba"}).encode()
    cabeceras = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": uuid.uuid4().hex}
    return AWSResponse(url, status, cabeceras, _Crudo(cuerpo))


class Inyector:
    """Counts logical DynamoDB calls; fails call `objetivo` (all attempts, or only the first one)."""

    def __init__(self) -> None:
        self.objetivo: int | None = None
        self.solo_primer_intento = False
        self.tipo = "throttling"
        self.llamadas: list[str] = []
        self.intentos_en_objetivo = 0
        self.fallos = 0

    def armar(self, objetivo: int | None, *, tipo: str = "throttling", solo_primer_intento: bool = False) -> None:
        self.objetivo, self.tipo, self.solo_primer_intento = objetivo, tipo, solo_primer_intento
        self.llamadas, self.intentos_en_objetivo, self.fallos = [], 0, 0

    def antes_de_llamar(self, event_name: str, **_: Any) -> None:
        self.llamadas.append(event_name.rsplit(".", 1)[-1])

    def antes_de_enviar(self, request: Any, **_: Any) -> AWSResponse | None:
        if self.objetivo is None or len(self.llamadas) != self.objetivo:
            return None
        self.intentos_en_objetivo += 1
        if self.solo_primer_intento and self.intentos_en_objetivo > 1:
            return None
        self.fallos += 1
        INYECTADOS["fallos"] += 1
        return respuesta_fallida(self.tipo, request.url)


@pytest.fixture(scope="module", autouse=True)
def resumen() -> Iterator[None]:
    yield
    if INYECTADOS["fallos"]:
        anotar(
            f"fallas: {INYECTADOS['fallos']} fallos de DynamoDB inyectados en {INYECTADOS['casos']} casos, "
            f"escrituras a medias: 0; {INYECTADOS['reintentos_sdk']} reintentos del SDK con éxito"
        )


@pytest.fixture
def inyector(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inyector]:
    # No backoff sleeps: the retries still happen, only faster.
    monkeypatch.setattr("botocore.retries.standard.ExponentialBackoff.delay_amount", lambda self, context: 0)
    # A client of its own: exhausted retries drain the SDK's retry quota, which must not leak into
    # other tests (nor theirs into these); the next test gets a fresh client again.
    table.cliente.cache_clear()
    eventos = table.cliente().meta.events
    inyector = Inyector()
    eventos.register("before-call.dynamodb", inyector.antes_de_llamar, unique_id="monitor-fallas-llamada")
    eventos.register("before-send.dynamodb", inyector.antes_de_enviar, unique_id="monitor-fallas-envio")
    yield inyector
    eventos.unregister("before-call.dynamodb", unique_id="monitor-fallas-llamada")
    eventos.unregister("before-send.dynamodb", unique_id="monitor-fallas-envio")
    table.cliente.cache_clear()


# ---- reading the table directly
def items_de(no_siniestro: str) -> list[dict[str, Any]]:
    return table.query_todo("PK = :pk", {":pk": keys.expediente(no_siniestro)["PK"]}, consistente=True)


def con_prefijo(items: list[dict[str, Any]], prefijo: str) -> list[dict[str, Any]]:
    return [i for i in items if str(i["SK"]).startswith(prefijo)]


def meta(items: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((i for i in items if i["SK"] == keys.EXPEDIENTE_SK), None)


def alta(no_siniestro: str) -> dict[str, Any]:
    return {
        "no_siniestro": no_siniestro,
        "nombre_cliente": "Juan Peña",
        "telefono_cliente": "555-100-2000",
        "marca": "Toyota",
        "placas": "ABC-123",
        "tipo": "Sedán",
        "modelo": "Corolla",
        "fecha_ingreso": "2024-03-15",
        "fecha_entrega": "2024-03-30",
        "id_aseguradora": 1,
    }


# ---- the write paths: prepare (no faults), invoke (faults armed), check all-or-nothing
@dataclass
class Contexto:
    invocar: Invocar
    admin: Llamante
    siniestro: str
    integracion: ClienteIntegracion | None = None
    datos: dict[str, Any] | None = None


def _crear_expediente(ctx: Contexto) -> None:
    r = ctx.invocar("expedientes_create", "POST", "/api/expedientes", llamante=ctx.admin, cuerpo=alta(ctx.siniestro))
    # Setup only (no fault armed). A 409 here means the SDK re-sent a transaction whose first attempt
    # succeeded but answered too late (read timeout on a loaded moto, which ignores ClientRequestToken).
    assert r["statusCode"] in (201, 409), r["json"]
    assert meta(items_de(ctx.siniestro)) is not None


class Escenario(abc.ABC):
    """One write path: how to prepare it, call it, and check all-or-nothing afterwards."""

    nombre = ""

    def preparar(self, ctx: Contexto) -> None:
        _crear_expediente(ctx)

    @abc.abstractmethod
    def invocar(self, ctx: Contexto) -> dict[str, Any]: ...

    @abc.abstractmethod
    def comprobar(self, ctx: Contexto, exito: bool) -> None: ...


class CrearExpediente(Escenario):
    nombre = "POST /api/expedientes"

    def preparar(self, ctx: Contexto) -> None:
        pass

    def invocar(self, ctx: Contexto) -> dict[str, Any]:
        return ctx.invocar(
            "expedientes_create", "POST", "/api/expedientes", llamante=ctx.admin, cuerpo=alta(ctx.siniestro)
        )

    def comprobar(self, ctx: Contexto, exito: bool) -> None:
        items = items_de(ctx.siniestro)
        historial = con_prefijo(items, keys.PREFIJO_HISTORIAL)
        if exito:
            assert meta(items) is not None
            assert len(historial) == 1
        else:
            assert meta(items) is None, "expediente sin su historial"
            assert historial == [], "historial sin su expediente"


class ActualizarExpediente(Escenario):
    nombre = "PUT /api/expedientes/{no_siniestro}"

    def invocar(self, ctx: Contexto) -> dict[str, Any]:
        return ctx.invocar(
            "expedientes_update",
            "PUT",
            "/api/expedientes/{no_siniestro}",
            llamante=ctx.admin,
            ruta_params={"no_siniestro": ctx.siniestro},
            cuerpo={"color": "Rojo", "dato1": "cambio inyectado"},
        )

    def comprobar(self, ctx: Contexto, exito: bool) -> None:
        items = items_de(ctx.siniestro)
        expediente = meta(items)
        assert expediente is not None
        auditoria = con_prefijo(items, keys.PREFIJO_AUDITORIA)
        if exito:
            assert expediente.get("color") == "Rojo"
            assert expediente.get("dato1") == "cambio inyectado"
            assert len(auditoria) == 1
        else:
            assert expediente.get("color") is None, "cambio sin auditoría"
            assert expediente.get("dato1") is None, "cambio sin auditoría"
            assert auditoria == [], "auditoría sin cambio"


class CambiarEstado(Escenario):
    nombre = "PATCH /api/expedientes/{no_siniestro}/estado"

    def invocar(self, ctx: Contexto) -> dict[str, Any]:
        return ctx.invocar(
            "expedientes_estado",
            "PATCH",
            "/api/expedientes/{no_siniestro}/estado",
            llamante=ctx.admin,
            ruta_params={"no_siniestro": ctx.siniestro},
            cuerpo={"estado": "Restauracion"},
        )

    def comprobar(self, ctx: Contexto, exito: bool) -> None:
        items = items_de(ctx.siniestro)
        expediente = meta(items)
        assert expediente is not None
        historial = con_prefijo(items, keys.PREFIJO_HISTORIAL)
        if exito:
            assert expediente["estado"] == "Restauracion"
            assert len(historial) == 2
        else:
            assert expediente["estado"] == "Ingreso", "estado sin su historial"
            assert len(historial) == 1, "historial sin su estado"


class CrearComentario(Escenario):
    nombre = "POST /api/expedientes/{no_siniestro}/comentarios"

    def invocar(self, ctx: Contexto) -> dict[str, Any]:
        return ctx.invocar(
            "expedientes_comentarios_create",
            "POST",
            "/api/expedientes/{no_siniestro}/comentarios",
            llamante=ctx.admin,
            ruta_params={"no_siniestro": ctx.siniestro},
            cuerpo={"texto": "nota con fallo inyectado"},
        )

    def comprobar(self, ctx: Contexto, exito: bool) -> None:
        comentarios = con_prefijo(items_de(ctx.siniestro), keys.PREFIJO_COMENTARIO)
        assert len(comentarios) == (1 if exito else 0)


class RecibirOrden(Escenario):
    nombre = "POST /serviceOrders"

    def preparar(self, ctx: Contexto) -> None:
        _crear_expediente(ctx)
        ctx.datos = orden(claim=ctx.siniestro)

    def invocar(self, ctx: Contexto) -> dict[str, Any]:
        assert ctx.integracion is not None
        cuerpo = texto(ctx.datos)
        return ctx.invocar(
            "ordenes_receive",
            "POST",
            "/serviceOrders",
            llamante=ctx.integracion.llamante,
            cuerpo=cuerpo,
            headers=ctx.integracion.cabeceras(cuerpo),
        )

    def comprobar(self, ctx: Contexto, exito: bool) -> None:
        assert ctx.datos is not None
        sid = int(ctx.datos["serviceOrderId"])
        guardada = table.get(keys.orden_servicio(sid), consistente=True)
        enlace = table.get(keys.orden_en_expediente(ctx.siniestro, sid), consistente=True)
        if exito:
            assert guardada is not None
            assert enlace is not None
            numero = table.get(keys.numero_orden(guardada["serviceOrderNumber"]), consistente=True)
            assert numero is not None
            assert int(numero["serviceOrderId"]) == sid
        else:
            assert guardada is None, "orden sin su número o enlace"
            assert enlace is None, "enlace sin su orden"


class CancelarOrden(RecibirOrden):
    nombre = "POST /serviceOrders/{serviceOrderId}/cancel"

    def preparar(self, ctx: Contexto) -> None:
        super().preparar(ctx)
        r = super().invocar(ctx)
        assert r["statusCode"] == 201, r["json"]

    def invocar(self, ctx: Contexto) -> dict[str, Any]:
        assert ctx.integracion is not None
        assert ctx.datos is not None
        sid = str(ctx.datos["serviceOrderId"])
        cuerpo = texto({"serviceOrderId": int(sid), "comments": "Cancelada con fallo inyectado"})
        return ctx.invocar(
            "ordenes_cancel",
            "POST",
            "/serviceOrders/{serviceOrderId}/cancel",
            llamante=ctx.integracion.llamante,
            ruta_params={"serviceOrderId": sid},
            cuerpo=cuerpo,
            headers=ctx.integracion.cabeceras(cuerpo),
        )

    def comprobar(self, ctx: Contexto, exito: bool) -> None:
        assert ctx.datos is not None
        sid = int(ctx.datos["serviceOrderId"])
        guardada = table.get(keys.orden_servicio(sid), consistente=True)
        enlace = table.get(keys.orden_en_expediente(ctx.siniestro, sid), consistente=True)
        assert guardada is not None
        assert enlace is not None
        esperado = "Cancelada" if exito else "Recibida"
        assert guardada["estado"] == esperado
        assert enlace.get("estado") == esperado, "orden y enlace en estados distintos"


class CrearUsuario(Escenario):
    nombre = "POST /api/usuarios"

    def preparar(self, ctx: Contexto) -> None:
        ctx.datos = {"nombre": "Ana Peña", "username": f"falla-{uuid.uuid4().hex[:10]}", "password": "clave-segura-1"}
        ctx.datos["rol"] = Rol.TECNICO.value

    def invocar(self, ctx: Contexto) -> dict[str, Any]:
        return ctx.invocar("usuarios_create", "POST", "/api/usuarios", llamante=ctx.admin, cuerpo=ctx.datos)

    def comprobar(self, ctx: Contexto, exito: bool) -> None:
        assert ctx.datos is not None
        unico = table.get(keys.nombre_usuario(ctx.datos["username"]), consistente=True)
        if not exito:
            assert unico is None, "username reservado sin su usuario"
            return
        assert unico is not None
        usuario = table.get(keys.usuario(int(unico["id"])), consistente=True)
        assert usuario is not None
        assert usuario["username"] == ctx.datos["username"]


class CrearCliente(Escenario):
    nombre = "POST /api/integraciones"

    def preparar(self, ctx: Contexto) -> None:
        ctx.datos = {"nombre": f"Plataforma {uuid.uuid4().hex[:6]}", "id_aseguradora": 2, "exigir_firma": True}

    def invocar(self, ctx: Contexto) -> dict[str, Any]:
        respuesta = ctx.invocar(
            "auth_clientes_create", "POST", "/api/integraciones", llamante=ctx.admin, cuerpo=ctx.datos
        )
        if respuesta["statusCode"] == 201:
            assert ctx.datos is not None
            ctx.datos["client_id"] = respuesta["json"]["client_id"]
        return respuesta

    def comprobar(self, ctx: Contexto, exito: bool) -> None:
        assert ctx.datos is not None
        if exito:
            cliente = table.get(keys.cliente(ctx.datos["client_id"]), consistente=True)
            assert cliente is not None
            assert cliente["hmac_key"]
            assert cliente["hash"]


RUTA_LEVANTAMIENTO = "/api/expedientes/{no_siniestro}/levantamiento"


def levantamiento_de(items: list[dict[str, Any]]) -> tuple[dict[str, Any] | None, list[str] | None]:
    """The survey's header and the concepts of its line-item list, as stored."""
    cabecera = next((i for i in items if i["SK"] == keys.LEVANTAMIENTO_SK), None)
    lista = next((i for i in items if i["SK"] == keys.CONCEPTOS_LEVANTAMIENTO_SK), None)
    return cabecera, None if lista is None else [c["concepto"] for c in lista["conceptos"]]


class _Levantamiento(Escenario):
    """An expediente whose survey already has one line item, "A" (version 1, one audit entry)."""

    def preparar(self, ctx: Contexto) -> None:
        _crear_expediente(ctx)
        r = ctx.invocar(
            "levantamientos_put",
            "PUT",
            RUTA_LEVANTAMIENTO,
            llamante=ctx.admin,
            ruta_params={"no_siniestro": ctx.siniestro},
            cuerpo={"conceptos": [{"concepto": "A", "costo": 1}]},
        )
        assert r["statusCode"] in (201, 200), r["json"]  # 200: the SDK re-sent a creation that had committed

    def sin_cambios(self, ctx: Contexto) -> None:
        items = items_de(ctx.siniestro)
        cabecera, conceptos = levantamiento_de(items)
        assert cabecera is not None, "levantamiento perdido"
        assert int(cabecera["version"]) == 1, "versión sin su cambio"
        assert conceptos == ["A"], "conceptos a medias"
        assert len(con_prefijo(items, keys.PREFIJO_AUDITORIA)) == 1, "auditoría sin cambio"


class CrearLevantamiento(Escenario):
    nombre = "PUT /api/expedientes/{no_siniestro}/levantamiento"

    def invocar(self, ctx: Contexto) -> dict[str, Any]:
        return ctx.invocar(
            "levantamientos_put",
            "PUT",
            RUTA_LEVANTAMIENTO,
            llamante=ctx.admin,
            ruta_params={"no_siniestro": ctx.siniestro},
            cuerpo={"kilometraje": 1000, "conceptos": [{"concepto": "A", "costo": 1}, {"concepto": "B", "costo": 2}]},
        )

    def comprobar(self, ctx: Contexto, exito: bool) -> None:
        items = items_de(ctx.siniestro)
        cabecera, conceptos = levantamiento_de(items)
        auditoria = con_prefijo(items, keys.PREFIJO_AUDITORIA)
        if exito:
            assert cabecera is not None
            assert conceptos == ["A", "B"]
            assert cabecera["total"] == Decimal("3.48")
            assert len(auditoria) == 1
        else:
            assert cabecera is None, "levantamiento sin sus conceptos o su auditoría"
            assert conceptos is None, "conceptos sin su levantamiento"
            assert auditoria == [], "auditoría sin levantamiento"


class ReemplazarConceptos(_Levantamiento):
    nombre = "PUT /api/expedientes/{no_siniestro}/levantamiento (conceptos)"

    def invocar(self, ctx: Contexto) -> dict[str, Any]:
        return ctx.invocar(
            "levantamientos_put",
            "PUT",
            RUTA_LEVANTAMIENTO,
            llamante=ctx.admin,
            ruta_params={"no_siniestro": ctx.siniestro},
            cuerpo={"conceptos": [{"concepto": "B", "costo": 2}, {"concepto": "C", "costo": 3}]},
        )

    def comprobar(self, ctx: Contexto, exito: bool) -> None:
        if not exito:
            self.sin_cambios(ctx)
            return
        items = items_de(ctx.siniestro)
        cabecera, conceptos = levantamiento_de(items)
        assert cabecera is not None
        assert conceptos == ["B", "C"]
        assert cabecera["subtotal"] == Decimal("5")
        assert len(con_prefijo(items, keys.PREFIJO_AUDITORIA)) == 2


class AgregarConcepto(_Levantamiento):
    nombre = "POST /api/expedientes/{no_siniestro}/levantamiento/conceptos"

    def invocar(self, ctx: Contexto) -> dict[str, Any]:
        return ctx.invocar(
            "levantamientos_conceptos_create",
            "POST",
            RUTA_LEVANTAMIENTO + "/conceptos",
            llamante=ctx.admin,
            ruta_params={"no_siniestro": ctx.siniestro},
            cuerpo={"concepto": "B", "costo": 2},
        )

    def comprobar(self, ctx: Contexto, exito: bool) -> None:
        if not exito:
            self.sin_cambios(ctx)
            return
        cabecera, conceptos = levantamiento_de(items_de(ctx.siniestro))
        assert cabecera is not None
        assert conceptos == ["A", "B"]
        assert cabecera["num_conceptos"] == 2


class EliminarLevantamiento(_Levantamiento):
    nombre = "DELETE /api/expedientes/{no_siniestro}/levantamiento"

    def invocar(self, ctx: Contexto) -> dict[str, Any]:
        return ctx.invocar(
            "levantamientos_delete",
            "DELETE",
            RUTA_LEVANTAMIENTO,
            llamante=ctx.admin,
            ruta_params={"no_siniestro": ctx.siniestro},
        )

    def comprobar(self, ctx: Contexto, exito: bool) -> None:
        if not exito:
            self.sin_cambios(ctx)
            return
        items = items_de(ctx.siniestro)
        assert levantamiento_de(items) == (None, None)
        assert len(con_prefijo(items, keys.PREFIJO_AUDITORIA)) == 2


RUTA_CHECKLIST = "/api/expedientes/{no_siniestro}/checklist"
PUNTO_FRENO = {"sistema": "SISTEMA DE FRENO", "nombre_item": "Liquido de freno"}


def _poner_checklist(ctx: Contexto, cuerpo: dict[str, Any]) -> dict[str, Any]:
    return ctx.invocar(
        "checklists_put",
        "PUT",
        RUTA_CHECKLIST,
        llamante=ctx.admin,
        ruta_params={"no_siniestro": ctx.siniestro},
        cuerpo=cuerpo,
    )


def _checklist(ctx: Contexto) -> dict[str, Any] | None:
    return table.get(keys.checklist(ctx.siniestro), consistente=True)


class CrearChecklist(Escenario):
    nombre = "PUT /api/expedientes/{no_siniestro}/checklist (alta)"

    def invocar(self, ctx: Contexto) -> dict[str, Any]:
        return _poner_checklist(ctx, {"pintor": "Ana", "items": [{**PUNTO_FRENO, "valor": "OK"}]})

    def comprobar(self, ctx: Contexto, exito: bool) -> None:
        auditoria = con_prefijo(items_de(ctx.siniestro), keys.PREFIJO_AUDITORIA)
        if exito:
            checklist = _checklist(ctx)
            assert checklist is not None
            assert checklist["puntos"] == {"SISTEMA DE FRENO": {"Liquido de freno": "OK"}}
            assert len(auditoria) == 1
        else:
            assert _checklist(ctx) is None, "checklist sin su auditoría"
            assert auditoria == [], "auditoría sin checklist"


class CambiarChecklist(Escenario):
    nombre = "PUT /api/expedientes/{no_siniestro}/checklist"

    def preparar(self, ctx: Contexto) -> None:
        _crear_expediente(ctx)
        r = _poner_checklist(ctx, {"pintor": "Ana", "items": [{**PUNTO_FRENO, "valor": "OK"}]})
        assert r["statusCode"] == 201, r["json"]

    def invocar(self, ctx: Contexto) -> dict[str, Any]:
        return _poner_checklist(ctx, {"aprobada": True, "items": [{**PUNTO_FRENO, "valor": "MA"}]})

    def comprobar(self, ctx: Contexto, exito: bool) -> None:
        checklist = _checklist(ctx)
        assert checklist is not None
        auditoria = con_prefijo(items_de(ctx.siniestro), keys.PREFIJO_AUDITORIA)
        if exito:
            assert (checklist.get("aprobada"), int(checklist["version"]), len(auditoria)) == (True, 2, 2)
            assert checklist["puntos"] == {"SISTEMA DE FRENO": {"Liquido de freno": "MA"}}
            assert checklist["resumen"]["MA"] == 1
        else:
            assert (checklist.get("aprobada"), int(checklist["version"])) == (None, 1), "cambio sin auditoría"
            assert checklist["puntos"] == {"SISTEMA DE FRENO": {"Liquido de freno": "OK"}}
            assert len(auditoria) == 1, "auditoría sin cambio"


class BorrarChecklist(CambiarChecklist):
    nombre = "DELETE /api/expedientes/{no_siniestro}/checklist"

    def invocar(self, ctx: Contexto) -> dict[str, Any]:
        return ctx.invocar(
            "checklists_delete",
            "DELETE",
            RUTA_CHECKLIST,
            llamante=ctx.admin,
            ruta_params={"no_siniestro": ctx.siniestro},
        )

    def comprobar(self, ctx: Contexto, exito: bool) -> None:
        auditoria = con_prefijo(items_de(ctx.siniestro), keys.PREFIJO_AUDITORIA)
        if exito:
            assert _checklist(ctx) is None
            assert len(auditoria) == 2
        else:
            assert _checklist(ctx) is not None, "auditoría de un borrado que no ocurrió"
            assert len(auditoria) == 1, "borrado sin auditoría"


class SalidaConChecklist(Escenario):
    """The transition that reads the checklist with the expediente and checks it inside its transaction."""

    nombre = "PATCH /api/expedientes/{no_siniestro}/estado (Salida)"

    def preparar(self, ctx: Contexto) -> None:
        _crear_expediente(ctx)
        ruta = "/api/expedientes/{no_siniestro}"
        parametros = {"no_siniestro": ctx.siniestro}
        listo = {"unidad_terminada": "2024-03-29", "doc_finiquito": True}
        assert (
            ctx.invocar("expedientes_update", "PUT", ruta, llamante=ctx.admin, ruta_params=parametros, cuerpo=listo)[
                "statusCode"
            ]
            == 200
        )
        for estado in ("Restauracion", "Pendiente_de_salida"):
            r = ctx.invocar(
                "expedientes_estado",
                "PATCH",
                ruta + "/estado",
                llamante=ctx.admin,
                ruta_params=parametros,
                cuerpo={"estado": estado},
            )
            assert r["statusCode"] == 200, r["json"]
        aprobado = {"aprobada": True, "fecha_entrega": "2024-03-30", "nombre_quien_recibe": "Juan Peña"}
        assert _poner_checklist(ctx, aprobado)["statusCode"] == 201

    def invocar(self, ctx: Contexto) -> dict[str, Any]:
        return ctx.invocar(
            "expedientes_estado",
            "PATCH",
            "/api/expedientes/{no_siniestro}/estado",
            llamante=ctx.admin,
            ruta_params={"no_siniestro": ctx.siniestro},
            cuerpo={"estado": "Salida"},
        )

    def comprobar(self, ctx: Contexto, exito: bool) -> None:
        items = items_de(ctx.siniestro)
        expediente = meta(items)
        assert expediente is not None
        historial = con_prefijo(items, keys.PREFIJO_HISTORIAL)
        if exito:
            assert expediente["estado"] == "Salida"
            assert len(historial) == 4
        else:
            assert expediente["estado"] == "Pendiente_de_salida", "estado sin su historial"
            assert len(historial) == 3, "historial sin su estado"


ESCENARIOS = [
    CrearExpediente(),
    ActualizarExpediente(),
    CambiarEstado(),
    CrearComentario(),
    RecibirOrden(),
    CancelarOrden(),
    CrearUsuario(),
    CrearCliente(),
    CrearLevantamiento(),
    ReemplazarConceptos(),
    AgregarConcepto(),
    EliminarLevantamiento(),
    CrearChecklist(),
    CambiarChecklist(),
    BorrarChecklist(),
    SalidaConChecklist(),
]
EXITO = {
    "PUT /api/expedientes/{no_siniestro}/checklist (alta)": 201,
    "POST /api/expedientes": 201,
    "POST /api/expedientes/{no_siniestro}/comentarios": 201,
    "POST /serviceOrders": 201,
    "POST /api/usuarios": 201,
    "POST /api/integraciones": 201,
    "PUT /api/expedientes/{no_siniestro}/levantamiento": 201,
    "POST /api/expedientes/{no_siniestro}/levantamiento/conceptos": 201,
}


def comprobar_error(respuesta: dict[str, Any], donde: str) -> None:
    """503 with Retry-After, or 500; the `{"error"}` shape; nothing from the inside of the server."""
    assert respuesta["statusCode"] in (500, 503), f"{donde}: {respuesta['statusCode']} {respuesta['json']}"
    if respuesta["statusCode"] == 503:
        assert int(respuesta["headers"].get("Retry-After", "0")) >= 1, f"{donde}: 503 sin Retry-After"
    assert isinstance(respuesta["json"], dict), donde
    assert isinstance(respuesta["json"].get("error"), str), donde
    assert set(respuesta["json"]) <= {"error", "detalles"}, f"{donde}: {respuesta['json']}"
    texto_cuerpo = respuesta["body"]
    assert not any(rastro in texto_cuerpo for rastro in RASTROS), f"{donde}: el cuerpo filtra detalles internos"


@pytest.fixture(scope="module")
def integracion() -> ClienteIntegracion:
    return crear_cliente(id_aseguradora=1)


@pytest.fixture
def contexto(
    invocar: Invocar, admin: Llamante, siniestro: Callable[[], str], integracion: ClienteIntegracion
) -> Callable[[], Contexto]:
    return lambda: Contexto(invocar, admin, siniestro(), integracion)


def llamadas_de(escenario: Escenario, contexto: Callable[[], Contexto], inyector: Inyector) -> list[str]:
    """A clean run first, to learn which DynamoDB calls the path makes (and that it works)."""
    ctx = contexto()
    escenario.preparar(ctx)
    inyector.armar(None)
    respuesta = escenario.invocar(ctx)
    llamadas = list(inyector.llamadas)  # the path's own calls, before the checks below add theirs
    inyector.armar(None)
    assert respuesta["statusCode"] == EXITO.get(escenario.nombre, 200), respuesta["json"]
    escenario.comprobar(ctx, exito=True)
    return llamadas


@pytest.mark.parametrize("escenario", ESCENARIOS, ids=lambda e: e.nombre)
def test_dynamodb_failing_at_each_call_leaves_all_or_nothing(
    escenario: Escenario, contexto: Callable[[], Contexto], inyector: Inyector
) -> None:
    # Given the calls a clean run of this write path makes
    operacion_llamadas = llamadas_de(escenario, contexto, inyector)
    assert operacion_llamadas, "la ruta no llamó a DynamoDB"
    casos = 0
    for tipo in FALLOS:
        for n, operacion in enumerate(operacion_llamadas, start=1):
            ctx = contexto()
            escenario.preparar(ctx)
            donde = f"{escenario.nombre}, fallo {tipo} en la llamada {n} ({operacion})"

            # When DynamoDB fails every attempt of call n
            inyector.armar(n, tipo=tipo)
            respuesta = escenario.invocar(ctx)
            inyector.armar(None)

            # Then a clean 5xx and the table holds nothing of the change
            comprobar_error(respuesta, donde)
            escenario.comprobar(ctx, exito=False)
            # And the same request, repeated once DynamoDB is back, succeeds as a whole
            respuesta = escenario.invocar(ctx)
            assert respuesta["statusCode"] == EXITO.get(escenario.nombre, 200), f"{donde}: {respuesta['json']}"
            escenario.comprobar(ctx, exito=True)
            casos += 1
    INYECTADOS["casos"] += casos
    anotar(f"fallas: {escenario.nombre}: {len(operacion_llamadas)} llamadas x {len(FALLOS)} tipos = {casos} casos")


@pytest.mark.parametrize("escenario", ESCENARIOS, ids=lambda e: e.nombre)
def test_the_sdk_retries_a_single_throttled_attempt_and_the_write_succeeds(
    escenario: Escenario, contexto: Callable[[], Contexto], inyector: Inyector
) -> None:
    operacion_llamadas = llamadas_de(escenario, contexto, inyector)
    for n in range(1, len(operacion_llamadas) + 1):
        ctx = contexto()
        escenario.preparar(ctx)

        # When only the first attempt of call n is throttled
        inyector.armar(n, solo_primer_intento=True)
        respuesta = escenario.invocar(ctx)
        reintentos = inyector.intentos_en_objetivo
        inyector.armar(None)

        # Then the SDK's retry carries it through: one fault, a second attempt, the whole change written
        assert reintentos == 2, f"{escenario.nombre} llamada {n}: {reintentos} intentos"
        assert respuesta["statusCode"] == EXITO.get(escenario.nombre, 200), respuesta["json"]
        escenario.comprobar(ctx, exito=True)
        INYECTADOS["reintentos_sdk"] += 1
