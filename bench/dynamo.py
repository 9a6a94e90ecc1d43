"""DynamoDB requests and capacity per endpoint call, observed through botocore's event hooks on the
layer's own client (so what is counted is exactly what the handler sent), plus a Scan alarm."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

# Budgets from docs/data-model.md ("Access patterns and requests per endpoint" and the webhook note
# below that table). Keep in sync with the document, not with the code.
PRESUPUESTO = {
    "authorizer": 1,  # GetItem USUARIO#id / CLIENTE#id
    "login": 3,  # GetItem LOGIN#u + GetItem USERNAME#u + GetItem USUARIO#id (success path)
    "GET detalle": 2,  # Query EXP#no SK between EXP and OS$ + GetItem insurer
    "PUT": 2,  # GetItem (consistent) + TransactWrite (update + audit + search token items)
    "GET lista": 1,  # Query GSI1/GSI2/GSI3, one page
    "GET búsqueda": 1,  # Query the token index (GSI1 BUSQUEDA#<c>, begins_with), one page
    "logout": 1,  # UpdateItem USUARIO#id (ADD version_token)
    "PATCH estado": 2,  # GetItem (consistent) + TransactWrite (state + history + search token items)
    "POST /serviceOrders": 3,  # BatchGet client+order, counter, transaction (first delivery)
    "cancel": 3,  # BatchGet client+order + TransactWrite (+ read on refusal)
    "GET levantamiento": 1,  # BatchGet header + line items
    "PUT levantamiento": 2,  # BatchGet (consistent) + TransactWrite (check expediente, header, audit)
    "POST concepto": 2,  # BatchGet (consistent) + TransactWrite (check expediente, header, line items, audit)
    "GET checklist": 1,  # GetItem EXP#no/EXP#CHECKLIST
    "PUT checklist": 2,  # GetItem (consistent) + TransactWrite (check expediente + update + audit)
    "PATCH Salida": 2,  # BatchGet expediente+checklist (GetItem on the way back) + TransactWrite
    "GET formato expediente": 3,  # GetItem expediente + GetItem insurer + GetItem template in use
    "GET formato checklist": 2,  # GetItem checklist + GetItem template in use
    "GET formato levantamiento (300)": 2,  # BatchGet header + line items + GetItem template in use
    "publicar (lote de 10)": 2,  # BatchGet markers + BatchWrite markers (and one PutEvents, not DynamoDB)
    "enviar (1 webhook)": 2,  # Query GSI2 subscriptions + PutItem delivery log
}
# Reads that ask for ConsistentRead in their parameters; TransactGetItems always reads consistently. (A Scan
# is not counted here: it fails the run on its own.)
LECTURAS = {"GetItem", "BatchGetItem", "Query"}


@dataclass
class Llamada:
    """What one endpoint call sent to DynamoDB."""

    operaciones: Counter[str] = field(default_factory=Counter)
    capacidad: float = 0.0  # sum over the responses that reported it
    sin_capacidad: Counter[str] = field(default_factory=Counter)  # operations whose response did not
    consistentes: int = 0  # strongly consistent reads

    @property
    def total(self) -> int:
        return sum(self.operaciones.values())

    def capacidad_texto(self) -> str:
        """`2.5`, or `0.5 + n/d (TransactWriteItems)` when some responses carried no figure (moto omits some)."""
        if not self.sin_capacidad:
            return f"{self.capacidad:g}"
        faltan = ", ".join(sorted(self.sin_capacidad))
        return f"{self.capacidad:g} + n/d ({faltan})" if self.capacidad else f"n/d ({faltan})"


class Observador:
    """Hooks on a botocore client: ReturnConsumedCapacity=TOTAL on the way out, capacity summed on the way back."""

    def __init__(self) -> None:
        self.actual = Llamada()
        self.scans = 0
        self.hilo: int | None = None  # the thread of the call being counted

    def instalar_scan(self, cliente: Any) -> None:
        """For the whole run: any Scan, from any section, is reported (none is allowed)."""
        cliente.meta.events.register("before-call.dynamodb.Scan", self._scan)

    def instalar(self, cliente: Any) -> None:
        """Only while counting: the timed sections run without these hooks."""
        cliente.meta.events.register("before-parameter-build.dynamodb", self._antes)
        cliente.meta.events.register("after-call.dynamodb", self._despues)

    def retirar(self, cliente: Any) -> None:
        cliente.meta.events.unregister("before-parameter-build.dynamodb", self._antes)
        cliente.meta.events.unregister("after-call.dynamodb", self._despues)

    def nueva(self) -> Llamada:
        """A new call, counted on this thread only: work of other threads sharing the client (the local
        pipeline's readers, a receiver) is not the handler's."""
        self.actual = Llamada()
        self.hilo = threading.get_ident()
        return self.actual

    def cerrar(self) -> None:
        """The call is over: what follows (the floor, the next call's fixtures) is not counted in it."""
        self.hilo = None

    def _scan(self, **_: Any) -> None:
        self.scans += 1  # always counted, whichever section is running

    def _antes(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        if threading.get_ident() != self.hilo:
            return
        self.actual.operaciones[model.name] += 1
        if "ReturnConsumedCapacity" in model.input_shape.members:
            params.setdefault("ReturnConsumedCapacity", "TOTAL")
        if model.name == "TransactGetItems" or (model.name in LECTURAS and _consistente(params)):
            self.actual.consistentes += 1

    def _despues(self, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        if threading.get_ident() != self.hilo:
            return
        consumida = parsed.get("ConsumedCapacity")
        partes = consumida if isinstance(consumida, list) else [consumida] if consumida else []
        unidades = [float(p["CapacityUnits"]) for p in partes if "CapacityUnits" in p]
        if unidades:
            self.actual.capacidad += sum(unidades)
        else:
            self.actual.sin_capacidad[model.name] += 1


def _consistente(params: dict[str, Any]) -> bool:
    if params.get("ConsistentRead"):
        return True
    return any(bool(v.get("ConsistentRead")) for v in (params.get("RequestItems") or {}).values())
