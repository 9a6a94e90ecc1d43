"""Milestones reached by a change: first time only, from a state entered or a field first set."""

from __future__ import annotations

from monitor.expedientes.hitos import Hito, alcanzados

T1, T2 = "2024-03-01T10:00:00.000Z", "2024-03-05T10:00:00.000Z"


def test_a_new_expediente_enters_ingreso_and_any_milestone_its_fields_already_reach() -> None:
    assert alcanzados(None, {"estado": "Ingreso"}, T1) == {"Ingreso": T1}
    nuevo = {"estado": "Ingreso", "fecha_autorizacion": "2024-03-01T12:00:00.000Z"}
    assert alcanzados(None, nuevo, T1) == {"Ingreso": T1, Hito.VALUACION_AUTORIZADA: T1}


def test_entering_a_state_reaches_it_and_its_milestone_once() -> None:
    antes = {"estado": "Ingreso", "hitos": {"Ingreso": T1}}
    assert alcanzados(antes, {**antes, "estado": "Restauracion"}, T2) == {
        "Restauracion": T2,
        Hito.EN_REPARACION: T2,
    }
    reabierta = {
        "estado": "Pendiente_de_salida",
        "hitos": {"Salida": T1, Hito.ENTREGADA: T1, "Pendiente_de_salida": T1},
    }
    assert alcanzados(reabierta, {**reabierta, "estado": "Salida"}, T2) == {}


def test_a_field_reaches_its_milestone_only_when_it_goes_from_empty_to_set() -> None:
    antes = {"estado": "Ingreso", "hitos": {"Ingreso": T1}}
    assert alcanzados(antes, {**antes, "fecha_pzas_completas": "2024-03-04T12:00:00.000Z"}, T2) == {
        Hito.REFACCIONES_COMPLETAS: T2
    }
    # set before milestones were kept (no map): changing another field reaches nothing
    viejo = {"estado": "Restauracion", "fecha_autorizacion": "2024-01-01T12:00:00.000Z"}
    assert alcanzados(viejo, {**viejo, "color": "Rojo"}, T2) == {}
    # cleared and set again: the first time stands
    con_hito = {"estado": "Ingreso", "hitos": {Hito.VALUACION_AUTORIZADA: T1}}
    assert alcanzados(con_hito, {**con_hito, "fecha_autorizacion": "2024-03-02T12:00:00.000Z"}, T2) == {}


def test_a_put_never_re_enters_the_state_the_expediente_is_in() -> None:
    viejo = {"estado": "Restauracion"}  # no map yet: a PUT must not stamp Restauracion now
    assert alcanzados(viejo, {**viejo, "tecnico": "Ana"}, T2) == {}
