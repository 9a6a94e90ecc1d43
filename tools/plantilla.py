"""Reads template.yaml (CloudFormation tags included) so local tools and tests use the template
itself: routes, authorizer, gateway responses and the table definition never get a second copy."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
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
    if props.get("StreamSpecification"):
        argumentos["StreamSpecification"] = {"StreamEnabled": True, **props["StreamSpecification"]}
    return argumentos


def api() -> dict[str, Any]:
    return recursos("AWS::Serverless::Api")["MonitorApi"]["Properties"]


def respuestas_gateway() -> dict[str, dict[str, Any]]:
    return api().get("GatewayResponses", {})


def funcion_autorizador() -> str:
    """The authorizer's logical id, whether the API calls the function (`!GetAtt F.Arn`) or its alias
    (`!Ref F.Alias`)."""
    autorizadores = api()["Auth"]["Authorizers"]
    jwt = next(iter(autorizadores.values()))
    arn = jwt["FunctionArn"].get("Fn::GetAtt") or jwt["FunctionArn"]["Ref"]
    return (arn if isinstance(arn, str) else arn[0]).split(".")[0]


def cors() -> dict[str, Any]:
    """The API's Cors: how API Gateway answers a preflight OPTIONS on every path."""
    return api().get("Cors") or {}


def codigo_funcion(funcion: str) -> Path:
    """functions/<name> of a function's logical id (its CodeUri)."""
    return RAIZ / str(recursos()[funcion]["Properties"]["CodeUri"])


def parametros(valores: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Stack parameter values as a local run sees them: each parameter's Default unless `valores` gives
    it; a CommaDelimitedList is a list, as `!Ref` returns it."""
    resultado: dict[str, Any] = {}
    for nombre, definicion in (cargar().get("Parameters") or {}).items():
        valor = (valores or {}).get(nombre, definicion.get("Default"))
        if definicion.get("Type") == "CommaDelimitedList" and isinstance(valor, str):
            valor = [parte.strip() for parte in valor.split(",")]
        resultado[nombre] = valor
    return resultado


def _sub(argumento: Any, parametros: Mapping[str, Any]) -> str:
    texto, variables = (argumento, {}) if isinstance(argumento, str) else argumento
    todas = {**parametros, **variables}
    return re.sub(r"\$\{([\w.:]+)\}", lambda m: str(todas[m.group(1)]), texto)


_FUNCIONES: dict[str, Any] = {
    "Fn::Select": lambda a, _p: a[1][int(a[0])],
    "Fn::Join": lambda a, _p: str(a[0]).join(str(parte) for parte in a[1]),
    "Fn::Split": lambda a, _p: str(a[1]).split(str(a[0])),
    "Fn::Sub": _sub,
}


def resolver(valor: Any, parametros: Mapping[str, Any]) -> Any:
    """The intrinsic functions the local tools meet, over parameter values: Ref, Fn::Sub, Fn::Select,
    Fn::Join and Fn::Split. Anything else (a resource's name, say) is unknown locally: KeyError."""
    if isinstance(valor, list):
        return [resolver(v, parametros) for v in valor]
    if not isinstance(valor, dict):
        return valor
    clave = next(iter(valor), "")
    if len(valor) != 1 or not (clave == "Ref" or clave.startswith("Fn::")):
        return {k: resolver(v, parametros) for k, v in valor.items()}
    if clave == "Ref":
        return parametros[valor[clave]]
    if clave not in _FUNCIONES:
        raise KeyError(f"{clave} no se resuelve localmente")
    return _FUNCIONES[clave](resolver(valor[clave], parametros), parametros)


def autorizador() -> dict[str, Any]:
    """The API's TOKEN authorizer as declared: FunctionArn, Identity.Header, ValidationExpression."""
    autorizadores: dict[str, dict[str, Any]] = api()["Auth"]["Authorizers"]
    return next(iter(autorizadores.values()))


@dataclass(frozen=True)
class FuenteEventos:
    """An event source mapping of a function (its `Events` of type DynamoDB or SQS), as the template writes it."""

    funcion: str  # logical id
    tipo: str  # "DynamoDB" | "SQS"
    propiedades: dict[str, Any]
    codigo: Path
    timeout_s: float  # the function's Timeout (or the Globals')


def fuentes_de_eventos() -> list[FuenteEventos]:
    fuentes = []
    for nombre, recurso in recursos("AWS::Serverless::Function").items():
        props = recurso["Properties"]
        for evento in (props.get("Events") or {}).values():
            if evento.get("Type") in ("DynamoDB", "SQS"):
                timeout = float(props.get("Timeout") or cargar()["Globals"]["Function"].get("Timeout", 3))
                fuentes.append(
                    FuenteEventos(nombre, evento["Type"], evento["Properties"], RAIZ / props["CodeUri"], timeout)
                )
    return fuentes
