"""The rules of the house (the layer's layout), read from the source with `ast`, never by importing it.

`revisar(capa, funciones)` returns one line per broken rule; test_casa.py runs it on the real tree and on
small synthetic trees that break each rule once. The rules:

- no import cycle between modules (strongly connected components of the import graph, so a cycle through
  three modules is found as well as a pair); every import counts, at module level, inside a function or
  under `if TYPE_CHECKING:`;
- `core` and `startup` import no business package (dependencies point functions → business → core);
- a package `__init__.py` below `monitor/` is empty (no re-exports: importing one module loads only it);
- a function folder's name starts with the name of a business package (`expedientes_*` →
  `monitor/expedientes/`);
- a function imports Powertools' HTTP types from `monitor.core` (`monitor.core.http`, `monitor.core.params`),
  never from `aws_lambda_powertools.event_handler`: importing that package before `monitor` loads every
  resolver (the deferred package inits, docs/startup.md);
- a model module (`*/modelos.py`, or any module defining a subclass of `Cuerpo`) has no
  `from __future__ import annotations`: Pydantic would evaluate every annotation string when the model is built.
"""

from __future__ import annotations

import ast
import importlib.util
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

PAQUETE = "monitor"
SIN_NEGOCIO = ("core", "startup")  # infrastructure: they import no business package
HTTP_POWERTOOLS = "aws_lambda_powertools.event_handler"
BASE_MODELOS = "Cuerpo"
MENSAJE_HTTP = "los tipos HTTP de Powertools se importan de monitor.core"


@dataclass
class Modulo:
    nombre: str  # dotted: monitor.core.http, or functions.<carpeta>.app for a handler
    ruta: Path
    arbol: ast.Module
    es_paquete: bool = False
    importa: set[str] = field(default_factory=set)  # every dotted name imported, resolved and absolute


def _importados(arbol: ast.Module, nombre: str, es_paquete: bool) -> set[str]:
    """Absolute names of everything the module imports, anywhere in its body. `from a import b` yields both
    `a` and `a.b` (b may be a submodule); the graph keeps only the names that are modules of the tree."""
    paquete = nombre if es_paquete else nombre.rpartition(".")[0]
    nombres: set[str] = set()
    for nodo in ast.walk(arbol):
        if isinstance(nodo, ast.Import):
            nombres.update(alias.name for alias in nodo.names)
        elif isinstance(nodo, ast.ImportFrom):
            base = importlib.util.resolve_name("." * nodo.level + (nodo.module or ""), paquete or PAQUETE)
            nombres.add(base)
            nombres.update(f"{base}.{alias.name}" for alias in nodo.names if alias.name != "*")
    return nombres


def leer(capa: Path, funciones: Path) -> dict[str, Modulo]:
    """Every module of `capa/monitor` and every `functions/<carpeta>/*.py`, parsed."""
    modulos: dict[str, Modulo] = {}
    archivos: list[tuple[str, Path, bool]] = []
    for ruta in sorted((capa / PAQUETE).rglob("*.py")):
        partes = ruta.relative_to(capa).with_suffix("").parts
        es_paquete = partes[-1] == "__init__"
        archivos.append((".".join(partes[:-1] if es_paquete else partes), ruta, es_paquete))
    for ruta in sorted(funciones.glob("*/*.py")):
        archivos.append((f"functions.{ruta.parent.name}.{ruta.stem}", ruta, False))
    for nombre, ruta, es_paquete in archivos:
        arbol = ast.parse(ruta.read_text(encoding="utf-8"), filename=str(ruta))
        modulos[nombre] = Modulo(nombre, ruta, arbol, es_paquete, _importados(arbol, nombre, es_paquete))
    return modulos


def grafo(modulos: Mapping[str, Modulo]) -> dict[str, set[str]]:
    """Module → the modules of the tree it imports."""
    return {nombre: {i for i in m.importa if i in modulos and i != nombre} for nombre, m in modulos.items()}


def componentes(aristas: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative): each one is a cycle."""
    indice: dict[str, int] = {}
    bajo: dict[str, int] = {}
    pila: list[str] = []
    en_pila: set[str] = set()
    resultado: list[list[str]] = []
    contador = 0
    for raiz in sorted(aristas):
        if raiz in indice:
            continue
        trabajo: list[tuple[str, Iterator[str]]] = [(raiz, iter(sorted(aristas.get(raiz, ()))))]
        indice[raiz] = bajo[raiz] = contador
        contador += 1
        pila.append(raiz)
        en_pila.add(raiz)
        while trabajo:
            nodo, vecinos = trabajo[-1]
            siguiente = next(vecinos, None)
            if siguiente is not None:
                if siguiente not in indice:
                    indice[siguiente] = bajo[siguiente] = contador
                    contador += 1
                    pila.append(siguiente)
                    en_pila.add(siguiente)
                    trabajo.append((siguiente, iter(sorted(aristas.get(siguiente, ())))))
                elif siguiente in en_pila:
                    bajo[nodo] = min(bajo[nodo], indice[siguiente])
                continue
            trabajo.pop()
            if trabajo:
                padre = trabajo[-1][0]
                bajo[padre] = min(bajo[padre], bajo[nodo])
            if bajo[nodo] == indice[nodo]:
                componente = []
                while True:
                    miembro = pila.pop()
                    en_pila.discard(miembro)
                    componente.append(miembro)
                    if miembro == nodo:
                        break
                if len(componente) > 1:
                    resultado.append(sorted(componente))
    return resultado


def _area(nombre: str) -> str | None:
    """monitor.<area>.x → <area>; None outside the layer's sub-packages."""
    partes = nombre.split(".")
    return partes[1] if partes[0] == PAQUETE and len(partes) > 1 else None


def negocios(capa: Path) -> set[str]:
    """The business packages: every folder of monitor/ with Python modules, but core and startup."""
    return {p.parent.name for p in (capa / PAQUETE).glob("*/*.py")} - set(SIN_NEGOCIO)


def sin_init(capa: Path) -> list[str]:
    return [
        f"{carpeta.as_posix()} no tiene __init__.py: cada paquete tiene el suyo, vacío"
        for carpeta in sorted({p.parent for p in (capa / PAQUETE).glob("*/*.py")})
        if not (carpeta / "__init__.py").is_file()
    ]


def ciclos(modulos: Mapping[str, Modulo]) -> list[str]:
    return [f"ciclo de imports: {' ↔ '.join(c)}" for c in componentes(grafo(modulos))]


def infraestructura(modulos: Mapping[str, Modulo], areas: set[str]) -> list[str]:
    errores = []
    for nombre, destinos in sorted(grafo(modulos).items()):
        if _area(nombre) in SIN_NEGOCIO:
            errores += [
                f"{nombre} ({_area(nombre)}) importa el paquete de negocio {d}"
                for d in sorted(destinos)
                if _area(d) in areas and not any(o.startswith(d + ".") for o in destinos)  # the module, not its package
            ]
    return errores


def inits(modulos: Mapping[str, Modulo]) -> list[str]:
    return [
        f"{m.ruta.as_posix()} no está vacío: los paquetes no reexportan"
        for nombre, m in sorted(modulos.items())
        if m.es_paquete and nombre != PAQUETE and m.arbol.body
    ]


def prefijos(funciones: Path, areas: set[str]) -> list[str]:
    return [
        f"functions/{carpeta.name}: su prefijo no es un paquete de negocio ({', '.join(sorted(areas))})"
        for carpeta in sorted(p for p in funciones.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
        if carpeta.name.split("_")[0] not in areas
    ]


def http_directo(modulos: Mapping[str, Modulo]) -> list[str]:
    errores = []
    for nombre, m in sorted(modulos.items()):
        directos = sorted(i for i in m.importa if i == HTTP_POWERTOOLS or i.startswith(HTTP_POWERTOOLS + "."))
        if nombre.startswith("functions.") and directos:
            errores.append(
                f"{m.ruta.as_posix()} importa {directos[0]}: los tipos HTTP de Powertools se importan de monitor.core"
            )
    return errores


def _nombrada(base: ast.expr) -> bool:
    return isinstance(base, ast.Name | ast.Attribute)


def _subclases(modulos: Mapping[str, Modulo]) -> set[str]:
    """Names of the classes that derive from Cuerpo, directly or through another model of the tree."""
    bases: dict[str, set[str]] = {}
    for m in modulos.values():
        for nodo in ast.walk(m.arbol):
            if isinstance(nodo, ast.ClassDef):
                bases.setdefault(nodo.name, set()).update(
                    b.id if isinstance(b, ast.Name) else b.attr
                    for b in nodo.bases
                    if isinstance(b, ast.Name | ast.Attribute)
                )
    modelos = {BASE_MODELOS}
    while nuevos := {c for c, b in bases.items() if c not in modelos and b & modelos}:
        modelos |= nuevos
    return modelos - {BASE_MODELOS}


def _pospone(arbol: ast.Module) -> bool:
    return any(
        isinstance(n, ast.ImportFrom) and n.module == "__future__" and any(a.name == "annotations" for a in n.names)
        for n in arbol.body
    )


def anotaciones(modulos: Mapping[str, Modulo]) -> list[str]:
    modelos = _subclases(modulos)
    errores = []
    for _nombre, m in sorted(modulos.items()):
        define = {n.name for n in ast.walk(m.arbol) if isinstance(n, ast.ClassDef)} & modelos
        if (m.ruta.name == "modelos.py" or define) and _pospone(m.arbol):
            errores.append(
                f"{m.ruta.as_posix()} es un módulo de modelos y usa `from __future__ import annotations`"
                + (f" ({', '.join(sorted(define))})" if define else "")
            )
    return errores


def revisar(capa: Path, funciones: Path) -> list[str]:
    """Every broken rule of the house, one line each; empty when the tree keeps them all."""
    modulos = leer(capa, funciones)
    areas = negocios(capa)
    return [
        *ciclos(modulos),
        *infraestructura(modulos, areas),
        *inits(modulos),
        *sin_init(capa),
        *prefijos(funciones, areas),
        *http_directo(modulos),
        *anotaciones(modulos),
    ]


if __name__ == "__main__":
    import sys

    raiz = Path(__file__).resolve().parents[2]
    problemas = revisar(raiz / "layers" / "common", raiz / "functions")
    print("\n".join(problemas) or "la casa está en orden")
    sys.exit(1 if problemas else 0)
