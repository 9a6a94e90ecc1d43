"""What comes in for expedientes and their comments: the seed's fields, names and formats (what goes out
is documented in `monitor.expedientes.respuestas`).

Inputs are strict (no "yes" for booleans, no numbers for text) because a PUT that guesses silently
corrupts the claim file.
"""

import re
from typing import Annotated, Any, Self

from pydantic import (
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    field_validator,
    model_validator,
)

from monitor.core.models import ID_MAXIMO, Cuerpo, Fecha, MarcaTiempo
from monitor.expedientes.campos import (
    MAX_CORTO,
    MAX_DATO,
    MAX_LARGO,
    MAX_NO_SINIESTRO,
    NO_SINIESTRO,
    OBLIGATORIOS,
    REGLA_NO_SINIESTRO,
    SOLO_LECTURA,
    Estado,
)

_CORREO = re.compile(r"^[^@\s]+@[^@\s]+$")

Corto = Annotated[str, StringConstraints(strip_whitespace=True, strict=True, max_length=MAX_CORTO)]
Largo = Annotated[str, StringConstraints(strip_whitespace=True, strict=True, max_length=MAX_LARGO)]
# A required text of a creation: blank counts as missing, so the document says at least one character.
Requerido = Annotated[Corto, Field(min_length=1)]
Dato = Annotated[str, StringConstraints(strip_whitespace=True, strict=True, max_length=MAX_DATO)]
IdAseguradora = Annotated[StrictInt, Field(ge=1, le=ID_MAXIMO)]


def _sin_campos_del_servidor(datos: Any, conservar: frozenset[str] = frozenset()) -> Any:
    if not isinstance(datos, dict):
        return datos
    quitar = (SOLO_LECTURA | {"no_siniestro"}) - conservar
    return {k: v for k, v in datos.items() if k not in quitar}


class _CamposEditables(Cuerpo):
    """Every field a client may write; all optional, `null` clears. Never validated itself, so it stays
    unbuilt: only the two bodies below are built, each by its own route."""

    model_config = ConfigDict(extra="forbid")

    factura: Corto | None = None
    orden: Corto | None = None
    asesor: Corto | None = None
    tecnico: Corto | None = None
    mecanico: Corto | None = None
    vehiculo: Corto | None = None
    observaciones: Largo | None = None
    marca: Corto | None = None
    modelo: Corto | None = None
    tipo: Corto | None = None
    color: Corto | None = None
    placas: Corto | None = None
    nombre_cliente: Corto | None = None
    telefono_cliente: Corto | None = None
    correo_cliente: Corto | None = None
    id_aseguradora: IdAseguradora | None = None
    fecha_ingreso: Fecha | None = None
    fecha_valuacion: Fecha | None = None
    fecha_autorizacion: Fecha | None = None
    fecha_pzas_completas: Fecha | None = None
    unidad_terminada: Fecha | None = None
    fecha_entrega: Fecha | None = None
    comentarios_aseguradora: Largo | None = None
    comentarios_aseguradora_fh: MarcaTiempo | None = None
    dato1: Dato | None = None
    dato1_fecha_hora: MarcaTiempo | None = None
    dato2: Dato | None = None
    dato2_fecha_hora: MarcaTiempo | None = None
    dato3: Dato | None = None
    dato3_fecha_hora: MarcaTiempo | None = None
    dato4: Dato | None = None
    dato4_fecha_hora: MarcaTiempo | None = None
    doc_orden_admision: StrictBool | None = None
    doc_identificacion: StrictBool | None = None
    doc_tarjeta_circulacion: StrictBool | None = None
    doc_caratula_poliza: StrictBool | None = None
    doc_carta_reparacion: StrictBool | None = None
    doc_comprobante_deducible: StrictBool | None = None
    doc_finiquito: StrictBool | None = None
    doc_encuesta_servicio: StrictBool | None = None
    notificar_cliente: StrictBool | None = None

    @field_validator("correo_cliente")
    @classmethod
    def _correo(cls, valor: str | None) -> str | None:
        if valor and not _CORREO.match(valor):
            raise ValueError("Correo electrónico inválido")
        return valor


# PUT body: any subset; `estado` and server-owned fields are dropped before validation. The required fields of a
# creation may change but not be cleared (null).
class CambiosExpediente(_CamposEditables):
    __doc__ = (
        "Cambio parcial: cualquier subconjunto; `estado` y los campos del servidor se descartan. Los campos "
        "obligatorios del alta pueden cambiar pero no vaciarse (null)."
    )

    NO_NULOS = OBLIGATORIOS
    AL_MENOS_UNO = True

    nombre_cliente: Requerido | None = None
    telefono_cliente: Requerido | None = None
    marca: Requerido | None = None
    placas: Requerido | None = None
    tipo: Requerido | None = None
    modelo: Requerido | None = None

    @model_validator(mode="before")
    @classmethod
    def _quitar_solo_lectura(cls, datos: Any) -> Any:
        return _sin_campos_del_servidor(datos)

    @model_validator(mode="after")
    def _obligatorios_no_se_vacian(self) -> Self:
        vacios = [c for c in OBLIGATORIOS if c in self.model_fields_set and not getattr(self, c, None)]
        if vacios:
            raise ValueError(f"Estos campos no pueden quedar vacíos: {', '.join(vacios)}")
        return self

    def cambios(self) -> dict[str, Any]:
        """Only what the client sent (None = clear)."""
        return self.model_dump(exclude_unset=True)


# POST body: the required fields (campos.OBLIGATORIOS); null or blank required values count as missing.
class ExpedienteNuevo(_CamposEditables):
    __doc__ = "Alta de un expediente: campos obligatorios; un obligatorio nulo o en blanco cuenta como faltante."

    no_siniestro: Annotated[
        str, Field(json_schema_extra={"pattern": NO_SINIESTRO.pattern, "maxLength": MAX_NO_SINIESTRO})
    ]
    nombre_cliente: Requerido
    telefono_cliente: Requerido
    marca: Requerido
    placas: Requerido
    tipo: Requerido
    modelo: Requerido
    fecha_ingreso: Fecha
    fecha_entrega: Fecha
    notificar_cliente: StrictBool = False  # the customer's e-mails are opt-in

    @model_validator(mode="before")
    @classmethod
    def _preparar(cls, datos: Any) -> Any:
        datos = _sin_campos_del_servidor(datos, conservar=frozenset({"no_siniestro"}))
        if isinstance(datos, dict):
            datos = {
                k: v
                for k, v in datos.items()
                if not (k in OBLIGATORIOS and (v is None or (isinstance(v, str) and not v.strip())))
            }
        return datos

    @field_validator("no_siniestro", mode="before")
    @classmethod
    def _no_siniestro(cls, valor: Any) -> Any:
        if not isinstance(valor, str):
            return valor
        texto = valor.strip()
        if len(valor) > MAX_NO_SINIESTRO or not NO_SINIESTRO.fullmatch(texto):
            raise ValueError(REGLA_NO_SINIESTRO)
        return texto


class CambioEstado(Cuerpo):
    model_config = ConfigDict(extra="forbid")

    estado: Estado


MAX_COMENTARIO = 2000


class ComentarioNuevo(Cuerpo):
    model_config = ConfigDict(extra="forbid")

    texto: Annotated[
        str, StringConstraints(strip_whitespace=True, strict=True, min_length=1, max_length=MAX_COMENTARIO)
    ]
