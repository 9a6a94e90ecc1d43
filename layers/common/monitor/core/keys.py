"""Every key shape of the single table, built here and nowhere else (docs/data-model.md): the one module
that knows how the business items are laid out in DynamoDB."""

from __future__ import annotations

Clave = dict[str, str]

EXPEDIENTE_SK = "EXP"
CHECKLIST_SK = "EXP#CHECKLIST"


def _pad(numero: int) -> str:
    return f"{numero:010d}"


# ---- usuarios, clientes, aseguradoras, contadores
def usuario(id_usuario: int) -> Clave:
    return {"PK": f"USUARIO#{id_usuario}", "SK": "USUARIO"}


def nombre_usuario(username: str) -> Clave:
    return {"PK": f"USERNAME#{username.lower()}", "SK": "USERNAME"}


USUARIOS = "USUARIOS"  # GSI1 partition of every user, by id


def lista_usuarios(id_usuario: int) -> Clave:
    return {"GSI1PK": USUARIOS, "GSI1SK": _pad(id_usuario)}


def intentos_login(username: str) -> Clave:
    return {"PK": f"LOGIN#{username.lower()}", "SK": "FALLOS"}


def cliente(client_id: str) -> Clave:
    return {"PK": f"CLIENTE#{client_id}", "SK": "CLIENTE"}


ASEGURADORAS = "ASEGURADORAS"  # the catalog's one partition


def aseguradora(id_aseguradora: int) -> Clave:
    return {"PK": ASEGURADORAS, "SK": f"ASEG#{_pad(id_aseguradora)}"}


def nombre_aseguradora(nombre: str) -> Clave:
    """Uniqueness of insurer names (case-insensitive) by conditional write."""
    return {"PK": f"ASEGNOMBRE#{nombre.casefold()}", "SK": "ASEGNOMBRE"}


def contador(nombre: str) -> Clave:
    return {"PK": f"CONTADOR#{nombre}", "SK": "CONTADOR"}


def administradores_activos() -> Clave:
    """How many active administrators there are, moved in the same transaction as any change that makes or
    unmakes one: the guard that always leaves at least one."""
    return {"PK": "ADMINISTRADORES", "SK": "ACTIVOS"}


def salud() -> Clave:
    return {"PK": "SALUD", "SK": "SALUD"}


# ---- expediente and its item collection
def expediente_pk(no_siniestro: str) -> str:
    return f"EXP#{no_siniestro}"


def expediente(no_siniestro: str) -> Clave:
    return {"PK": expediente_pk(no_siniestro), "SK": EXPEDIENTE_SK}


def orden_fecha(fecha_ingreso: str | None, no_siniestro: str) -> str:
    return f"{fecha_ingreso or '0000'}#{no_siniestro}"


EXPEDIENTES = "EXPEDIENTES"  # GSI1 partition of every expediente


def expedientes_por_estado(estado: str) -> str:
    """GSI2 partition of the expedientes in one state."""
    return f"EXPEDIENTES#ESTADO#{estado}"


def expedientes_por_aseguradora(id_aseguradora: int) -> str:
    """GSI3 partition of one insurer's expedientes."""
    return f"EXPEDIENTES#ASEG#{id_aseguradora}"


def listas_expediente(
    no_siniestro: str, fecha_ingreso: str | None, estado: str, id_aseguradora: int | None
) -> dict[str, str]:
    """GSI attributes: all (GSI1), by state (GSI2), by insurer (GSI3); newest fecha_ingreso first."""
    orden = orden_fecha(fecha_ingreso, no_siniestro)
    claves = {
        "GSI1PK": EXPEDIENTES,
        "GSI1SK": orden,
        "GSI2PK": expedientes_por_estado(estado),
        "GSI2SK": orden,
    }
    if id_aseguradora is not None:
        claves |= {"GSI3PK": expedientes_por_aseguradora(id_aseguradora), "GSI3SK": orden}
    return claves | SINCRONIZACION


# GSI4: every expediente by `actualizado_en` itself (the index's sort key is that attribute), so whatever write
# touches the expediente moves it in the index with no key of its own to keep current.
SINCRONIZACION = {"GSI4PK": EXPEDIENTES}


# ---- the search index: one item per search token inside the expediente's partition
PREFIJO_BUSQUEDA = "BUS#"


def busqueda(no_siniestro: str, token: str) -> Clave:
    return {"PK": expediente_pk(no_siniestro), "SK": f"{PREFIJO_BUSQUEDA}{token}"}


def busqueda_todos(inicial: str) -> str:
    """GSI1 partition of the tokens that start with `inicial` (one normalised character)."""
    return f"BUSQUEDA#{inicial}"


def busqueda_por_estado(estado: str, inicial: str) -> str:
    return f"BUSQUEDA#ESTADO#{estado}#{inicial}"


def busqueda_por_aseguradora(id_aseguradora: int, inicial: str) -> str:
    return f"BUSQUEDA#ASEG#{id_aseguradora}#{inicial}"


def listas_busqueda(no_siniestro: str, token: str, estado: str, id_aseguradora: int | None) -> dict[str, str]:
    """GSI attributes of a token item: all (GSI1), by state (GSI2), by insurer (GSI3); sort key `<token>#<no>`, so
    a prefix is `begins_with` within one bounded partition (the token's first character)."""
    inicial, orden = token[0], f"{token}#{no_siniestro}"
    claves = {
        "GSI1PK": busqueda_todos(inicial),
        "GSI1SK": orden,
        "GSI2PK": busqueda_por_estado(estado, inicial),
        "GSI2SK": orden,
    }
    if id_aseguradora is not None:
        claves |= {"GSI3PK": busqueda_por_aseguradora(id_aseguradora, inicial), "GSI3SK": orden}
    return claves


def historial(no_siniestro: str, fecha: str, sufijo: str) -> Clave:
    return {"PK": expediente_pk(no_siniestro), "SK": f"HIST#{fecha}#{sufijo}"}


def auditoria(no_siniestro: str, fecha: str, sufijo: str) -> Clave:
    return {"PK": expediente_pk(no_siniestro), "SK": f"AUD#{fecha}#{sufijo}"}


def comentario(no_siniestro: str, id_comentario: str) -> Clave:
    return {"PK": expediente_pk(no_siniestro), "SK": f"COM#{id_comentario}"}


def evidencia(no_siniestro: str, id_evidencia: str) -> Clave:
    return {"PK": expediente_pk(no_siniestro), "SK": f"EVI#{id_evidencia}"}


def checklist(no_siniestro: str) -> Clave:
    """The exit checklist: one per expediente, sorted right after its meta item (inside the detail's range)."""
    return {"PK": expediente_pk(no_siniestro), "SK": CHECKLIST_SK}


def orden_en_expediente(no_siniestro: str, service_order_id: int) -> Clave:
    """The order's summary inside the claim's collection: links it whether or not the expediente exists yet."""
    return {"PK": expediente_pk(no_siniestro), "SK": f"OS#{_pad(service_order_id)}"}


LEVANTAMIENTO_SK = "LEV"
CONCEPTOS_LEVANTAMIENTO_SK = "CONCEPTOS#LEV"


def levantamiento(no_siniestro: str) -> Clave:
    """The damage survey's header (fields, version, totals): inside RANGO_DETALLE, so the expediente's detail
    sees whether a survey exists and its total without another request."""
    return {"PK": expediente_pk(no_siniestro), "SK": LEVANTAMIENTO_SK}


def conceptos_levantamiento(no_siniestro: str) -> Clave:
    """The survey's line items, one list: outside RANGO_DETALLE, so they never travel with the detail."""
    return {"PK": expediente_pk(no_siniestro), "SK": CONCEPTOS_LEVANTAMIENTO_SK}


PREFIJO_HISTORIAL = "HIST#"
PREFIJO_AUDITORIA = "AUD#"
PREFIJO_COMENTARIO = "COM#"
PREFIJO_EVIDENCIA = "EVI#"
PREFIJO_ORDEN = "OS#"
# EXP < EXP#CHECKLIST < HIST# < LEV < OS# sort together: the detail reads the expediente, its checklist, its
# history, its survey's header and its orders in one Query (CONCEPTOS#LEV sorts before EXP, outside the range).
RANGO_DETALLE = (EXPEDIENTE_SK, "OS$")


# ---- service orders
def orden_servicio(service_order_id: int) -> Clave:
    return {"PK": f"OS#{_pad(service_order_id)}", "SK": "OS"}


def numero_orden(numero: str) -> Clave:
    return {"PK": f"OSNUM#{numero}", "SK": "OSNUM"}


def payload_orden(service_order_id: int) -> Clave:
    """The order's raw body, apart from the canonical item so that item (and its GSI copies) stays small."""
    return {"PK": f"OS#{_pad(service_order_id)}", "SK": "PAYLOAD"}


ORDENES = "ORDENES"  # GSI1 partition of every service order


def ordenes_por_estado(estado: str) -> str:
    """GSI2 partition of the service orders in one state."""
    return f"ORDENES#ESTADO#{estado}"


def listas_orden(recibida_en: str, service_order_id: int, estado: str) -> dict[str, str]:
    """GSI attributes: all (GSI1) and by state (GSI2), newest first."""
    orden = f"{recibida_en}#{_pad(service_order_id)}"
    return {
        "GSI1PK": ORDENES,
        "GSI1SK": orden,
        "GSI2PK": ordenes_por_estado(estado),
        "GSI2SK": orden,
    }


# ---- seguimiento: the outbox, subscriptions and their delivery log
PREFIJO_EVENTO = "OUT#"
PREFIJO_PUBLICADO = "PUB#"


def evento(no_siniestro: str, fecha: str, id_evento: str) -> Clave:
    """An outbox item inside the claim's collection (expediente and order events alike): the stream's filter
    selects `OUT#` sort keys, which sort after `OS$`: outside every range the collection is read by (the
    evidence list's `EVI#`..`EXP`, the detail's `EXP`..`OS$`)."""
    return {"PK": expediente_pk(no_siniestro), "SK": f"{PREFIJO_EVENTO}{fecha}#{id_evento}"}


def evento_publicado(pk: str, id_evento: str) -> Clave:
    """The publisher's marker beside the outbox item it published (same partition, never streamed on)."""
    return {"PK": pk, "SK": f"{PREFIJO_PUBLICADO}{id_evento}"}


def suscripcion(id_suscripcion: str) -> Clave:
    return {"PK": f"SUS#{id_suscripcion}", "SK": "SUS"}


SUSCRIPCIONES = "SUSCRIPCIONES"  # GSI1 partition of every subscription, newest first
PREFIJO_ENTREGA = "ENT#"


def suscripciones_de_aseguradora(id_aseguradora: int) -> str:
    """GSI2 partition of one insurer's subscriptions: the sender's one Query per event."""
    return f"SUSCRIPCIONES#ASEG#{id_aseguradora}"


def listas_suscripcion(id_suscripcion: str, id_aseguradora: int, creada_en: str) -> dict[str, str]:
    return {
        "GSI1PK": SUSCRIPCIONES,
        "GSI1SK": f"{creada_en}#{id_suscripcion}",
        "GSI2PK": suscripciones_de_aseguradora(id_aseguradora),
        "GSI2SK": id_suscripcion,
    }


def entrega(id_suscripcion: str, fecha: str, id_evento: str, intento: int) -> Clave:
    """One delivery attempt in the subscription's log, newest last."""
    return {"PK": f"SUS#{id_suscripcion}", "SK": f"{PREFIJO_ENTREGA}{fecha}#{id_evento}#{intento:03d}"}


# ---- the evidence bucket: everything of an expediente under one prefix
def segmento_expediente_s3(no_siniestro: str) -> str:
    """The claim number as one S3 key segment; a claim made only of dots ("." / "..") would read as a
    relative path to HTTP clients, so its dots are escaped ("%" never occurs in a claim number)."""
    return no_siniestro.replace(".", "%2E") if not no_siniestro.strip(".") else no_siniestro


def prefijo_expediente_s3(no_siniestro: str) -> str:
    return f"expedientes/{segmento_expediente_s3(no_siniestro)}/"


def evidencia_s3(no_siniestro: str, tipo: str, id_evidencia: str, nombre: str) -> str:
    return f"{prefijo_expediente_s3(no_siniestro)}{tipo}/{id_evidencia}-{nombre}"


# ---- reports (docs/reportes.md): aggregates and sparse indexes kept current by the writes
PRODUCCION = "REPORTES#PRODUCCION"  # the partition of the board's unit counters
PREFIJO_UNIDADES = "UNIDADES#"
SIN_ASEGURADORA = "-"


def unidades(estado: str, id_aseguradora: int | None, fragmento: int) -> Clave:
    """A counter of the units in one state for one insurer (`-`: none), split in fragments so concurrent
    writes rarely touch the same item; the board adds the fragments up."""
    aseguradora = SIN_ASEGURADORA if id_aseguradora is None else str(id_aseguradora)
    return {"PK": PRODUCCION, "SK": f"{PREFIJO_UNIDADES}{estado}#{aseguradora}#{fragmento:02d}"}


EN_TALLER = "EXPEDIENTES#EN_TALLER"  # index Taller: units not in Salida, by promised delivery


def en_taller(no_siniestro: str, fecha_entrega: str) -> dict[str, str]:
    return {"TallerPK": EN_TALLER, "TallerSK": f"{fecha_entrega}#{no_siniestro}"}


ATRIBUTOS_TALLER = ("TallerPK", "TallerSK")
ENTREGADOS = "EXPEDIENTES#ENTREGADOS"  # index Entregas: delivered units, by their first entry into Salida


def entregado(no_siniestro: str, momento: str) -> dict[str, str]:
    return {"EntregasPK": ENTREGADOS, "EntregasSK": f"{momento}#{no_siniestro}"}


SIN_EXPEDIENTE_SK = "SIN_EXPEDIENTE"
ORDENES_SIN_EXPEDIENTE = "ORDENES#SIN_EXPEDIENTE"  # GSI1 partition of the claims with orders but no expediente


def ordenes_sin_expediente(no_siniestro: str) -> Clave:
    """One item per claim that received orders before its expediente existed; the expediente's creation
    deletes it. Sorts after `OS$`, outside the detail's range."""
    return {"PK": expediente_pk(no_siniestro), "SK": SIN_EXPEDIENTE_SK}


def lista_sin_expediente(no_siniestro: str) -> dict[str, str]:
    return {"GSI1PK": ORDENES_SIN_EXPEDIENTE, "GSI1SK": no_siniestro}


def migracion(nombre: str) -> Clave:
    """Where a maintenance command keeps its progress, so an interrupted run resumes."""
    return {"PK": f"MIGRACION#{nombre}", "SK": "MIGRACION"}


def reporte_s3(nombre: str) -> str:
    """Generated report files: their own prefix in the evidence bucket, expired by a lifecycle rule."""
    return f"reportes/{nombre}"


# ---- formatos (printable forms)
def plantilla_formato(formato: str) -> Clave:
    """Which template a form is filled from: absent = the project's own; present = the shop's upload in use
    (its S3 key and version) and, while an upload is pending, that upload's key."""
    return {"PK": f"FORMATO#{formato}", "SK": "PLANTILLA"}


PREFIJO_PLANTILLAS_S3 = "plantillas/"


def plantilla_s3(formato: str, id_carga: str) -> str:
    """A shop template's upload: its own prefix, outside every expediente."""
    return f"{PREFIJO_PLANTILLAS_S3}{formato}/{id_carga}.xlsx"


def formato_s3(no_siniestro: str, formato: str, marca: str) -> str:
    """A generated form: under the expediente's prefix, so deleting the expediente deletes it too."""
    return f"{prefijo_expediente_s3(no_siniestro)}formatos/{formato}-{marca}.xlsx"
