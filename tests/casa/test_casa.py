"""The house keeps its rules (tests/casa/revision.py): the real tree passes, and a small tree that breaks
each rule once is caught, so no check here can pass by never looking."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.casa import revision

RAIZ = Path(__file__).resolve().parents[2]
CAPA = RAIZ / "layers" / "common"
FUNCIONES = RAIZ / "functions"


def test_the_layer_and_the_functions_keep_every_rule_of_the_house() -> None:
    assert revision.revisar(CAPA, FUNCIONES) == []


def test_the_real_tree_is_read_whole() -> None:
    """The checks above see every module and every function (a glob that found nothing would pass)."""
    modulos = revision.leer(CAPA, FUNCIONES)
    funciones = {p.name for p in FUNCIONES.iterdir() if (p / "app.py").is_file()}

    assert {f"functions.{f}.app" for f in funciones} <= modulos.keys()
    assert {"monitor.core.http", "monitor.core.table", "monitor.expedientes.servicio"} <= modulos.keys()
    assert revision.negocios(CAPA) >= {"auth", "expedientes", "ordenes", "salud", "usuarios"}
    assert "core" not in revision.negocios(CAPA)
    # the graph has the edges a reader sees: a handler → its business package → core
    aristas = revision.grafo(modulos)
    assert "monitor.expedientes.servicio" in aristas["functions.expedientes_update.app"]
    assert "monitor.core.table" in aristas["monitor.expedientes.servicio"]


# ---- a synthetic tree per rule
def _arbol(raiz: Path, archivos: dict[str, str]) -> tuple[Path, Path]:
    """A layer (monitor/core, monitor/expedientes) and functions/ with one clean handler, plus `archivos`."""
    base = {
        "capa/monitor/__init__.py": "from monitor.startup import install\n\ninstall.install()\n",
        "capa/monitor/startup/__init__.py": "",
        "capa/monitor/startup/install.py": "def install() -> None: ...\n",
        "capa/monitor/core/__init__.py": "",
        "capa/monitor/core/table.py": "import boto3\n",
        "capa/monitor/core/http.py": "from monitor.core import table\n",
        "capa/monitor/expedientes/__init__.py": "",
        "capa/monitor/expedientes/servicio.py": "from monitor.core import table\n",
        "capa/monitor/expedientes/modelos.py": "from monitor.core.models import Cuerpo\n\nclass A(Cuerpo): ...\n",
        "funciones/expedientes_get/app.py": (
            "from monitor.core.http import MonitorResolver\nfrom monitor.expedientes import servicio\n"
        ),
    }
    for nombre, texto in {**base, **archivos}.items():
        ruta = raiz / nombre
        ruta.parent.mkdir(parents=True, exist_ok=True)
        ruta.write_text(texto, encoding="utf-8")
    return raiz / "capa", raiz / "funciones"


def test_a_clean_synthetic_tree_passes(tmp_path: Path) -> None:
    assert revision.revisar(*_arbol(tmp_path, {})) == []


def test_a_cycle_of_two_modules_fails(tmp_path: Path) -> None:
    arbol = _arbol(tmp_path, {"capa/monitor/core/table.py": "from monitor.core.http import x\n"})

    assert revision.revisar(*arbol) == ["ciclo de imports: monitor.core.http ↔ monitor.core.table"]


def test_a_cycle_through_three_modules_fails_even_with_imports_inside_functions(tmp_path: Path) -> None:
    arbol = _arbol(
        tmp_path,
        {
            "capa/monitor/expedientes/a.py": "from monitor.expedientes import b\n",
            "capa/monitor/expedientes/b.py": "def f():\n    from monitor.expedientes import c\n",
            "capa/monitor/expedientes/c.py": "import monitor.expedientes.a\n",
        },
    )

    assert revision.revisar(*arbol) == [
        "ciclo de imports: monitor.expedientes.a ↔ monitor.expedientes.b ↔ monitor.expedientes.c"
    ]


def test_an_import_under_type_checking_counts(tmp_path: Path) -> None:
    arbol = _arbol(
        tmp_path,
        {
            "capa/monitor/expedientes/a.py": (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from monitor.expedientes.b import B\n"
            ),
            "capa/monitor/expedientes/b.py": "from . import a\n",
        },
    )

    assert revision.revisar(*arbol) == ["ciclo de imports: monitor.expedientes.a ↔ monitor.expedientes.b"]


def test_components_are_found_apart_and_a_chain_is_no_cycle() -> None:
    aristas = {"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"e"}, "e": {"c"}, "f": {"a", "c"}, "g": {"g"}}

    assert revision.componentes(aristas) == [["a", "b"], ["c", "d", "e"]]
    assert revision.componentes({"a": {"b"}, "b": {"c"}, "c": set()}) == []


@pytest.mark.parametrize("paquete", ["core", "startup"])
def test_infrastructure_importing_a_business_package_fails(tmp_path: Path, paquete: str) -> None:
    archivo = "capa/monitor/core/http.py" if paquete == "core" else "capa/monitor/startup/install.py"
    arbol = _arbol(tmp_path, {archivo: "def f():\n    from monitor.expedientes import servicio\n"})
    modulo = archivo.removeprefix("capa/").removesuffix(".py").replace("/", ".")

    assert revision.revisar(*arbol) == [
        f"{modulo} ({paquete}) importa el paquete de negocio monitor.expedientes.servicio"
    ]


def test_a_sub_package_init_with_code_fails_and_the_top_one_may_install(tmp_path: Path) -> None:
    arbol = _arbol(tmp_path, {"capa/monitor/expedientes/__init__.py": "from .servicio import *\n"})

    assert revision.revisar(*arbol) == [
        f"{(tmp_path / 'capa/monitor/expedientes/__init__.py').as_posix()} no está vacío: los paquetes no reexportan"
    ]


def test_a_function_whose_prefix_is_no_business_package_fails(tmp_path: Path) -> None:
    arbol = _arbol(
        tmp_path,
        {"funciones/service_orders_list/app.py": "", "funciones/core_x/app.py": ""},
    )

    problemas = revision.revisar(*arbol)

    assert [p.split(":")[0] for p in problemas] == ["functions/core_x", "functions/service_orders_list"]


@pytest.mark.parametrize(
    "linea",
    [
        "from aws_lambda_powertools.event_handler import Response\n",
        "from aws_lambda_powertools.event_handler.openapi.params import Body\n",
        "import aws_lambda_powertools.event_handler.api_gateway\n",
        "from aws_lambda_powertools import event_handler\n",
    ],
)
def test_a_function_importing_powertools_http_types_directly_fails(tmp_path: Path, linea: str) -> None:
    arbol = _arbol(tmp_path, {"funciones/expedientes_get/app.py": linea})

    problemas = revision.revisar(*arbol)

    assert len(problemas) == 1
    assert "los tipos HTTP de Powertools se importan de monitor.core" in problemas[0]


def test_other_powertools_utilities_are_fine_in_a_function(tmp_path: Path) -> None:
    linea = "from aws_lambda_powertools.utilities.typing import LambdaContext\n"

    assert revision.revisar(*_arbol(tmp_path, {"funciones/expedientes_get/app.py": linea})) == []


@pytest.mark.parametrize(
    ("archivo", "texto", "clases"),
    [
        ("capa/monitor/expedientes/modelos.py", "from __future__ import annotations\n", ""),
        (
            "capa/monitor/expedientes/otros.py",
            "from __future__ import annotations\nfrom monitor.expedientes.modelos import A\n\nclass B(A): ...\n",
            " (B)",
        ),
        (
            "capa/monitor/expedientes/otros.py",
            "from __future__ import annotations\nfrom monitor.core import models\n\nclass C(models.Cuerpo): ...\n",
            " (C)",
        ),
    ],
)
def test_a_model_module_with_postponed_annotations_fails(tmp_path: Path, archivo: str, texto: str, clases: str) -> None:
    arbol = _arbol(tmp_path, {archivo: texto})

    assert revision.revisar(*arbol) == [
        f"{(tmp_path / archivo).as_posix()} es un módulo de modelos y usa `from __future__ import annotations`{clases}"
    ]


def test_postponed_annotations_are_fine_where_no_model_is_defined(tmp_path: Path) -> None:
    texto = (
        "from __future__ import annotations\nfrom monitor.expedientes.modelos import A\n\ndef f(a: A) -> None: ...\n"
    )

    assert revision.revisar(*_arbol(tmp_path, {"capa/monitor/expedientes/servicio.py": texto})) == []


def test_a_package_folder_without_init_fails(tmp_path: Path) -> None:
    arbol = _arbol(tmp_path, {"capa/monitor/reportes/ciclo.py": "from monitor.core import table\n"})

    assert revision.revisar(*arbol) == [
        f"{(tmp_path / 'capa/monitor/reportes').as_posix()} no tiene __init__.py: cada paquete tiene el suyo, vacío"
    ]
