"""What a function does at init, checked in fresh interpreters (this test process has long imported
everything): deferred Powertools package inits, no Pydantic where no route needs it, no response model
defined, the garbage collector paused until the first response. The timings themselves are measured by
`make bench`, never here."""

from __future__ import annotations

import importlib
import inspect
import json
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from monitor.startup import deferred_inits, switches
from tools import funciones, plantilla
from tools.aws_local import AwsLocal

RAIZ = Path(__file__).resolve().parents[2]
CAPA = RAIZ / "layers" / "common"
PARAMETRO_DE_RUTA = re.compile(r"{(\w+)}")
# Loaded only by the resolvers and event classes no function uses.
AJENOS = (
    "asyncio",
    "aws_lambda_powertools.event_handler.appsync",
    "aws_lambda_powertools.utilities.data_classes.s3_event",
)

# After `import app`: which of these modules are loaded, and whether any package's response models are.
_INFORME = """
informe = {m: m in sys.modules for m in ["pydantic", "jwt", *AJENOS]}
informe["respuestas"] = sorted(m for m in sys.modules if m.startswith("monitor.") and m.endswith(".respuestas"))
print(json.dumps(informe))
"""
# Init plus one request from events/ against the session's moto server.
_UNA_SOLICITUD = """
from tools.funciones import Contexto
respuesta = app.lambda_handler(json.load(open(EVENTO)), Contexto())
print(json.dumps({"status": respuesta["statusCode"], "pydantic": "pydantic" in sys.modules}))
"""


def en_limpio(
    funcion: str, codigo: str, local: AwsLocal | None = None, *, en_lambda: bool = False, apagados: str = ""
) -> dict[str, Any]:
    """A fresh interpreter importing functions/<funcion>/app.py as Lambda does, then running `codigo`;
    `en_lambda` adds the variable the Lambda runtime sets, `apagados` the bench's switch of start-up tricks
    (`monitor.startup.switches`). Without `local`, AWS is unreachable."""
    local = local or AwsLocal(endpoint="http://127.0.0.1:9", tabla="t", secreto="s", bucket="b")
    entorno = {**local.entorno(), **({"AWS_LAMBDA_FUNCTION_NAME": f"monitor-{funcion}"} if en_lambda else {})}
    if apagados:
        entorno[switches.VARIABLE] = apagados
    prologo = [
        "import json, sys",
        f"sys.path[:0] = [{str(RAIZ / 'functions' / funcion)!r}, {str(CAPA)!r}]",
        "import app",
        f"sys.path.append({str(RAIZ)!r})",
        f"AJENOS = {list(AJENOS)!r}",
        f"EVENTO = {str(RAIZ / 'events' / f'{funcion}.json')!r}",
    ]
    hecho = subprocess.run(
        [sys.executable, "-c", "\n".join([*prologo, codigo])],
        env=entorno,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    resultado: dict[str, Any] = json.loads(hecho.stdout.strip().splitlines()[-1])
    return resultado


@pytest.fixture(scope="module")
def resolvers() -> dict[str, Any]:
    codigos = sorted({r.codigo for r in plantilla.rutas()})
    return {c.name: funciones.cargar(c).app for c in codigos}


# ---- deferred package inits
def test_exports_are_read_from_the_package_init() -> None:
    fuente = "from .alb_event import ALBEvent\nfrom pkg.otro import Algo as Alias\nimport os\nX = 1\n"
    assert deferred_inits.exportados("pkg.sub", fuente) == {
        "ALBEvent": ("pkg.sub.alb_event", "ALBEvent"),
        "Alias": ("pkg.otro", "Algo"),
    }


def test_an_imported_package_is_left_as_it_is() -> None:
    importlib.import_module(deferred_inits.PAQUETES[0])
    assert deferred_inits.diferir(deferred_inits.PAQUETES[0]) is None


@pytest.mark.parametrize("paquete", deferred_inits.PAQUETES)
def test_a_deferred_package_exports_the_same_objects_as_the_real_one(paquete: str) -> None:
    """Every name the real `__init__` imports, through the deferred module, is the very same object."""
    codigo = f"""
import importlib, json, sys
sys.path.insert(0, {str(CAPA)!r})
import monitor
from monitor.startup import deferred_inits, switches
paquete = importlib.import_module({paquete!r})
nombres = deferred_inits.exportados({paquete!r}, open(paquete.__spec__.origin, encoding="utf-8").read())
antes = sorted(m for m in sys.modules if m.startswith({paquete!r} + "."))
distintos = [n for n, (origen, real) in nombres.items()
             if getattr(paquete, n) is not getattr(importlib.import_module(origen), real)]
real_all = getattr(paquete, "__all__", [])
print(json.dumps({{"nombres": len(nombres), "antes": len(antes), "distintos": distintos,
                  "sin_exportar": sorted(set(real_all) - set(nombres)), "submodulo": paquete.__name__}}))
"""
    hecho = subprocess.run([sys.executable, "-c", codigo], capture_output=True, text=True, check=True, timeout=120)
    resultado = json.loads(hecho.stdout.strip().splitlines()[-1])
    assert resultado["nombres"] > 10
    assert resultado["antes"] < resultado["nombres"]  # nothing was loaded up front...
    assert resultado["distintos"] == []  # ...and every name resolves to the real object
    assert resultado["sin_exportar"] == []


def test_no_function_loads_the_resolvers_and_events_it_does_not_use(resolvers: dict[str, Any]) -> None:
    todas = [*resolvers, "auth_authorizer"]
    with ThreadPoolExecutor(max_workers=4) as grupo:
        informes = dict(zip(todas, grupo.map(lambda f: en_limpio(f, _INFORME), todas), strict=True))
    for nombre, cargados in informes.items():
        assert [m for m in AJENOS if cargados[m]] == [], nombre
        assert cargados["respuestas"] == [], nombre  # response models are for the document only
    assert informes["auth_authorizer"]["pydantic"] is False
    # Functions that sign or verify a token on every request load PyJWT at init; the rest never do.
    firmantes = {"auth_authorizer", "auth_login", "auth_token", "auth_password"}
    assert {n for n, cargados in informes.items() if cargados["jwt"]} == firmantes
    # The check can fail: the real package init does load them.
    directo = subprocess.run(
        [sys.executable, "-c", "import sys, aws_lambda_powertools.event_handler; print('asyncio' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert directo.stdout.strip() == "True"


# ---- Pydantic only where a route validates
def test_functions_without_validation_take_only_path_strings(resolvers: dict[str, Any]) -> None:
    """Powertools passes only path parameters when validation is off: a query or body parameter there
    would silently keep its default."""
    sin_validacion = {n: app for n, app in resolvers.items() if not app._enable_validation}
    assert {"salud", "expedientes_get", "expedientes_delete"} <= set(sin_validacion)
    for nombre, app in sin_validacion.items():
        for ruta in app._static_routes + app._dynamic_routes:
            de_ruta = set(PARAMETRO_DE_RUTA.findall(ruta.openapi_path))
            for parametro in inspect.signature(ruta.func).parameters.values():
                assert parametro.name in de_ruta, f"{nombre}: {parametro.name} no es de la ruta"
                assert parametro.annotation in (str, "str"), f"{nombre}: {parametro.name} no es texto"


def test_functions_without_validation_never_import_pydantic(resolvers: dict[str, Any], aws: AwsLocal) -> None:
    """Init and a whole request (events/, against moto): 200 (204 without a body), or 404 for an item that
    does not exist (409 for a confirmation with nothing to confirm)."""
    sin_validacion = sorted(n for n, app in resolvers.items() if not app._enable_validation)
    assert len(sin_validacion) >= 7
    for nombre in sin_validacion:
        resultado = en_limpio(nombre, _UNA_SOLICITUD, aws)
        assert resultado["pydantic"] is False, nombre
        # 409: confirming a shop template with nothing uploaded (events/formatos_plantillas_confirm.json).
        assert resultado["status"] in (200, 204, 404, 409), nombre
    # The check can fail: a validating function does load it.
    assert en_limpio("expedientes_update", _INFORME)["pydantic"] is True


# Each function's request body: the one request model it builds at init.
CUERPOS = {
    "aseguradoras_create": "AseguradoraNueva",
    "auth_login": "Credenciales",
    "checklists_put": "CambiosChecklist",
    "auth_password": "CambioPassword",
    "expedientes_comentarios_create": "ComentarioNuevo",
    "evidencias_create": "EvidenciaNueva",
    "expedientes_create": "ExpedienteNuevo",
    "expedientes_estado": "CambioEstado",
    "expedientes_update": "CambiosExpediente",
    "levantamientos_put": "CambiosLevantamiento",
    "levantamientos_conceptos_create": "ConceptoNuevo",
    "levantamientos_conceptos_update": "CambiosConcepto",
    "auth_clientes_create": "ClienteNuevo",
    "ordenes_cancel": "ServiceOrderCancellationDetails",
    "ordenes_receive": "ServiceOrderDetails",
    "usuarios_create": "UsuarioNuevo",
    "usuarios_update": "CambiosUsuario",
    "seguimiento_suscripciones_create": "SuscripcionNueva",
}
# After `import app`, and again after one request from events/: which request models are built, and
# whether every route was made ready to validate at init.
_CONSTRUIDOS = """
from monitor.core.models import Cuerpo
from tools.funciones import Contexto
def modelos(clase):
    for sub in clase.__subclasses__():
        yield sub
        yield from modelos(sub)
def construidos():
    return sorted(m.__name__ for m in modelos(Cuerpo) if m.__pydantic_complete__)
rutas = app.app._static_routes + app.app._dynamic_routes
informe = {
    "init": construidos(),
    "cargados": sorted(m.__name__ for m in modelos(Cuerpo)),
    "preparadas": all(r._dependant is not None for r in rutas),
}
informe["status"] = app.lambda_handler(json.load(open(EVENTO)), Contexto())["statusCode"]
informe["tras_solicitud"] = construidos()
print(json.dumps(informe))
"""


def test_each_function_builds_at_init_the_request_model_of_its_route_and_no_other(
    resolvers: dict[str, Any], aws: AwsLocal
) -> None:
    """Request models share modules (PUT and POST bodies, order and cancellation): each function builds only
    its own, at init, with Powertools' parameters, so neither the others nor the first request build any."""
    con_cuerpo = {
        nombre
        for nombre, app in resolvers.items()
        if app._enable_validation and any(r.body_field for r in app._static_routes + app._dynamic_routes)
    }
    assert con_cuerpo == set(CUERPOS)
    esperados = {**{f: [modelo] for f, modelo in CUERPOS.items()}, "auth_token": []}  # auth_token: no body
    with ThreadPoolExecutor(max_workers=4) as grupo:
        informes = dict(zip(esperados, grupo.map(lambda f: en_limpio(f, _CONSTRUIDOS, aws), esperados), strict=True))
    for funcion, informe in informes.items():
        assert informe["init"] == esperados[funcion], funcion
        assert informe["preparadas"] is True, funcion
        assert informe["status"] < 500, funcion
        assert informe["tras_solicitud"] == informe["init"], funcion  # the first request built nothing
    # The checks can fail: those functions do load models they leave unbuilt (the order's lines are validated
    # through the order's own schema), and the requests reach validation.
    assert "ExpedienteNuevo" in informes["expedientes_update"]["cargados"]
    assert "ServiceOrderItem" in informes["ordenes_receive"]["cargados"]
    assert "ServiceOrderDetails" in informes["ordenes_cancel"]["cargados"]
    assert informes["usuarios_create"]["status"] == 201
    assert informes["expedientes_create"]["status"] == 201  # its model was validated and dumped


# ---- the garbage collector during init
_RECOLECTOR = """
import gc
from tools.funciones import Contexto
estado = {"init": gc.isenabled()}
try:
    app.lambda_handler(json.load(open(EVENTO)), Contexto())
    estado["resultado"] = "respuesta"
except Exception as exc:
    estado["resultado"] = type(exc).__name__
estado.update(despues=gc.isenabled(), congelados=gc.get_freeze_count())
print(json.dumps(estado))
"""


@pytest.mark.parametrize("funcion", ["expedientes_update", "expedientes_get", "auth_authorizer"])
def test_inside_lambda_the_collector_waits_for_the_first_response(funcion: str, aws: AwsLocal) -> None:
    estado = en_limpio(funcion, _RECOLECTOR, aws, en_lambda=True)
    assert estado["init"] is False
    assert estado["resultado"] == "respuesta"
    assert estado["despues"] is True
    assert estado["congelados"] > 10_000  # what init built is never scanned again


@pytest.mark.parametrize("funcion", ["expedientes_get", "auth_authorizer"])
def test_a_first_request_that_fails_still_resumes_collection(funcion: str) -> None:
    """AWS unreachable: the authorizer raises (a 5XX, never a wrong Deny), the resolver answers 500/503."""
    estado = en_limpio(funcion, _RECOLECTOR, en_lambda=True)
    assert estado["init"] is False
    assert estado["despues"] is True
    if funcion == "auth_authorizer":
        assert estado["resultado"] != "respuesta"


def test_outside_lambda_the_collector_is_left_alone() -> None:
    """Tests and local tools import `monitor` without serving a request: nothing to wait for."""
    estado = en_limpio("expedientes_get", _RECOLECTOR)
    assert estado["init"] is True
    assert estado["congelados"] == 0


# ---- the bench's switches: each one turns its trick off, and only its trick
_TRUCOS = """
import gc
from monitor.core import observability
from monitor.core.models import Cuerpo
from monitor.startup import tracing
rutas = app.app._static_routes + app.app._dynamic_routes
print(json.dumps({
    "collector": not gc.isenabled(),
    "deferred_inits": not any(m in sys.modules for m in AJENOS if m.startswith("aws_lambda_powertools")),
    "route_models": all(r._dependant is not None for r in rutas) and Cuerpo.model_config["defer_build"] is True,
    "tracing": isinstance(observability.tracer.provider, tracing.SinTrazas) and "aws_xray_sdk" not in sys.modules,
    "preload": "jwt" in sys.modules,
}))
"""


@pytest.mark.parametrize("truco", ["", *switches.TRUCOS])
def test_each_bench_switch_turns_off_its_trick_and_no_other(truco: str) -> None:
    """auth_login uses every trick (a validated body, tokens on every request); tracing is off here, as in tests."""
    activos = en_limpio("auth_login", _TRUCOS, en_lambda=True, apagados=truco)
    assert set(activos) == set(switches.TRUCOS)
    assert {t for t, activo in activos.items() if not activo} == ({truco} if truco else set())
