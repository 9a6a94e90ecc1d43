"""The damage survey (levantamiento) through its six handlers: create/update, line items, totals, every 400 and
404, If-Match, the audit, requests per call, the expediente's detail and delete, concurrent writers."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse

from monitor.core import keys, table
from monitor.core.settings import settings
from tests.apoyo.expedientes import FECHA_Z, en_paralelo, evento, nuevo

Invocar = Callable[..., dict[str, Any]]
RUTA = "/api/expedientes/{no_siniestro}/levantamiento"
RUTA_CONCEPTOS = RUTA + "/conceptos"
RUTA_CONCEPTO = RUTA_CONCEPTOS + "/{id}"
EVENTOS = Path(__file__).resolve().parents[2] / "events"
CAMPOS = {
    "fecha",
    "orden",
    "marca",
    "tipo",
    "modelo",
    "placas",
    "kilometraje",
    "no_puertas",
    "color",
    "serie",
    "eco",
    "asegurado_tercero",
    "nombre_propietario",
    "telefono",
    "direccion",
    "pega",
    "cristales",
    "aire",
    "vestiduras",
    "rin",
    "direccion_veh",
    "tipo_pintura",
    "trasmision",
}
RESPUESTA = CAMPOS | {"no_siniestro", "conceptos", "totales", "version", "creado_por", "creado_en", "actualizado_en"}
CERO = {"subtotal": 0, "tasa_iva": 0.16, "iva": 0, "total": 0}


# ---- calling the handlers
def guardar(
    invocar: Invocar, llamante: Any, no: str, cuerpo: Any, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    return invocar(
        "levantamientos_put",
        "PUT",
        RUTA,
        llamante=llamante,
        ruta_params={"no_siniestro": no},
        cuerpo=cuerpo,
        headers=headers,
    )


def obtener(invocar: Invocar, llamante: Any, no: str) -> dict[str, Any]:
    return invocar("levantamientos_get", "GET", RUTA, llamante=llamante, ruta_params={"no_siniestro": no})


def eliminar(invocar: Invocar, llamante: Any, no: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    return invocar(
        "levantamientos_delete", "DELETE", RUTA, llamante=llamante, ruta_params={"no_siniestro": no}, headers=headers
    )


def agregar(
    invocar: Invocar, llamante: Any, no: str, cuerpo: Any, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    return invocar(
        "levantamientos_conceptos_create",
        "POST",
        RUTA_CONCEPTOS,
        llamante=llamante,
        ruta_params={"no_siniestro": no},
        cuerpo=cuerpo,
        headers=headers,
    )


def editar(
    invocar: Invocar, llamante: Any, no: str, id_concepto: str, cuerpo: Any, *, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    return invocar(
        "levantamientos_conceptos_update",
        "PUT",
        RUTA_CONCEPTO,
        llamante=llamante,
        ruta_params={"no_siniestro": no, "id": id_concepto},
        cuerpo=cuerpo,
        headers=headers,
    )


def quitar(
    invocar: Invocar, llamante: Any, no: str, id_concepto: str, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    return invocar(
        "levantamientos_conceptos_delete",
        "DELETE",
        RUTA_CONCEPTO,
        llamante=llamante,
        ruta_params={"no_siniestro": no, "id": id_concepto},
        headers=headers,
    )


def auditoria(invocar: Invocar, llamante: Any, no: str) -> list[dict[str, Any]]:
    r = invocar(
        "expedientes_auditoria",
        "GET",
        "/api/expedientes/{no_siniestro}/auditoria",
        llamante=llamante,
        ruta_params={"no_siniestro": no},
        query={"limit": "100"},
    )
    assert r["statusCode"] == 200, r["json"]
    return list(r["json"]["items"])


def items(no: str) -> dict[str, dict[str, Any]]:
    """Every item of the expediente's collection, by sort key."""
    return {i["SK"]: i for i in table.query_todo("PK = :pk", {":pk": keys.expediente_pk(no)}, consistente=True)}


def del_levantamiento(no: str) -> dict[str, dict[str, Any]]:
    return {sk: i for sk, i in items(no).items() if sk in (keys.LEVANTAMIENTO_SK, keys.CONCEPTOS_LEVANTAMIENTO_SK)}


def auditorias_guardadas(no: str) -> int:
    return sum(1 for sk in items(no) if sk.startswith(keys.PREFIJO_AUDITORIA))


def montos(cuerpo: dict[str, Any]) -> dict[str, Decimal]:
    return {k: Decimal(str(v)) for k, v in cuerpo["totales"].items()}


def crudo(texto: str) -> str:
    """A body exactly as written (NaN, 1e309... that json.dumps would not produce)."""
    return texto


@pytest.fixture
def expediente(invocar: Invocar, operador: Any, siniestro: Callable[[], str]) -> str:
    no = siniestro()
    nuevo(invocar, operador, no, color="Blanco")
    return no


@pytest.fixture
def con_levantamiento(invocar: Invocar, tecnico: Any, expediente: str) -> str:
    r = guardar(invocar, tecnico, expediente, {"kilometraje": 152300})
    assert r["statusCode"] == 201, r["json"]
    return expediente


@pytest.fixture
def tasa(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Runs the rest of the test as if the stack's IvaTasa were another one."""

    def fijar(valor: str) -> None:
        monkeypatch.setenv("MONITOR_IVA_TASA", valor)
        settings.cache_clear()

    yield fijar
    monkeypatch.undo()
    settings.cache_clear()


# ---- create and update
def test_the_first_put_creates_copying_vehicle_and_owner_from_the_expediente(
    invocar: Invocar, tecnico: Any, expediente: str, dynamo_requests: Any
) -> None:
    dynamo_requests.reiniciar()

    r = guardar(invocar, tecnico, expediente, {"fecha": "2024-03-15", "kilometraje": 152300, "cristales": True})

    assert r["statusCode"] == 201, r["json"]
    assert dynamo_requests.llamadas == {"BatchGetItem": 1, "TransactWriteItems": 1}
    assert r["headers"]["ETag"] == '"1"'
    cuerpo = r["json"]
    assert set(cuerpo) == RESPUESTA
    assert {c: cuerpo[c] for c in ("marca", "tipo", "modelo", "placas", "color", "nombre_propietario", "telefono")} == {
        "marca": "Toyota",
        "tipo": "Sedán",
        "modelo": "Corolla",
        "placas": "ABC-123",
        "color": "Blanco",
        "nombre_propietario": "Juan García",
        "telefono": "555-100-2000",
    }
    assert cuerpo["fecha"] == "2024-03-15T12:00:00.000Z"
    assert cuerpo["kilometraje"] == 152300
    assert cuerpo["cristales"] is True
    assert cuerpo["aire"] is None
    assert cuerpo["orden"] is None  # the expediente's `orden` is not among the copied fields
    assert cuerpo["conceptos"] == []
    assert cuerpo["totales"] == CERO
    assert cuerpo["version"] == 1
    assert cuerpo["no_siniestro"] == expediente
    assert cuerpo["creado_por"] == {
        "id": tecnico.principal.id_usuario,
        "username": tecnico.principal.username,
        "nombre": tecnico.principal.nombre,
    }
    assert FECHA_Z.match(cuerpo["creado_en"])
    assert cuerpo["actualizado_en"] == cuerpo["creado_en"]


def test_fields_sent_on_creation_win_over_the_copies_and_null_copies_nothing(
    invocar: Invocar, tecnico: Any, expediente: str
) -> None:
    r = guardar(invocar, tecnico, expediente, {"marca": "Kenworth", "color": None, "telefono": "555-999-0000"})

    assert r["statusCode"] == 201
    assert r["json"]["marca"] == "Kenworth"
    assert r["json"]["color"] is None
    assert r["json"]["telefono"] == "555-999-0000"
    assert r["json"]["modelo"] == "Corolla"


def test_an_empty_first_put_creates_the_survey_from_the_expediente(
    invocar: Invocar, tecnico: Any, expediente: str
) -> None:
    r = guardar(invocar, tecnico, expediente, {})

    assert r["statusCode"] == 201
    assert r["json"]["placas"] == "ABC-123"


def test_later_puts_update_partially_null_clears_and_the_etag_follows_the_version(
    invocar: Invocar, operador: Any, con_levantamiento: str, dynamo_requests: Any
) -> None:
    no = con_levantamiento
    dynamo_requests.reiniciar()

    r = guardar(
        invocar, operador, no, {"serie": "3HSDJAPR5CN123456", "kilometraje": None, "asegurado_tercero": "Tercero"}
    )

    assert r["statusCode"] == 200, r["json"]
    assert dynamo_requests.llamadas == {"BatchGetItem": 1, "TransactWriteItems": 1}
    assert r["headers"]["ETag"] == '"2"'
    assert r["json"]["version"] == 2
    assert r["json"]["serie"] == "3HSDJAPR5CN123456"
    assert r["json"]["kilometraje"] is None
    assert r["json"]["asegurado_tercero"] == "Tercero"
    assert r["json"]["marca"] == "Toyota"  # untouched
    assert r["json"]["actualizado_en"] >= r["json"]["creado_en"]
    guardado = table.get(keys.levantamiento(no), consistente=True)
    assert guardado is not None
    assert "kilometraje" not in guardado


def test_a_put_with_the_same_values_changes_nothing(invocar: Invocar, operador: Any, con_levantamiento: str) -> None:
    no = con_levantamiento
    antes = auditorias_guardadas(no)

    r = guardar(invocar, operador, no, {"kilometraje": 152300, "marca": "Toyota"})

    assert r["statusCode"] == 200
    assert r["json"]["version"] == 1
    assert auditorias_guardadas(no) == antes


def test_what_the_get_answers_can_be_sent_back_unchanged(
    invocar: Invocar, operador: Any, con_levantamiento: str
) -> None:
    no = con_levantamiento
    agregar(invocar, operador, no, {"claves": "DEF", "concepto": "Defensa", "costo": 1850.5})
    leido = obtener(invocar, operador, no)["json"]

    r = guardar(invocar, operador, no, leido)

    assert r["statusCode"] == 200, r["json"]
    assert r["json"] == leido  # server-owned fields dropped, the same line kept by its id: nothing changed


def test_an_empty_body_on_an_existing_survey_is_400(invocar: Invocar, operador: Any, con_levantamiento: str) -> None:
    r = guardar(invocar, operador, con_levantamiento, {})

    assert r["statusCode"] == 400
    assert r["json"]["error"] == "No hay campos para actualizar"


@pytest.mark.parametrize(
    ("cuerpo", "campo"),
    [
        ({"kilometraje": "152300"}, "kilometraje"),
        ({"kilometraje": -1}, "kilometraje"),
        ({"kilometraje": 1.5}, "kilometraje"),
        ({"no_puertas": 21}, "no_puertas"),
        ({"cristales": "si"}, "cristales"),
        ({"aire": 1}, "aire"),
        ({"asegurado_tercero": "Otro"}, "asegurado_tercero"),
        ({"fecha": "15/03/2024"}, "fecha"),
        ({"marca": 12}, "marca"),
        ({"marca": "x" * 256}, "marca"),
        ({"desconocido": 1}, "desconocido"),
        ({"conceptos": {"concepto": "x", "costo": 1}}, "conceptos"),
        ({"conceptos": [{"concepto": "x"}]}, "conceptos.0.costo"),
        ({"conceptos": [{"concepto": "x", "costo": "1.00"}]}, "conceptos.0.costo"),
        ({"conceptos": [{"concepto": "x", "costo": 1, "otro": 2}]}, "conceptos.0.otro"),
        ({"conceptos": [{"concepto": "x", "costo": 1, "id": 0}]}, "conceptos.0.id"),
        ({"conceptos": [{"concepto": "x", "costo": 1}] * 301}, "conceptos"),
    ],
)
def test_invalid_bodies_are_400_with_detalles_and_write_nothing(
    invocar: Invocar, tecnico: Any, expediente: str, cuerpo: dict[str, Any], campo: str
) -> None:
    r = guardar(invocar, tecnico, expediente, cuerpo)

    assert r["statusCode"] == 400, r["json"]
    assert campo in [d["campo"] for d in r["json"]["detalles"]]
    assert del_levantamiento(expediente) == {}


def test_invalid_json_is_400(invocar: Invocar, tecnico: Any, expediente: str) -> None:
    for cuerpo in ("{", "[]", '"texto"'):
        r = guardar(invocar, tecnico, expediente, crudo(cuerpo))
        assert r["statusCode"] == 400, cuerpo
        assert set(r["json"]) <= {"error", "detalles"}
    assert del_levantamiento(expediente) == {}


# ---- line items
def test_line_items_get_server_ids_in_insertion_order_and_the_answer_is_the_whole_survey(
    invocar: Invocar, tecnico: Any, con_levantamiento: str, dynamo_requests: Any
) -> None:
    no = con_levantamiento
    dynamo_requests.reiniciar()

    r = agregar(
        invocar, tecnico, no, {"claves": "DEF-DEL", "concepto": "  Reparar defensa delantera ", "costo": 1850.5}
    )

    assert r["statusCode"] == 201, r["json"]
    assert dynamo_requests.llamadas == {"BatchGetItem": 1, "TransactWriteItems": 1}
    assert r["headers"]["ETag"] == '"2"'
    assert r["headers"]["Location"] == f"/api/expedientes/{no}/levantamiento/conceptos/1"
    assert set(r["json"]) == RESPUESTA
    assert r["json"]["conceptos"] == [
        {"id": 1, "claves": "DEF-DEL", "concepto": "Reparar defensa delantera", "costo": 1850.50}
    ]
    agregar(invocar, tecnico, no, {"concepto": "Pintura de cofre", "costo": 3200})
    r = agregar(invocar, tecnico, no, {"claves": "", "concepto": "Faro", "costo": 0})

    assert [(c["id"], c["concepto"]) for c in r["json"]["conceptos"]] == [
        (1, "Reparar defensa delantera"),
        (2, "Pintura de cofre"),
        (3, "Faro"),
    ]
    assert r["json"]["conceptos"][1]["claves"] is None
    assert r["json"]["conceptos"][2]["claves"] is None  # blank claves read as none
    assert montos(r["json"]) == {
        "subtotal": Decimal("5050.50"),
        "tasa_iva": Decimal("0.16"),
        "iva": Decimal("808.08"),
        "total": Decimal("5858.58"),
    }
    assert r["body"].count('"costo":1850.50') == 1  # exact, two decimals, a JSON number
    assert '"total":5858.58' in r["body"]
    assert obtener(invocar, tecnico, no)["json"] == r["json"]


def test_a_line_item_is_edited_partially_and_null_clears_its_claves(
    invocar: Invocar, tecnico: Any, con_levantamiento: str, dynamo_requests: Any
) -> None:
    no = con_levantamiento
    agregar(invocar, tecnico, no, {"claves": "DEF", "concepto": "Defensa", "costo": 100})
    agregar(invocar, tecnico, no, {"claves": "COF", "concepto": "Cofre", "costo": 200})
    dynamo_requests.reiniciar()

    r = editar(invocar, tecnico, no, "1", {"costo": 150.25, "claves": None, "id": 99})

    assert r["statusCode"] == 200, r["json"]
    assert dynamo_requests.llamadas == {"BatchGetItem": 1, "TransactWriteItems": 1}
    assert r["headers"]["ETag"] == '"4"'
    assert r["json"]["conceptos"] == [
        {"id": 1, "claves": None, "concepto": "Defensa", "costo": 150.25},
        {"id": 2, "claves": "COF", "concepto": "Cofre", "costo": 200.00},
    ]
    assert montos(r["json"])["subtotal"] == Decimal("350.25")
    # the same values again: nothing written
    r = editar(invocar, tecnico, no, "1", {"costo": 150.250})
    assert r["statusCode"] == 200
    assert r["json"]["version"] == 4


def test_a_line_item_is_deleted_and_its_id_is_never_reused(
    invocar: Invocar, admin: Any, tecnico: Any, con_levantamiento: str, dynamo_requests: Any
) -> None:
    no = con_levantamiento
    for i in range(1, 4):
        agregar(invocar, tecnico, no, {"concepto": f"Concepto {i}", "costo": i})
    dynamo_requests.reiniciar()

    r = quitar(invocar, admin, no, "3")

    assert r["statusCode"] == 200, r["json"]
    assert dynamo_requests.llamadas == {"BatchGetItem": 1, "TransactWriteItems": 1}
    assert [c["id"] for c in r["json"]["conceptos"]] == [1, 2]
    assert montos(r["json"])["subtotal"] == Decimal("3.00")
    r = agregar(invocar, tecnico, no, {"concepto": "Otro", "costo": 4})
    assert [c["id"] for c in r["json"]["conceptos"]] == [1, 2, 4]
    assert r["headers"]["Location"].endswith("/conceptos/4")


def test_a_put_with_conceptos_replaces_them_all_keeping_the_ids_it_names(
    invocar: Invocar, tecnico: Any, con_levantamiento: str
) -> None:
    no = con_levantamiento
    for i in range(1, 4):
        agregar(invocar, tecnico, no, {"concepto": f"Concepto {i}", "costo": 10 * i})

    r = guardar(
        invocar,
        tecnico,
        no,
        {
            "color": "Rojo",
            "conceptos": [
                {"id": 3, "claves": "C3", "concepto": "Concepto 3", "costo": 35},
                {"concepto": "Nuevo", "costo": 1},
                {"id": 1, "concepto": "Concepto 1", "costo": 10},
            ],
        },
    )

    assert r["statusCode"] == 200, r["json"]
    assert r["json"]["color"] == "Rojo"
    assert r["json"]["conceptos"] == [
        {"id": 3, "claves": "C3", "concepto": "Concepto 3", "costo": 35.00},
        {"id": 4, "claves": None, "concepto": "Nuevo", "costo": 1.00},
        {"id": 1, "claves": None, "concepto": "Concepto 1", "costo": 10.00},
    ]
    assert montos(r["json"])["subtotal"] == Decimal("46.00")
    assert del_levantamiento(no)[keys.LEVANTAMIENTO_SK]["num_conceptos"] == 3
    # null (or []) removes every line; ids keep counting
    r = guardar(invocar, tecnico, no, {"conceptos": None})
    assert r["json"]["conceptos"] == []
    assert r["json"]["totales"] == CERO
    r = agregar(invocar, tecnico, no, {"concepto": "Después", "costo": 1})
    assert r["json"]["conceptos"][0]["id"] == 5


def test_a_replacement_naming_an_unknown_or_repeated_id_is_400_and_changes_nothing(
    invocar: Invocar, tecnico: Any, con_levantamiento: str
) -> None:
    no = con_levantamiento
    agregar(invocar, tecnico, no, {"concepto": "Uno", "costo": 1})
    antes = del_levantamiento(no)

    desconocido = guardar(
        invocar, tecnico, no, {"conceptos": [{"concepto": "x", "costo": 1}, {"id": 7, "concepto": "y", "costo": 2}]}
    )
    repetido = guardar(invocar, tecnico, no, {"conceptos": [{"id": 1, "concepto": "x", "costo": 1}] * 2})

    assert desconocido["statusCode"] == 400
    assert desconocido["json"]["error"] == "Concepto no encontrado"
    assert desconocido["json"]["detalles"] == [
        {"campo": "conceptos.1.id", "mensaje": "El levantamiento no tiene el concepto 7"}
    ]
    assert repetido["statusCode"] == 400
    assert "más de una vez" in repetido["json"]["detalles"][0]["mensaje"]
    assert del_levantamiento(no) == antes


@pytest.mark.parametrize(
    ("cuerpo", "campo"),
    [
        (crudo('{"concepto": "x", "costo": 1e309}'), "costo"),
        (crudo('{"concepto": "x", "costo": NaN}'), "costo"),
        (crudo('{"concepto": "x", "costo": Infinity}'), "costo"),
        (crudo('{"concepto": "x", "costo": -Infinity}'), "costo"),
        ({"concepto": "x", "costo": "100.00"}, "costo"),
        ({"concepto": "x", "costo": True}, "costo"),
        ({"concepto": "x", "costo": None}, "costo"),
        ({"concepto": "x", "costo": -1}, "costo"),
        ({"concepto": "x", "costo": -0.01}, "costo"),
        (crudo('{"concepto": "x", "costo": 1.001}'), "costo"),
        (crudo('{"concepto": "x", "costo": 10000000.00}'), "costo"),
        (crudo('{"concepto": "x", "costo": 1e-400}'), "costo"),
        ({"concepto": "x"}, "costo"),
        ({"costo": 1}, "concepto"),
        ({"concepto": "", "costo": 1}, "concepto"),
        ({"concepto": "   ", "costo": 1}, "concepto"),
        ({"concepto": "x" * 301, "costo": 1}, "concepto"),
        ({"concepto": "a\x00b", "costo": 1}, "concepto"),
        ({"concepto": 5, "costo": 1}, "concepto"),
        ({"concepto": "x", "costo": 1, "claves": "c" * 101}, "claves"),
        ({"concepto": "x", "costo": 1, "claves": 12}, "claves"),
        ({"concepto": "x", "costo": 1, "id": 3}, "id"),
    ],
)
def test_invalid_line_items_are_400_naming_the_field_and_write_nothing(
    invocar: Invocar, tecnico: Any, con_levantamiento: str, cuerpo: Any, campo: str
) -> None:
    antes = del_levantamiento(con_levantamiento)

    r = agregar(invocar, tecnico, con_levantamiento, cuerpo)

    assert r["statusCode"] == 400, r["json"]
    assert campo in [d["campo"] for d in r["json"]["detalles"]], r["json"]
    assert del_levantamiento(con_levantamiento) == antes


@pytest.mark.parametrize(
    ("cuerpo", "costo"),
    [
        (crudo('{"concepto": "x", "costo": 0}'), "0.00"),
        (crudo('{"concepto": "x", "costo": -0}'), "0.00"),
        (crudo('{"concepto": "x", "costo": -0.0}'), "0.00"),
        (crudo('{"concepto": "x", "costo": 100}'), "100.00"),
        (crudo('{"concepto": "x", "costo": 100.5}'), "100.50"),
        (crudo('{"concepto": "x", "costo": 0.1}'), "0.10"),
        (crudo('{"concepto": "x", "costo": 1.500}'), "1.50"),
        (crudo('{"concepto": "x", "costo": 1E2}'), "100.00"),
        (crudo('{"concepto": "x", "costo": 9999999.99}'), "9999999.99"),
    ],
)
def test_amounts_are_exact_decimals_with_two_places(
    invocar: Invocar, tecnico: Any, con_levantamiento: str, cuerpo: str, costo: str
) -> None:
    r = agregar(invocar, tecnico, con_levantamiento, cuerpo)

    assert r["statusCode"] == 201, r["json"]
    assert f'"costo":{costo}' in r["body"]


def test_invalid_line_item_edits_are_400(invocar: Invocar, tecnico: Any, con_levantamiento: str) -> None:
    no = con_levantamiento
    agregar(invocar, tecnico, no, {"concepto": "Uno", "costo": 1})

    vacio = editar(invocar, tecnico, no, "1", {})
    sin_concepto = editar(invocar, tecnico, no, "1", {"concepto": None})
    sin_costo = editar(invocar, tecnico, no, "1", {"costo": None})
    negativo = editar(invocar, tecnico, no, "1", {"costo": -5})

    assert (vacio["statusCode"], vacio["json"]["error"]) == (400, "No hay campos para actualizar")
    assert sin_concepto["statusCode"] == sin_costo["statusCode"] == negativo["statusCode"] == 400
    assert "no pueden quedar vacíos: concepto" in sin_concepto["json"]["detalles"][0]["mensaje"]
    assert obtener(invocar, tecnico, no)["json"]["version"] == 2


# ---- totals
@pytest.mark.parametrize(
    "caso",
    [
        (["0.03"], "0.03", "0.00"),  # 0.0048
        (["0.34"], "0.34", "0.05"),  # 0.0544
        (["0.1", "0.1", "0.1"], "0.30", "0.05"),  # 0.048: no float anywhere
        (["33.33", "33.33", "33.34"], "100.00", "16.00"),
        (["1234.56", "0.01"], "1234.57", "197.53"),  # 197.5312
        (["9999999.99"], "9999999.99", "1600000.00"),  # 1599999.9984
    ],
)
def test_totals_are_exact_with_iva_rounded_half_up_to_cents(
    invocar: Invocar, tecnico: Any, expediente: str, caso: tuple[list[str], str, str]
) -> None:
    costos, subtotal, iva = caso
    conceptos = ",".join(f'{{"concepto": "c{i}", "costo": {c}}}' for i, c in enumerate(costos))

    r = guardar(invocar, tecnico, expediente, crudo(f'{{"conceptos": [{conceptos}]}}'))

    assert r["statusCode"] == 201, r["json"]
    assert montos(r["json"]) == {
        "subtotal": Decimal(subtotal),
        "tasa_iva": Decimal("0.16"),
        "iva": Decimal(iva),
        "total": Decimal(subtotal) + Decimal(iva),
    }


def test_half_a_cent_of_iva_rounds_up(
    invocar: Invocar, tecnico: Any, siniestro: Callable[[], str], operador: Any, tasa: Callable[[str], None]
) -> None:
    # Mexico's 16 % and 8 % never give exactly half a cent; a rate of 0.5 does (0.01 x 0.5 = 0.005).
    tasa("0.5")
    no = siniestro()
    nuevo(invocar, operador, no)

    r = guardar(invocar, tecnico, no, {"conceptos": [{"concepto": "x", "costo": 0.01}]})
    r2 = agregar(invocar, tecnico, no, {"concepto": "y", "costo": 0.04})

    assert montos(r["json"]) == {
        "subtotal": Decimal("0.01"),
        "tasa_iva": Decimal("0.5"),
        "iva": Decimal("0.01"),  # 0.005 half-up (half-even would say 0.00)
        "total": Decimal("0.02"),
    }
    assert montos(r2["json"])["iva"] == Decimal("0.03")  # 0.025 half-up (half-even: 0.02)


def test_300_line_items_at_the_maximum_amount_and_not_one_more(
    invocar: Invocar, tecnico: Any, expediente: str, dynamo_requests: Any
) -> None:
    conceptos = [
        {"claves": f"C{i:03d}", "concepto": f"Concepto {i}", "costo": Decimal("9999999.99")} for i in range(300)
    ]
    cuerpo = json.dumps({"conceptos": conceptos}, default=str).replace('"9999999.99"', "9999999.99")

    r = guardar(invocar, tecnico, expediente, crudo(cuerpo))

    assert r["statusCode"] == 201, r["json"]
    assert len(r["json"]["conceptos"]) == 300
    assert [c["id"] for c in r["json"]["conceptos"]] == list(range(1, 301))
    assert montos(r["json"]) == {
        "subtotal": Decimal("2999999997.00"),
        "tasa_iva": Decimal("0.16"),
        "iva": Decimal("479999999.52"),
        "total": Decimal("3479999996.52"),
    }
    dynamo_requests.reiniciar()
    assert obtener(invocar, tecnico, expediente)["json"] == r["json"]
    assert dynamo_requests.llamadas == {"BatchGetItem": 1}

    otro = agregar(invocar, tecnico, expediente, {"concepto": "El 301", "costo": 1})

    assert otro["statusCode"] == 409
    assert otro["json"] == {"error": "El levantamiento ya tiene el máximo de 300 conceptos"}
    assert del_levantamiento(expediente)[keys.LEVANTAMIENTO_SK]["version"] == 1


def test_line_items_too_large_for_one_item_are_refused(invocar: Invocar, tecnico: Any, expediente: str) -> None:
    # Lines of four-byte characters: ~1.6 KB each, so fewer than 300 of them already fill the item.
    linea = {"claves": "😀" * 100, "concepto": "😀" * 300, "costo": 1}

    def cuerpo(n: int) -> str:
        return json.dumps({"conceptos": [linea] * n}, ensure_ascii=False)

    demasiadas = guardar(invocar, tecnico, expediente, crudo(cuerpo(120)))  # 198 KB: a body the API accepts
    creado = guardar(invocar, tecnico, expediente, crudo(cuerpo(90)))
    estados = [agregar(invocar, tecnico, expediente, linea)["statusCode"] for _ in range(10)]

    assert demasiadas["statusCode"] == 400, demasiadas["json"]
    assert demasiadas["json"]["error"] == "Los conceptos exceden el tamaño máximo del levantamiento"
    assert creado["statusCode"] == 201
    assert 201 in estados
    assert estados[estados.index(409) :] == [409] * (len(estados) - estados.index(409))
    ultima = agregar(invocar, tecnico, expediente, linea)
    assert ultima["json"]["error"] == "Los conceptos exceden el tamaño máximo del levantamiento"
    assert len(obtener(invocar, tecnico, expediente)["json"]["conceptos"]) == 90 + estados.count(201)


def test_a_survey_keeps_the_iva_rate_it_was_created_with(
    invocar: Invocar, tecnico: Any, operador: Any, siniestro: Callable[[], str], tasa: Callable[[str], None]
) -> None:
    tasa("0.08")
    no = siniestro()
    nuevo(invocar, operador, no)
    r = guardar(invocar, tecnico, no, {"conceptos": [{"concepto": "x", "costo": 100}]})
    assert montos(r["json"])["iva"] == Decimal("8.00")

    tasa("0.16")
    r = agregar(invocar, tecnico, no, {"concepto": "y", "costo": 100})

    assert montos(r["json"]) == {
        "subtotal": Decimal("200.00"),
        "tasa_iva": Decimal("0.08"),
        "iva": Decimal("16.00"),
        "total": Decimal("216.00"),
    }


# ---- 404
def test_a_get_costs_one_request_and_a_404_two(
    invocar: Invocar, tecnico: Any, con_levantamiento: str, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    dynamo_requests.reiniciar()
    assert obtener(invocar, tecnico, con_levantamiento)["statusCode"] == 200
    assert dynamo_requests.llamadas == {"BatchGetItem": 1}

    dynamo_requests.reiniciar()
    assert obtener(invocar, tecnico, siniestro())["statusCode"] == 404
    assert dynamo_requests.llamadas == {"BatchGetItem": 1, "GetItem": 1}


def test_404_bodies_say_what_is_missing(
    invocar: Invocar, admin: Any, tecnico: Any, expediente: str, siniestro: Callable[[], str]
) -> None:
    inexistente = siniestro()
    expediente_404 = {"error": "Expediente no encontrado"}
    levantamiento_404 = {"error": "Levantamiento no encontrado"}

    r = obtener(invocar, tecnico, inexistente)
    assert (r["statusCode"], r["json"]) == (404, expediente_404)
    r = obtener(invocar, tecnico, expediente)
    assert (r["statusCode"], r["json"]) == (404, levantamiento_404)

    llamadas: list[tuple[Callable[..., dict[str, Any]], tuple[Any, ...]]] = [
        (agregar, ({"concepto": "x", "costo": 1},)),
        (editar, ("1", {"costo": 2})),
        (quitar, ("1",)),
    ]
    for funcion, argumentos in llamadas:
        llamante = admin if funcion is quitar else tecnico
        assert funcion(invocar, llamante, inexistente, *argumentos)["json"] == expediente_404
        assert funcion(invocar, llamante, expediente, *argumentos)["json"] == levantamiento_404
    assert guardar(invocar, tecnico, inexistente, {"marca": "x"})["json"] == expediente_404
    assert eliminar(invocar, admin, inexistente)["json"] == expediente_404
    assert eliminar(invocar, admin, expediente)["json"] == levantamiento_404
    assert del_levantamiento(expediente) == {}
    assert del_levantamiento(inexistente) == {}
    assert items(inexistente) == {}  # not even an audit entry


@pytest.mark.parametrize("id_concepto", ["2", "0", "-1", "abc", "1.0", "１", "99999999999999999999"])
def test_a_line_item_that_does_not_exist_is_404(
    invocar: Invocar, admin: Any, tecnico: Any, con_levantamiento: str, id_concepto: str
) -> None:
    agregar(invocar, tecnico, con_levantamiento, {"concepto": "Uno", "costo": 1})

    editado = editar(invocar, tecnico, con_levantamiento, id_concepto, {"costo": 2})
    quitado = quitar(invocar, admin, con_levantamiento, id_concepto)

    assert (editado["statusCode"], editado["json"]) == (404, {"error": "Concepto no encontrado"})
    assert (quitado["statusCode"], quitado["json"]) == (404, {"error": "Concepto no encontrado"})
    assert obtener(invocar, tecnico, con_levantamiento)["json"]["version"] == 2


def test_a_bad_claim_number_in_the_path_is_400(invocar: Invocar, tecnico: Any) -> None:
    r = obtener(invocar, tecnico, "   ")
    assert (r["statusCode"], r["json"]["error"]) == (400, "No. Siniestro requerido")
    r = guardar(invocar, tecnico, "a/b", {})
    assert r["statusCode"] == 400


# ---- If-Match
def test_if_match_with_the_current_version_passes_and_a_stale_one_is_412_with_the_current_etag(
    invocar: Invocar, admin: Any, tecnico: Any, con_levantamiento: str
) -> None:
    no = con_levantamiento
    actual = obtener(invocar, tecnico, no)["headers"]["ETag"]
    assert actual == '"1"'

    r = guardar(invocar, tecnico, no, {"color": "Rojo"}, headers={"If-Match": actual})
    assert (r["statusCode"], r["headers"]["ETag"]) == (200, '"2"')

    viejos = [
        guardar(invocar, tecnico, no, {"color": "Azul"}, headers={"If-Match": actual}),
        agregar(invocar, tecnico, no, {"concepto": "x", "costo": 1}, headers={"If-Match": actual}),
        editar(invocar, tecnico, no, "1", {"costo": 1}, headers={"If-Match": actual}),
        quitar(invocar, admin, no, "1", headers={"If-Match": actual}),
        eliminar(invocar, admin, no, headers={"If-Match": 'W/"1"'}),
        guardar(invocar, tecnico, no, {"color": "Azul"}, headers={"If-Match": "basura"}),
    ]
    for respuesta in viejos:
        assert respuesta["statusCode"] == 412, respuesta["json"]
        assert respuesta["json"] == {"error": "El levantamiento cambió desde su última lectura"}
        assert respuesta["headers"]["ETag"] == '"2"'
    assert obtener(invocar, tecnico, no)["json"]["color"] == "Rojo"

    r = agregar(invocar, tecnico, no, {"concepto": "x", "costo": 1}, headers={"If-Match": '"2"'})
    assert r["statusCode"] == 201
    r = guardar(invocar, tecnico, no, {"color": "Verde"}, headers={"If-Match": "*"})
    assert r["statusCode"] == 200
    r = eliminar(invocar, admin, no, headers={"If-Match": r["headers"]["ETag"]})
    assert r["statusCode"] == 200


def test_if_match_on_a_survey_that_does_not_exist_yet_is_412(invocar: Invocar, tecnico: Any, expediente: str) -> None:
    r = guardar(invocar, tecnico, expediente, {"color": "Rojo"}, headers={"If-Match": '"1"'})

    assert r["statusCode"] == 412
    assert del_levantamiento(expediente) == {}


# ---- audit
def test_every_write_is_audited_as_the_levantamiento_with_old_and_new_values(
    invocar: Invocar, admin: Any, tecnico: Any, expediente: str
) -> None:
    no = expediente
    guardar(invocar, tecnico, no, {"kilometraje": 1000, "conceptos": [{"claves": "A", "concepto": "Uno", "costo": 10}]})
    guardar(invocar, tecnico, no, {"kilometraje": 1500, "color": None})
    agregar(invocar, tecnico, no, {"concepto": "Dos", "costo": 20.5})
    editar(invocar, tecnico, no, "2", {"costo": 20.75, "concepto": "Dos bis"})
    quitar(invocar, admin, no, "1")
    eliminar(invocar, admin, no)

    entradas = auditoria(invocar, admin, no)

    assert [e["recurso"] for e in entradas] == ["levantamiento"] * 6
    assert [e["usuario"]["id"] for e in entradas[:2]] == [admin.principal.id_usuario] * 2
    assert {e["usuario"]["id"] for e in entradas[2:]} == {tecnico.principal.id_usuario}
    borrado, quitado, editado, agregado, actualizado, creado = entradas
    assert creado["cambios"][0] == {"campo": "levantamiento", "anterior": None, "nuevo": {"version": 1}}
    assert {"campo": "kilometraje", "anterior": None, "nuevo": 1000} in creado["cambios"]
    assert {"campo": "marca", "anterior": None, "nuevo": "Toyota"} in creado["cambios"]  # copied, audited too
    assert {
        "campo": "conceptos[1]",
        "anterior": None,
        "nuevo": {"claves": "A", "concepto": "Uno", "costo": 10},
    } in creado["cambios"]
    assert actualizado["cambios"] == [
        {"campo": "kilometraje", "anterior": 1000, "nuevo": 1500},
        {"campo": "color", "anterior": "Blanco", "nuevo": None},
    ]
    assert agregado["cambios"] == [
        {"campo": "conceptos[2]", "anterior": None, "nuevo": {"claves": None, "concepto": "Dos", "costo": 20.5}}
    ]
    assert editado["cambios"] == [
        {"campo": "conceptos[2].concepto", "anterior": "Dos", "nuevo": "Dos bis"},
        {"campo": "conceptos[2].costo", "anterior": 20.5, "nuevo": 20.75},  # cents kept, never truncated
    ]
    assert quitado["cambios"] == [
        {"campo": "conceptos[1]", "anterior": {"claves": "A", "concepto": "Uno", "costo": 10}, "nuevo": None}
    ]
    assert borrado["cambios"][0] == {"campo": "levantamiento", "anterior": {"version": 5}, "nuevo": None}
    assert {"campo": "kilometraje", "anterior": 1500, "nuevo": None} in borrado["cambios"]
    assert {
        "campo": "conceptos[2]",
        "anterior": {"claves": None, "concepto": "Dos bis", "costo": 20.75},
        "nuevo": None,
    } in borrado["cambios"]


def test_moving_kept_lines_is_audited_as_their_order(invocar: Invocar, tecnico: Any, expediente: str) -> None:
    guardar(invocar, tecnico, expediente, {"conceptos": [{"concepto": "A", "costo": 1}, {"concepto": "B", "costo": 2}]})

    r = guardar(
        invocar,
        tecnico,
        expediente,
        {"conceptos": [{"id": 2, "concepto": "B", "costo": 2}, {"id": 1, "concepto": "A", "costo": 1}]},
    )

    assert [c["id"] for c in r["json"]["conceptos"]] == [2, 1]
    guardados = [
        i for sk, i in items(expediente).items() if sk.startswith(keys.PREFIJO_AUDITORIA) and i.get("version") == 2
    ]
    assert guardados[0]["cambios"] == [{"campo": "conceptos.orden", "anterior": [1, 2], "nuevo": [2, 1]}]


# ---- the survey and its expediente
def test_the_expediente_detail_summarises_the_survey_without_another_request(
    invocar: Invocar, tecnico: Any, expediente: str, dynamo_requests: Any
) -> None:
    detalle = invocar(
        "expedientes_get",
        "GET",
        "/api/expedientes/{no_siniestro}",
        llamante=tecnico,
        ruta_params={"no_siniestro": expediente},
    )
    assert detalle["json"]["levantamiento"] is None
    conceptos = [{"concepto": f"c{i}", "costo": 100} for i in range(300)]
    guardar(invocar, tecnico, expediente, {"conceptos": conceptos})
    dynamo_requests.reiniciar()

    detalle = invocar(
        "expedientes_get",
        "GET",
        "/api/expedientes/{no_siniestro}",
        llamante=tecnico,
        ruta_params={"no_siniestro": expediente},
    )

    assert detalle["statusCode"] == 200
    assert dynamo_requests.llamadas == {"Query": 1}  # no insurer on this expediente: one request
    resumen = detalle["json"]["levantamiento"]
    assert Decimal(str(resumen["total"])) == Decimal("34800.00")
    assert '"total":34800.00' in detalle["body"]
    assert resumen["conceptos"] == 300
    assert resumen["version"] == 1
    assert FECHA_Z.match(resumen["actualizado_en"])
    assert len(detalle["body"]) < 5000  # the 300 lines stay out of the detail's Query


def test_deleting_the_expediente_deletes_its_survey(
    invocar: Invocar, admin: Any, operador: Any, tecnico: Any, expediente: str
) -> None:
    guardar(invocar, tecnico, expediente, {"conceptos": [{"concepto": "x", "costo": 1}]})
    assert set(del_levantamiento(expediente)) == {keys.LEVANTAMIENTO_SK, keys.CONCEPTOS_LEVANTAMIENTO_SK}

    r = invocar(
        "expedientes_delete",
        "DELETE",
        "/api/expedientes/{no_siniestro}",
        llamante=admin,
        ruta_params={"no_siniestro": expediente},
    )

    assert r["statusCode"] == 200
    assert del_levantamiento(expediente) == {}
    nuevo(invocar, operador, expediente)  # the same claim number again: no survey comes back
    assert obtener(invocar, tecnico, expediente)["json"] == {"error": "Levantamiento no encontrado"}


def test_deleting_the_survey_removes_both_items_and_a_new_one_starts_over(
    invocar: Invocar, admin: Any, tecnico: Any, expediente: str, dynamo_requests: Any
) -> None:
    guardar(invocar, tecnico, expediente, {"conceptos": [{"concepto": "x", "costo": 1}, {"concepto": "y", "costo": 2}]})
    dynamo_requests.reiniciar()

    r = eliminar(invocar, admin, expediente)

    assert (r["statusCode"], r["json"]) == (200, {"eliminado": expediente})
    assert dynamo_requests.llamadas == {"BatchGetItem": 1, "TransactWriteItems": 1}
    assert del_levantamiento(expediente) == {}
    r = guardar(invocar, tecnico, expediente, {"conceptos": [{"concepto": "z", "costo": 3}]})
    assert r["statusCode"] == 201
    assert r["json"]["version"] == 1
    assert r["json"]["conceptos"][0]["id"] == 1


# ---- reads that straddle a write
def test_a_read_never_mixes_one_version_s_header_with_another_s_lines(
    invocar: Invocar, tecnico: Any, con_levantamiento: str, dynamo_requests: Any
) -> None:
    # Given the two items as a read would see them halfway through another writer's transaction
    lista = table.get(keys.conceptos_levantamiento(con_levantamiento), consistente=True)
    assert lista is not None
    table.put({**lista, "revision": "de-otra-version"})
    dynamo_requests.reiniciar()

    r = obtener(invocar, tecnico, con_levantamiento)

    # Then it reads again (consistently) instead of answering a mixture; here the mixture never resolves
    assert r["statusCode"] == 503
    assert dynamo_requests.llamadas == {"BatchGetItem": 5}


# ---- concurrency
def test_twenty_concurrent_line_item_additions_all_survive(
    invocar: Invocar, tecnico: Any, con_levantamiento: str
) -> None:
    no = con_levantamiento
    eventos_post = [
        evento("POST", RUTA_CONCEPTOS, {"no_siniestro": no}, {"concepto": f"Concepto {i}", "costo": i}, tecnico)
        for i in range(1, 21)
    ]

    respuestas = en_paralelo("levantamientos_conceptos_create", eventos_post)

    assert [r[0] for r in respuestas] == [201] * 20
    final = obtener(invocar, tecnico, no)["json"]
    assert sorted(c["concepto"] for c in final["conceptos"]) == sorted(f"Concepto {i}" for i in range(1, 21))
    assert sorted(c["id"] for c in final["conceptos"]) == list(range(1, 21))
    assert final["version"] == 21
    assert montos(final)["subtotal"] == Decimal(sum(range(1, 21)))
    assert auditorias_guardadas(no) == 21  # the creation and one per addition


class _Crudo:
    def __init__(self, cuerpo: bytes) -> None:
        self.cuerpo = cuerpo

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.cuerpo


@pytest.fixture
def conflicto_transaccional() -> Iterator[list[int]]:
    """DynamoDB answers the next TransactWriteItems with TransactionConflict (another transaction was writing the
    same item at that moment), as it does on AWS when two writers overlap; moto never does."""
    table.cliente.cache_clear()
    eventos = table.cliente().meta.events
    enviados: list[int] = []

    def responder(request: Any, **_: Any) -> AWSResponse | None:
        enviados.append(1)
        if len(enviados) > 1:
            return None
        razones = [{"Code": "None"}, {"Code": "TransactionConflict", "Message": "Transaction is ongoing"}]
        cuerpo = json.dumps(
            {
                "__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
                "message": "Transaction cancelled, please refer cancellation reasons for specific reasons",
                "CancellationReasons": razones,
            }
        ).encode()
        cabeceras = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": "conflicto"}
        return AWSResponse(request.url, 400, cabeceras, _Crudo(cuerpo))

    eventos.register("before-send.dynamodb.TransactWriteItems", responder, unique_id="monitor-conflicto")
    yield enviados
    eventos.unregister("before-send.dynamodb.TransactWriteItems", unique_id="monitor-conflicto")
    table.cliente.cache_clear()


def test_a_transaction_conflict_is_read_again_and_retried_not_a_503(
    invocar: Invocar, tecnico: Any, con_levantamiento: str, conflicto_transaccional: list[int], dynamo_requests: Any
) -> None:
    dynamo_requests.reiniciar()

    r = agregar(invocar, tecnico, con_levantamiento, {"concepto": "Tras el conflicto", "costo": 5})

    assert r["statusCode"] == 201, r["json"]
    assert len(conflicto_transaccional) == 2  # the SDK does not retry it; the survey's own loop does
    assert dynamo_requests.llamadas == {"BatchGetItem": 2, "TransactWriteItems": 2}
    assert [c["concepto"] for c in r["json"]["conceptos"]] == ["Tras el conflicto"]


def test_two_concurrent_first_puts_create_one_survey(invocar: Invocar, tecnico: Any, expediente: str) -> None:
    eventos_put = [
        evento("PUT", RUTA, {"no_siniestro": expediente}, {"serie": "S-1"}, tecnico),
        evento("PUT", RUTA, {"no_siniestro": expediente}, {"eco": "U-7"}, tecnico),
    ]

    respuestas = en_paralelo("levantamientos_put", eventos_put)

    assert sorted(r[0] for r in respuestas) == [200, 201]
    final = obtener(invocar, tecnico, expediente)["json"]
    assert (final["serie"], final["eco"], final["version"]) == ("S-1", "U-7", 2)


# ---- events/ examples (sam local invoke -e)
@pytest.mark.parametrize(
    "nombre",
    [
        "levantamientos_get",
        "levantamientos_put",
        "levantamientos_delete",
        "levantamientos_conceptos_create",
        "levantamientos_conceptos_update",
        "levantamientos_conceptos_delete",
    ],
)
def test_each_event_is_answered_with_json_and_no_server_error(nombre: str) -> None:
    from tools import funciones

    ejemplo = json.loads((EVENTOS / f"{nombre}.json").read_text(encoding="utf-8"))
    assert ejemplo["resource"].startswith(RUTA)

    respuesta = funciones.invocar(funciones.cargar(nombre), ejemplo, nombre)

    assert respuesta["statusCode"] < 500, respuesta
    assert json.loads(respuesta["body"])
