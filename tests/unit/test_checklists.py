"""The exit checklist's pure parts: the catalog shipped with the layer, the request model, the summary and the
Salida rule's words."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any, get_args

import pytest
from pydantic import ValidationError

from monitor.checklists import catalogo
from monitor.checklists.modelos import CambiosChecklist, Valor
from monitor.core.errors import Conflicto
from monitor.expedientes import estados
from monitor.expedientes.campos import Estado
from monitor.usuarios.campos import Rol
from tools import openapi_local, plantilla

CAPA = Path(__file__).resolve().parents[2] / "layers" / "common" / "monitor" / "checklists"


# ---- the catalog as shipped
def test_the_shipped_catalog_has_12_systems_122_points_and_four_values() -> None:
    datos = json.loads((CAPA / "catalogo.json").read_text(encoding="utf-8"))

    assert set(datos) == {"descripcion", "valores", "sistemas"}
    assert datos["valores"] == ["OK", "RE", "MA", "NA"]
    assert len(datos["sistemas"]) == 12
    assert sum(len(s["items"]) for s in datos["sistemas"]) == 122
    puntos = [(s["sistema"], item) for s in datos["sistemas"] for item in s["items"]]
    assert len(set(puntos)) == 122  # (sistema, nombre_item) names one point
    assert all(s.strip() and n.strip() for s, n in puntos)
    assert catalogo.catalogo() == datos  # what the layer loads (and serves) is the file itself
    assert list(catalogo.puntos()) == puntos


def test_the_request_model_accepts_exactly_the_catalog_s_values() -> None:
    literal, *_ = get_args(Valor)
    assert get_args(literal) == catalogo.valores()


def test_the_summary_counts_catalog_points_only() -> None:
    (s1, n1), (s2, n2), (s3, n3) = catalogo.puntos()[:3]
    guardados = {s1: {n1: "OK", n2: "NA"}, "SISTEMA RETIRADO": {"x": "MA"}}
    if s3 != s1:  # pragma: no cover - the first system has more than three points
        guardados[s3] = {}
    guardados[s1][n3] = "OK"

    assert catalogo.resumen(guardados) == {"OK": 2, "RE": 0, "MA": 0, "NA": 1, "sin_revisar": 119}
    assert catalogo.resumen({}) == {"OK": 0, "RE": 0, "MA": 0, "NA": 0, "sin_revisar": 122}
    assert (s2, n2) != (s1, n1)


# ---- the request model
@pytest.mark.parametrize(("hora", "valida"), [("00:00", True), ("23:59", True), (" 07:05 ", True), ("24:00", False)])
def test_hora_is_hh_mm_within_the_day(hora: str, valida: bool) -> None:
    if valida:
        assert CambiosChecklist.model_validate({"hora": hora}).hora == hora.strip()
    else:
        with pytest.raises(ValidationError, match="HH:MM"):
            CambiosChecklist.model_validate({"hora": hora})


def test_amounts_stay_exact_and_blank_text_means_clear() -> None:
    modelo = CambiosChecklist.model_validate({"deducible": Decimal("0.10"), "pintor": "  ", "anio": " 2019 "})

    assert modelo.cambios() == {"deducible": Decimal("0.10"), "pintor": None, "anio": "2019"}
    assert modelo.puntos() == []


@pytest.mark.parametrize("monto", ["10", True, 1.5, Decimal("NaN"), Decimal("Infinity")])
def test_amounts_are_json_numbers_only(monto: Any) -> None:
    with pytest.raises(ValidationError):
        CambiosChecklist.model_validate({"deducible": monto})


def test_points_are_named_exactly_as_in_the_catalog() -> None:
    sistema, nombre = catalogo.puntos()[0]
    bien = CambiosChecklist.model_validate({"items": [{"sistema": sistema, "nombre_item": nombre, "valor": None}]})
    assert bien.puntos() == [(sistema, nombre, None)]
    with pytest.raises(ValidationError, match="Punto fuera del catálogo"):
        CambiosChecklist.model_validate({"items": [{"sistema": sistema, "nombre_item": nombre.upper(), "valor": "OK"}]})


# ---- the Salida rule
LISTO = {"estado": Estado.PENDIENTE_DE_SALIDA.value, "unidad_terminada": "x", "fecha_entrega": "y"}
APROBADO = {"aprobada": True, "fecha_entrega": "z", "nombre_quien_recibe": "Juan"}


@pytest.mark.parametrize(
    ("checklist", "faltantes"),
    [
        (None, ["checklist.aprobada", "checklist.fecha_entrega", "checklist.nombre_quien_recibe"]),
        ({**APROBADO, "aprobada": "true"}, ["checklist.aprobada"]),  # only the boolean true approves
        ({**APROBADO, "fecha_entrega": None}, ["checklist.fecha_entrega"]),
        ({**APROBADO, "nombre_quien_recibe": ""}, ["checklist.nombre_quien_recibe"]),
    ],
)
def test_salida_names_what_the_checklist_lacks(checklist: dict[str, Any] | None, faltantes: list[str]) -> None:
    with pytest.raises(Conflicto) as error:
        estados.validar_transicion(dict(LISTO), Estado.SALIDA, Rol.OPERADOR, checklist)

    assert error.value.body()["faltantes"] == faltantes
    assert error.value.body()["error"].startswith("No se puede pasar a Salida: falta ")
    assert error.value.status == 409


def test_the_checklist_is_not_asked_for_other_transitions() -> None:
    assert estados.validar_transicion(dict(LISTO), Estado.RESTAURACION, Rol.OPERADOR) == Estado.PENDIENTE_DE_SALIDA
    assert estados.validar_transicion(dict(LISTO), Estado.SALIDA, Rol.OPERADOR, APROBADO) == Estado.PENDIENTE_DE_SALIDA


# ---- the OpenAPI document
def test_the_document_describes_the_checklist_routes_and_the_salida_refusal() -> None:
    documento = openapi_local.documento(plantilla.rutas())
    rutas, componentes = documento["paths"], documento["components"]["schemas"]

    put = rutas["/api/expedientes/{no_siniestro}/checklist"]["put"]
    assert put["responses"]["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Checklist"
    }
    assert {"200", "400", "404", "409", "412"} <= set(put["responses"])
    assert {"get", "put", "delete"} == set(rutas["/api/expedientes/{no_siniestro}/checklist"])
    assert "/api/checklist/catalogo" in rutas
    # the answer's points and the request's points are different components
    assert componentes["Checklist"]["properties"]["items"]["items"] == {"$ref": "#/components/schemas/PuntoConValor"}
    assert "valor" in componentes["PuntoChecklist"]["required"]
    assert componentes["CambiosChecklist"]["properties"]["hora"]["anyOf"][0]["pattern"] == r"^([01]\d|2[0-3]):[0-5]\d$"
    salida = rutas["/api/expedientes/{no_siniestro}/estado"]["patch"]["responses"]["409"]
    assert {"$ref": "#/components/schemas/ErrorSalida"} in salida["content"]["application/json"]["schema"]["anyOf"]
    assert componentes["DetalleExpediente"]["properties"]["checklist"]
