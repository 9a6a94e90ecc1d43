"""The Salida gate: a unit leaves only with its exit checklist approved, dated and signed for, and neither a
transition nor a checklist write can break that rule, whatever order they commit in."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from monitor.checklists import servicio as checklists
from monitor.checklists.modelos import CambiosChecklist
from monitor.core import keys, table
from monitor.core.errors import Conflicto
from monitor.expedientes import estados
from monitor.expedientes.campos import Estado
from tests.apoyo.checklists import APROBADO, PUNTO, aprobar_checklist, borrar, guardado, poner
from tests.apoyo.expedientes import meta, nuevo
from tests.handlers.test_estado import LISTO_PARA_SALIR, historia, llevar_a, mover

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")

Invocar = Callable[..., dict[str, Any]]
FALTANTES_SIN_CHECKLIST = ["checklist.aprobada", "checklist.fecha_entrega", "checklist.nombre_quien_recibe"]
PALABRAS = {
    "checklist.aprobada": "el checklist de salida aprobado",
    "checklist.fecha_entrega": "la fecha de entrega en el checklist de salida",
    "checklist.nombre_quien_recibe": "el nombre de quien recibe en el checklist de salida",
}
EN_SALIDA = (
    "El expediente está en Salida y este cambio le quitaría lo que Salida exige del checklist "
    "(aprobada, fecha_entrega, nombre_quien_recibe): un administrador debe reabrirlo primero"
)
RONDAS = 12


def pendiente_de_salida(invocar: Invocar, llamante: Any, no: str, **campos: Any) -> None:
    """An expediente with an insurer, ready as far as its own fields go, one step before Salida."""
    nuevo(invocar, llamante, no, id_aseguradora=1, **{**LISTO_PARA_SALIR, **campos})
    llevar_a(invocar, llamante, no, "Restauracion", "Pendiente_de_salida")


def rechazo(faltantes: list[str], propios: str = "") -> dict[str, Any]:
    palabras = ", ".join([*([propios] if propios else []), *(PALABRAS[f] for f in faltantes if f in PALABRAS)])
    return {"error": f"No se puede pasar a Salida: falta {palabras}", "faltantes": faltantes}


@pytest.mark.parametrize(
    ("checklist", "faltantes"),
    [
        pytest.param(None, FALTANTES_SIN_CHECKLIST, id="sin-checklist"),
        pytest.param({"pintor": "Ana"}, FALTANTES_SIN_CHECKLIST, id="checklist-vacio"),
        pytest.param({**APROBADO, "aprobada": False}, ["checklist.aprobada"], id="no-aprobado"),
        pytest.param({**APROBADO, "aprobada": None}, ["checklist.aprobada"], id="aprobada-sin-valor"),
        pytest.param({**APROBADO, "fecha_entrega": None}, ["checklist.fecha_entrega"], id="sin-fecha-de-entrega"),
        pytest.param({**APROBADO, "nombre_quien_recibe": "  "}, ["checklist.nombre_quien_recibe"], id="sin-quien"),
        pytest.param(
            {"aprobada": True}, ["checklist.fecha_entrega", "checklist.nombre_quien_recibe"], id="solo-aprobado"
        ),
    ],
)
def test_salida_is_refused_naming_each_missing_requirement_of_the_checklist(
    invocar: Invocar,
    operador: Any,
    siniestro: Callable[[], str],
    checklist: dict[str, Any] | None,
    faltantes: list[str],
) -> None:
    no = siniestro()
    pendiente_de_salida(invocar, operador, no)
    if checklist is not None:
        assert poner(invocar, operador, no, checklist)["statusCode"] == 201
    antes, pasos = meta(no), len(historia(no))

    r = mover(invocar, operador, no, "Salida")

    assert r["statusCode"] == 409
    assert r["json"] == rechazo(faltantes)
    assert meta(no) == antes
    assert len(historia(no)) == pasos


def test_the_expediente_s_own_requirements_and_the_checklist_s_are_listed_together(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no, id_aseguradora=1)
    llevar_a(invocar, operador, no, "Restauracion", "Pendiente_de_salida")
    poner(invocar, operador, no, {"aprobada": False, "fecha_entrega": "2024-04-02"})

    r = mover(invocar, operador, no, "Salida")

    assert r["statusCode"] == 409
    assert r["json"] == rechazo(
        ["unidad_terminada", "doc_finiquito", "checklist.aprobada", "checklist.nombre_quien_recibe"],
        propios="unidad_terminada, doc_finiquito",
    )


def test_salida_is_allowed_once_everything_is_met_in_two_requests(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    no = siniestro()
    pendiente_de_salida(invocar, operador, no)
    assert mover(invocar, operador, no, "Salida")["statusCode"] == 409
    aprobar_checklist(invocar, operador, no)
    dynamo_requests.reiniciar()

    r = mover(invocar, operador, no, "Salida")

    assert r["statusCode"] == 200, r["json"]
    assert r["json"]["estado"] == "Salida"
    assert dynamo_requests.llamadas == {"BatchGetItem": 1, "TransactWriteItems": 1}
    assert max(historia(no), key=lambda h: h["SK"])["estado_nuevo"] == "Salida"


def test_a_checklist_changed_between_the_read_and_the_write_cannot_let_the_unit_out(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a unit ready to leave, and a writer that un-approves its checklist right after the transition read it
    no = siniestro()
    pendiente_de_salida(invocar, operador, no)
    aprobar_checklist(invocar, operador, no)
    leer = table.get_varios
    lecturas: list[bool] = []

    def leer_y_desaprobar(claves: list[Any], **kwargs: Any) -> list[dict[str, Any]]:
        leidos = leer(claves, **kwargs)
        if not lecturas:
            table.update(keys.checklist(no), "SET aprobada = :no", {":no": False})
        lecturas.append(True)
        return leidos

    monkeypatch.setattr(table, "get_varios", leer_y_desaprobar)

    # When the transition runs on what it read (an approved checklist)
    r = mover(invocar, operador, no, "Salida")

    # Then its transaction's check on the checklist refuses it, and the re-read names what is missing
    assert len(lecturas) == 2
    assert r["statusCode"] == 409
    assert r["json"] == rechazo(["checklist.aprobada"])
    assert meta(no)["estado"] == "Pendiente_de_salida"  # type: ignore[index]


def test_while_in_salida_no_checklist_write_may_take_away_what_salida_needs(
    invocar: Invocar, operador: Any, tecnico: Any, admin: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    pendiente_de_salida(invocar, operador, no)
    aprobar_checklist(invocar, operador, no)
    llevar_a(invocar, operador, no, "Salida")
    antes = guardado(no)

    negados = [
        poner(invocar, tecnico, no, {"aprobada": False}),
        poner(invocar, tecnico, no, {"fecha_entrega": None}),
        poner(invocar, tecnico, no, {"nombre_quien_recibe": " "}),
        borrar(invocar, admin, no),
    ]
    assert [(r["statusCode"], r["json"]) for r in negados] == [(409, {"error": EN_SALIDA})] * 4
    assert guardado(no) == antes

    otros = poner(
        invocar, tecnico, no, {"observaciones_adicionales": "Sin novedad", "items": [{**PUNTO, "valor": "OK"}]}
    )
    assert otros["statusCode"] == 200  # what Salida does not need can still be written

    llevar_a(invocar, admin, no, "Pendiente_de_salida")  # an administrator reopens it
    assert poner(invocar, tecnico, no, {"aprobada": False})["statusCode"] == 200


def test_a_unit_that_left_before_the_gate_existed_can_still_get_its_checklist(
    invocar: Invocar, operador: Any, admin: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    table.update(keys.expediente(no), "SET estado = :s", {":s": "Salida"})  # delivered under the old rules

    creado = poner(invocar, operador, no, {"pintor": "Ana"})
    cambio = poner(invocar, operador, no, {"aprobada": False})
    borrado = borrar(invocar, admin, no)

    assert [creado["statusCode"], cambio["statusCode"], borrado["statusCode"]] == [201, 200, 200]


def test_an_unapprove_racing_the_transition_never_ends_in_salida_unapproved(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str]
) -> None:
    """Threads in one process calling the layer (the resolvers keep the current event per process)."""
    desaprobar = CambiosChecklist.model_validate({"aprobada": False})
    resultados: list[tuple[str, str]] = []
    for _ in range(RONDAS):
        no = siniestro()
        pendiente_de_salida(invocar, operador, no)
        aprobar_checklist(invocar, operador, no)
        barrera = threading.Barrier(2)
        ganadores: list[str] = []

        def transicion(no: str = no, barrera: threading.Barrier = barrera, ganadores: list[str] = ganadores) -> None:
            barrera.wait()
            try:
                estados.cambiar(no, Estado.SALIDA, operador.principal)
                ganadores.append("salida")
            except Conflicto:
                pass

        def desaprobacion(no: str = no, barrera: threading.Barrier = barrera, ganadores: list[str] = ganadores) -> None:
            barrera.wait()
            try:
                checklists.guardar(no, desaprobar, operador.principal)
                ganadores.append("desaprobado")
            except Conflicto:
                pass

        hilos = [threading.Thread(target=transicion), threading.Thread(target=desaprobacion)]
        for hilo in hilos:
            hilo.start()
        for hilo in hilos:
            hilo.join(timeout=60)

        estado = meta(no)["estado"]  # type: ignore[index]
        aprobada = guardado(no)["aprobada"]  # type: ignore[index]
        resultados.append((estado, aprobada))
        assert not (estado == "Salida" and aprobada is not True), resultados
        assert len(ganadores) == 1, (ganadores, estado, aprobada)  # exactly one of the two writes commits
        assert (estado, aprobada) in {("Salida", True), ("Pendiente_de_salida", False)}
