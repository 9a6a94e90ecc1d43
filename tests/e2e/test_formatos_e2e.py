"""The printable forms over HTTP through the local gateway (authorizer included): a technician asks for the
expediente's form and downloads it from S3; an administrator puts a shop template in use and goes back."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
import requests
from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName

from monitor.formatos import campos
from monitor.usuarios.campos import Rol
from tests.apoyo import lectura_xlsx

pytestmark = pytest.mark.e2e

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plantilla_minima() -> bytes:
    """Every name of the expediente's form, one per row of a single column."""
    libro = Workbook()
    hoja = libro.active
    hoja.title = "Taller"
    for fila, nombre in enumerate(campos.EXPEDIENTE.campos, start=1):
        hoja.cell(fila, 1, nombre.etiqueta)
        libro.defined_names.add(DefinedName(nombre.nombre, attr_text=f"Taller!$B${fila}"))
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


def test_a_technician_downloads_the_expediente_form_and_an_admin_swaps_the_template(
    api: Any, crear_usuario: Callable[..., Any], siniestro: Callable[[], str]
) -> None:
    admin, tecnico = crear_usuario(Rol.ADMINISTRADOR), crear_usuario(Rol.TECNICO)
    no = siniestro()
    cuerpo = {
        "no_siniestro": no,
        "nombre_cliente": "María Peña",
        "telefono_cliente": "5512345678",
        "marca": "Nissan",
        "placas": "ABC-123",
        "tipo": "Sentra",
        "modelo": "2020",
        "fecha_ingreso": "2025-03-01",
        "fecha_entrega": "2025-03-20",
        "tecnico": "Carlos Pérez",
    }
    assert api.request("POST", "/api/expedientes", token=admin.token, json=cuerpo).status_code == 201

    respuesta = api.request("GET", f"/api/expedientes/{no}/formatos/expediente", token=tecnico.token)

    assert respuesta.status_code == 200, respuesta.text
    archivo = requests.get(respuesta.json()["url"], timeout=30)
    assert archivo.status_code == 200
    wb = lectura_xlsx.libro(archivo.content)
    assert lectura_xlsx.celda(wb, "tecnico").valor == "Carlos Pérez"
    assert lectura_xlsx.celda(wb, "fecha_ingreso").valor == datetime(2025, 3, 1)
    assert api.request("PUT", "/api/formatos/plantillas/expediente", token=tecnico.token).status_code == 403

    carga = api.request("PUT", "/api/formatos/plantillas/expediente", token=admin.token).json()["upload"]
    subida = requests.post(
        carga["url"], data=carga["fields"], files={"file": ("t.xlsx", _plantilla_minima(), XLSX)}, timeout=30
    )
    assert subida.status_code in (200, 204)
    confirmada = api.request("POST", "/api/formatos/plantillas/expediente/confirmar", token=admin.token)
    try:
        assert confirmada.status_code == 200, confirmada.text
        otra = api.request("GET", f"/api/expedientes/{no}/formatos/expediente", token=tecnico.token).json()
        assert lectura_xlsx.libro(requests.get(otra["url"], timeout=30).content).sheetnames == ["Taller"]
    finally:
        restablecida = api.request("DELETE", "/api/formatos/plantillas/expediente", token=admin.token)
        assert restablecida.json()["origen"] == "propia"
    assert api.request("GET", f"/api/expedientes/{no}/formatos/factura", token=tecnico.token).status_code == 400
