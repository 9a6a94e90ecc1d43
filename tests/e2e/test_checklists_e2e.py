"""The exit checklist over HTTP through the local gateway (authorizer included): the catalog, a technician
filling the form, optimistic locking, the Salida gate and the detail's summary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from monitor.core import keys, table
from monitor.usuarios.campos import Rol
from tests.e2e.test_expedientes_e2e import _crear

pytestmark = pytest.mark.e2e


def test_the_exit_checklist_from_the_form_to_the_unit_leaving(
    api: Any, crear_usuario: Callable[..., Any], siniestro: Callable[[], str]
) -> None:
    operador, tecnico, admin = (crear_usuario(r) for r in (Rol.OPERADOR, Rol.TECNICO, Rol.ADMINISTRADOR))
    no = siniestro()
    _crear(api, operador, no, id_aseguradora=1, unidad_terminada="2024-04-01", doc_finiquito=True)
    ruta = f"/api/expedientes/{no}"
    for estado in ("Restauracion", "Pendiente_de_salida"):
        assert api.request("PATCH", ruta + "/estado", token=operador.token, json={"estado": estado}).status_code == 200

    # The technician reads the form and fills it in two partial PUTs
    catalogo = api.request("GET", "/api/checklist/catalogo", token=tecnico.token)
    assert catalogo.status_code == 200
    puntos = [(s["sistema"], item) for s in catalogo.json()["sistemas"] for item in s["items"]]
    assert len(puntos) == 122
    sin_checklist = api.request("GET", ruta + "/checklist", token=tecnico.token)
    assert (sin_checklist.status_code, sin_checklist.json()) == (404, {"error": "Checklist de salida no encontrado"})

    todos = [{"sistema": s, "nombre_item": n, "valor": "OK"} for s, n in puntos]
    alta = api.request(
        "PUT",
        ruta + "/checklist",
        token=tecnico.token,
        json={"fecha_inspeccion": "2024-04-01", "hora": "16:45", "deducible": 2500.75, "items": todos},
    )
    assert alta.status_code == 201, alta.text
    assert alta.headers["ETag"] == '"1"'
    assert '"deducible":2500.75' in alta.text
    cambio = api.request(
        "PUT",
        ruta + "/checklist",
        token=tecnico.token,
        json={"items": [{"sistema": puntos[0][0], "nombre_item": puntos[0][1], "valor": "RE"}]},
        headers={"If-Match": alta.headers["ETag"]},
    )
    assert cambio.status_code == 200, cambio.text
    viejo = api.request(
        "PUT", ruta + "/checklist", token=tecnico.token, json={"pintor": "Ana"}, headers={"If-Match": '"1"'}
    )
    assert viejo.status_code == 412
    malo = api.request(
        "PUT",
        ruta + "/checklist",
        token=tecnico.token,
        json={"items": [{"sistema": "CABINA", "nombre_item": "Volante", "valor": "OK"}]},
    )
    assert malo.status_code == 400
    assert "CABINA / Volante" in malo.json()["detalles"][0]["mensaje"]

    leido = api.request("GET", ruta + "/checklist", token=operador.token)
    assert leido.status_code == 200
    assert leido.headers["ETag"] == '"2"'
    cuerpo = leido.json()
    assert cuerpo["fecha_inspeccion"] == "2024-04-01T12:00:00.000Z"
    assert cuerpo["hora"] == "16:45"
    assert [(p["sistema"], p["nombre_item"]) for p in cuerpo["items"]] == puntos
    assert cuerpo["resumen"] == {"OK": 121, "RE": 1, "MA": 0, "NA": 0, "sin_revisar": 0}

    # Salida waits for the approval, the hand-over date and who receives the unit
    refusal = api.request("PATCH", ruta + "/estado", token=operador.token, json={"estado": "Salida"})
    assert refusal.status_code == 409
    assert refusal.json()["faltantes"] == [
        "checklist.aprobada",
        "checklist.fecha_entrega",
        "checklist.nombre_quien_recibe",
    ]
    assert "el checklist de salida aprobado" in refusal.json()["error"]
    aprobado = {"aprobada": True, "fecha_entrega": "2024-04-02", "nombre_quien_recibe": "Juan García"}
    assert api.request("PUT", ruta + "/checklist", token=tecnico.token, json=aprobado).status_code == 200
    salida = api.request("PATCH", ruta + "/estado", token=operador.token, json={"estado": "Salida"})
    assert salida.status_code == 200, salida.text

    # Out: the detail shows the approval; un-approving or deleting it now is refused
    detalle = api.request("GET", ruta, token=tecnico.token).json()
    assert detalle["estado"] == "Salida"
    assert detalle["checklist"] == {"aprobada": True, "resumen": cuerpo["resumen"]}
    desaprobar = api.request("PUT", ruta + "/checklist", token=tecnico.token, json={"aprobada": False})
    borrar_tec = api.request("DELETE", ruta + "/checklist", token=tecnico.token)
    borrar_admin = api.request("DELETE", ruta + "/checklist", token=admin.token)
    assert desaprobar.status_code == 409
    assert borrar_tec.status_code == 403
    assert borrar_admin.status_code == 409
    assert table.get(keys.checklist(no), consistente=True)["aprobada"] is True  # type: ignore[index]

    # Deleting the expediente takes its checklist with it
    assert api.request("DELETE", ruta, token=admin.token).status_code == 200
    assert table.get(keys.checklist(no), consistente=True) is None
