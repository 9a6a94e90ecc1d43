"""The API's one OpenAPI document and its Swagger UI, for the local gateway's /openapi.json and /docs.

Each function's resolver describes its own route (Powertools); Powertools' OpenAPIMerge joins them.
The template decides what the functions cannot know: which routes exist and which need a token.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from aws_lambda_powertools.event_handler.openapi import swagger_ui

from tools import funciones
from tools.plantilla import Ruta

TITULO = "Monitor API"
VERSION = "1.0.0"
ESQUEMA_TOKEN = "bearerAuth"
NO_IMPLEMENTADA = "x-monitor-no-implementada"

# The operations' groups in Swagger UI, in this order; each route names its own (`tags=[...]`).
ETIQUETAS = {
    "Salud": "Disponibilidad del servicio",
    "Autenticación": "Inicio y cierre de sesión, token de integración, usuario actual y contraseña",
    "Usuarios": "Usuarios del taller (solo administradores)",
    "Aseguradoras": "Catálogo de aseguradoras",
    "Integraciones": "Clientes de integración y webhooks de órdenes de mano de obra de las aseguradoras",
    "Suscripciones": "Avisos de eventos (webhooks firmados) a las plataformas de las aseguradoras y su bitácora "
    "de entregas",
    "Expedientes": "Expedientes, flujo de estados, historial y auditoría",
    "Comentarios": "Notas del personal sobre un expediente",
    "Levantamientos": "Levantamiento de daños de un expediente y sus conceptos",
    "Checklists": "Checklist de salida de un expediente (inspección punto por punto) y su catálogo",
    "Evidencias": "Fotografías y documentos de un expediente (carga directa a S3)",
    "Formatos": "Formatos imprimibles (.xlsx) de un expediente y las plantillas del taller con que se llenan",
    "Órdenes de servicio": "Órdenes de mano de obra recibidas, vistas por el personal",
    "Reportes": "Tablero de producción y tiempos de ciclo",
}
_ASSETS_SWAGGER = Path(swagger_ui.__file__).parent
ASSETS = {
    "/docs/swagger-ui-bundle.min.js": ("swagger-ui-bundle.min.js", "application/javascript; charset=utf-8"),
    "/docs/swagger-ui.min.css": ("swagger-ui.min.css", "text/css; charset=utf-8"),
}


def documento(rutas: Iterable[Ruta]) -> dict[str, Any]:
    """Merged document of every function that exists; template routes without code are listed as such."""
    from aws_lambda_powertools.event_handler.openapi.merge import OpenAPIMerge
    from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

    rutas = list(rutas)
    union = OpenAPIMerge(
        title=TITULO,
        version=VERSION,
        description="API de expedientes del taller. Las rutas protegidas requieren `Authorization: Bearer <token>`.",
        security_schemes={ESQUEMA_TOKEN: HTTPBearer(bearerFormat="JWT")},
        on_conflict="error",
    )
    componentes: dict[str, Any] = {}
    for codigo in dict.fromkeys(r.codigo for r in rutas):
        esquema = _esquema_de(codigo)
        if esquema is not None:
            _avisar_choques(componentes, esquema.get("components", {}).get("schemas", {}), codigo)
            union.add_schema(esquema)
    doc: dict[str, Any] = json.loads(union.get_openapi_json_schema())
    for ruta in rutas:
        operacion = doc.setdefault("paths", {}).setdefault(ruta.ruta, {}).setdefault(ruta.metodo.lower(), {})
        if not operacion:
            operacion.update(_sin_implementar(ruta))
        operacion["security"] = [] if ruta.publica else [{ESQUEMA_TOKEN: []}]
    usadas = {
        t for operaciones in doc.get("paths", {}).values() for o in operaciones.values() for t in o.get("tags", [])
    }
    doc["tags"] = [{"name": n, "description": d} for n, d in ETIQUETAS.items() if n in usadas] + [
        {"name": n} for n in sorted(usadas - set(ETIQUETAS))
    ]
    return doc


def _esquema_de(codigo: Path) -> dict[str, Any] | None:
    """A function's own schema, from a fresh load of its module (as a cold start would)."""
    if not (codigo / "app.py").is_file():
        return None
    try:
        app = funciones.cargar(codigo).app
        esquema: dict[str, Any] = app.get_openapi_schema(title=TITULO).model_dump(by_alias=True, exclude_none=True)
    except Exception as exc:
        print(f"[openapi] {codigo.name}: no se pudo obtener su esquema ({exc!r})", file=sys.stderr)
        return None
    return esquema


def _avisar_choques(vistos: dict[str, Any], nuevos: dict[str, Any], codigo: Path) -> None:
    """OpenAPIMerge keeps the last model of a given name; two different models with one name would hide one."""
    for nombre, definicion in nuevos.items():
        if nombre in vistos and vistos[nombre] != definicion:
            print(f"[openapi] {codigo.name}: el modelo {nombre!r} choca con otro del mismo nombre", file=sys.stderr)
        vistos.setdefault(nombre, definicion)


def _sin_implementar(ruta: Ruta) -> dict[str, Any]:
    return {
        "summary": f"{ruta.funcion} (sin implementar en functions/{ruta.codigo.name})",
        NO_IMPLEMENTADA: True,
        "responses": {"501": {"description": "Función no implementada localmente"}},
    }


def html_swagger(doc: dict[str, Any]) -> str:
    """Swagger UI with the document inline and Powertools' bundled assets (served by the gateway: works offline)."""
    especificacion = json.dumps(doc, ensure_ascii=False).replace("</", "<\\/")
    return swagger_ui.generate_swagger_html(
        especificacion,
        swagger_js="/docs/swagger-ui-bundle.min.js",
        swagger_css="/docs/swagger-ui.min.css",
        swagger_base_url="/docs",
        oauth2_config=None,
        persist_authorization=True,
    )


def asset(ruta: str) -> tuple[bytes, str] | None:
    """Swagger UI's JS/CSS as shipped inside aws_lambda_powertools."""
    if ruta not in ASSETS:
        return None
    nombre, tipo = ASSETS[ruta]
    return (_ASSETS_SWAGGER / nombre).read_bytes(), tipo
