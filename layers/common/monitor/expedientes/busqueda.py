"""What the expediente list's `q` searches: client name and plates, folded to lower case without accents
or punctuation, kept on the expediente's item by every write that changes them."""

from __future__ import annotations

import unicodedata


def normalizar_texto(texto: str) -> str:
    """Lower case without accents, for case- and accent-insensitive `contains`."""
    descompuesto = unicodedata.normalize("NFKD", texto)
    return "".join(c for c in descompuesto if not unicodedata.combining(c)).casefold().strip()


def texto_busqueda(nombre_cliente: str | None, placas: str | None) -> str:
    placas_norm = normalizar_texto(placas or "")
    compactas = "".join(c for c in placas_norm if c.isalnum())
    return " | ".join([normalizar_texto(nombre_cliente or ""), placas_norm, compactas])
