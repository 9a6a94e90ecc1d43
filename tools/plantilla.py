"""Reads template.yaml (CloudFormation tags included) so local tools and tests use the template
itself: routes, authorizer, gateway responses and the table definition never get a second copy."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

RAIZ = Path(__file__).resolve().parent.parent
PLANTILLA = RAIZ / "template.yaml"


class _Cargador(yaml.SafeLoader):
    pass


def _etiqueta(loader: yaml.Loader, sufijo: str, nodo: yaml.Node) -> Any:
    if isinstance(nodo, yaml.ScalarNode):
        valor: Any = loader.construct_scalar(nodo)
    elif isinstance(nodo, yaml.SequenceNode):
        valor = loader.construct_sequence(nodo, deep=True)
    else:
        valor = loader.construct_mapping(nodo, deep=True)  # type: ignore[arg-type]
    nombre = "Fn::" + sufijo if sufijo not in ("Ref", "Condition") else sufijo
    return {nombre: valor}


_Cargador.add_multi_constructor("!", _etiqueta)


@functools.cache
def cargar(ruta: Path = PLANTILLA) -> dict[str, Any]:
    with ruta.open(encoding="utf-8") as f:
        return yaml.load(f, Loader=_Cargador)


def recursos(tipo: str | None = None) -> dict[str, dict[str, Any]]:
    todos: dict[str, dict[str, Any]] = cargar()["Resources"]
    return {k: v for k, v in todos.items() if tipo is None or v.get("Type") == tipo}


@dataclass(frozen=True)
class Ruta:
    funcion: str  # logical id
    metodo: str
    ruta: str  # /api/expedientes/{no_siniestro}
    codigo: Path  # functions/<name>
    publica: bool

    @property
    def patron(self) -> re.Pattern[str]:
        regex = re.sub(r"\\\{([A-Za-z0-9_]+)\\\}", r"(?P<\1>[^/]+)", re.escape(self.ruta))
        return re.compile(f"^{regex}$")


def rutas() -> list[Ruta]:
    encontradas = []
    for nombre, recurso in recursos("AWS::Serverless::Function").items():
        props = recurso["Properties"]
        for evento in (props.get("Events") or {}).values():
            if evento.get("Type") != "Api":
                continue
            p = evento["Properties"]
            auth = (p.get("Auth") or {}).get("Authorizer")
            encontradas.append(
                Ruta(
                    funcion=nombre,
                    metodo=p["Method"].upper(),
                    ruta=p["Path"],
                    codigo=RAIZ / props["CodeUri"],
                    publica=auth == "NONE",
                )
            )
    return encontradas


def definicion_tabla() -> dict[str, Any]:
    """CreateTable arguments from the template's own Table resource."""
    props = recursos()["Table"]["Properties"]
    argumentos = {
        "AttributeDefinitions": props["AttributeDefinitions"],
        "KeySchema": props["KeySchema"],
        "GlobalSecondaryIndexes": props.get("GlobalSecondaryIndexes", []),
        "BillingMode": props["BillingMode"],
    }
    return argumentos


def api() -> dict[str, Any]:
    return recursos("AWS::Serverless::Api")["MonitorApi"]["Properties"]


def respuestas_gateway() -> dict[str, dict[str, Any]]:
    return api().get("GatewayResponses", {})


def funcion_autorizador() -> str:
    autorizadores = api()["Auth"]["Authorizers"]
    jwt = next(iter(autorizadores.values()))
    arn = jwt["FunctionArn"]["Fn::GetAtt"]
    return (arn if isinstance(arn, str) else arn[0]).split(".")[0]


def codigo_funcion(funcion: str) -> Path:
    """functions/<name> of a function's logical id (its CodeUri)."""
    return RAIZ / str(recursos()[funcion]["Properties"]["CodeUri"])


def autorizador() -> dict[str, Any]:
    """The API's TOKEN authorizer as declared: FunctionArn, Identity.Header, ValidationExpression."""
    autorizadores: dict[str, dict[str, Any]] = api()["Auth"]["Authorizers"]
    return next(iter(autorizadores.values()))
