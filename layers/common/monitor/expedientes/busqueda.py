"""The expediente list's `q`: a prefix of the claim number, of the plates or of any word of the client's name,
ignoring case, accents and punctuation (docs/data-model.md, "Search index").

Each expediente keeps one index item per search token in its own partition (`BUS#<token>`), carrying a copy of
the expediente's fields, so a page of results is one Query (`begins_with` on `<token>#<no>` within the
partition of the token's first character) with nothing else to read. Every write that changes the expediente
rewrites its token items in the same transaction (`escribir_indice`); the meta item lists the tokens it has
(`tokens_busqueda`) so the next write knows exactly which items to delete.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from monitor.core import keys
from monitor.core.errors import SolicitudInvalida
from monitor.core.table import Transaccion, entero
from monitor.expedientes.campos import CAMPOS_SALIDA

MAX_TOKENS = 12  # claim + plates + the first name words: the transaction and the item copies stay small
MAX_LARGO_TOKEN = 40
MAX_PALABRAS_CONSULTA = 5
TOKENS = "tokens_busqueda"  # on the meta item: the tokens whose items exist
PALABRAS = "palabras_busqueda"  # on each token item: " t1 t2 …", for the other words of a multi-word query
_NO_ALFANUMERICO = re.compile(r"[^0-9a-z]+")
BUSQUEDA_VACIA = "La búsqueda debe contener letras o dígitos"


def normalizar_texto(texto: str) -> str:
    """Lower case without accents (`"José PEÑA"` → `"jose pena"`); other characters are kept."""
    descompuesto = unicodedata.normalize("NFKD", texto)
    return "".join(c for c in descompuesto if not unicodedata.combining(c)).casefold().strip()


def _ascii(texto: str) -> str:
    """Only a-z and 0-9 survive, so a token never holds the key separator `#` nor anything DynamoDB sorts oddly."""
    return normalizar_texto(texto).encode("ascii", "ignore").decode()


def compacto(texto: str | None) -> str:
    """`"ABC-123"` → `"abc123"`: how plates and claim numbers are indexed and searched."""
    return _NO_ALFANUMERICO.sub("", _ascii(texto or ""))[:MAX_LARGO_TOKEN]


def tokens(no_siniestro: str, placas: str | None, nombre_cliente: str | None) -> list[str]:
    """The claim and the plates compacted, the plates' parts (`"ABC-123"`: `abc123`, `abc`, `123`), then each
    word of the name (split at spaces and at punctuation, and also whole, so `"O'Brien"` is found by `obr` and
    by `brien`). A token that begins another is dropped: every prefix of it is a prefix of the longer one, and
    one expediente then shows up once for it."""
    candidatos = [compacto(no_siniestro), compacto(placas)]
    candidatos += [parte[:MAX_LARGO_TOKEN] for parte in _NO_ALFANUMERICO.split(_ascii(placas or ""))]
    for trozo in _ascii(nombre_cliente or "").split():
        candidatos += [parte[:MAX_LARGO_TOKEN] for parte in _NO_ALFANUMERICO.split(trozo)]
        candidatos.append(compacto(trozo))
    unicos = [t for t in dict.fromkeys(candidatos) if t]
    largos = [t for t in unicos if not any(o != t and o.startswith(t) for o in unicos)]
    return largos[:MAX_TOKENS]


def tokens_de(item: Mapping[str, Any]) -> list[str]:
    return tokens(str(item["no_siniestro"]), item.get("placas"), item.get("nombre_cliente"))


def consulta(q: str) -> tuple[str, list[str]]:
    """The word to look up in the index (the longest, the most selective) and the others, which every result
    must also have as a prefix of one of its tokens. `"ABC-1"` → `("abc1", [])`."""
    palabras = [c for c in (compacto(trozo) for trozo in _ascii(q).split()) if c]
    if not palabras:
        raise SolicitudInvalida(BUSQUEDA_VACIA, detalles=[{"campo": "q", "mensaje": BUSQUEDA_VACIA}])
    palabras = list(dict.fromkeys(palabras))[:MAX_PALABRAS_CONSULTA]
    clave = max(palabras, key=len)
    return clave, [p for p in palabras if p != clave]


def item_indice(item: Mapping[str, Any], token: str, todos: list[str]) -> dict[str, Any]:
    """One token item: the expediente's fields as the list answers them, under the token's keys."""
    no_siniestro = str(item["no_siniestro"])
    copia = {campo: item[campo] for campo in CAMPOS_SALIDA if item.get(campo) is not None}
    return {
        **copia,
        **keys.busqueda(no_siniestro, token),
        **keys.listas_busqueda(no_siniestro, token, str(item["estado"]), entero(item.get("id_aseguradora"))),
        PALABRAS: " " + " ".join(todos),
    }


def escribir_indice(
    transaccion: Transaccion, anterior: Mapping[str, Any] | None, nuevo: Mapping[str, Any]
) -> list[str]:
    """Adds to the write's own transaction the token items of `nuevo` (the expediente as it will be) and the
    deletion of those of `anterior` it no longer has; returns the tokens for the meta's `tokens_busqueda`.
    No extra request: the items ride in the transaction that writes the expediente."""
    no_siniestro = str(nuevo["no_siniestro"])
    actuales = tokens_de(nuevo)
    for viejo in (anterior or {}).get(TOKENS) or []:
        if viejo not in actuales:
            transaccion.delete(f"busqueda:{viejo}", keys.busqueda(no_siniestro, str(viejo)))
    for token in actuales:
        transaccion.put(f"busqueda:{token}", item_indice(nuevo, token, actuales))
    return actuales


def borrar_indice(transaccion: Transaccion, item: Mapping[str, Any]) -> None:
    """Adds to the expediente's delete the deletion of its token items, so a search never finds an expediente
    that is gone (an expediente written before the index has none listed: the partition's cleanup takes any)."""
    no_siniestro = str(item["no_siniestro"])
    for token in item.get(TOKENS) or []:
        transaccion.delete(f"busqueda:{token}", keys.busqueda(no_siniestro, str(token)))


def asignaciones(anterior: Mapping[str, Any], nuevo: Mapping[str, Any]) -> dict[str, Any]:
    """What an update of the meta item sets so the indexes stay right: its token list when it changed, and the
    sync index's key for an expediente written before that index existed."""
    asignar: dict[str, Any] = {}
    actuales = tokens_de(nuevo)
    if list(anterior.get(TOKENS) or []) != actuales:
        asignar[TOKENS] = actuales
    if anterior.get("GSI4PK") is None:
        asignar |= keys.SINCRONIZACION
    return asignar
