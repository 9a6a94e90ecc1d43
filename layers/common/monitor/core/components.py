"""The OpenAPI components the routes name, and where each is defined.

`http.documentar` records here, as a function registers its routes, the business package whose
`respuestas` module defines each named model; `openapi` reads it when the document is generated. Both
import this module and not each other at init: the resolver never loads Pydantic's schema machinery.
"""

REFERENCIA = "#/components/schemas/"
# Component name → the business package whose `respuestas` module defines it (filled by `documentar`).
PAQUETES_DE_MODELOS: dict[str, str] = {}
# The operation extension by which a route names the request headers it reads (`http.cabeceras`);
# `openapi.completar` turns it into header parameters.
EXTENSION_CABECERAS = "x-monitor-cabeceras"
