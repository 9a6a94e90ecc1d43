"""Create, detail, list and delete of expedientes through their handlers."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from monitor.aseguradoras import servicio as aseguradoras
from monitor.core import keys, table
from tests.apoyo.expedientes import FECHA_Z, RUTA, meta, nuevo

Invocar = Callable[..., dict[str, Any]]
OBLIGATORIOS = [
    "no_siniestro",
    "nombre_cliente",
    "telefono_cliente",
    "marca",
    "placas",
    "tipo",
    "modelo",
    "fecha_ingreso",
    "fecha_entrega",
]


def crear(invocar: Invocar, llamante: Any, cuerpo: Any) -> dict[str, Any]:
    return invocar("expedientes_create", "POST", "/api/expedientes", llamante=llamante, cuerpo=cuerpo)


def listar(invocar: Invocar, llamante: Any, **query: str) -> dict[str, Any]:
    return invocar("expedientes_list", "GET", "/api/expedientes", llamante=llamante, query=query)


def coleccion(no: str) -> list[dict[str, Any]]:
    return table.query_todo("PK = :pk", {":pk": keys.expediente_pk(no)}, consistente=True)


@pytest.fixture
def aseguradora_propia() -> int:
    """A fresh insurer: its GSI3 partition holds only this test's expedientes."""
    return int(aseguradoras.crear(f"Aseguradora {uuid.uuid4().hex[:10]}")["id"])


# ---- create
def test_create_starts_in_ingreso_with_its_first_history_entry(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    no = siniestro()
    dynamo_requests.reiniciar()

    creado = nuevo(invocar, operador, no, id_aseguradora=2, doc_identificacion=True)

    assert dynamo_requests.llamadas == {"TransactWriteItems": 1}
    assert creado["no_siniestro"] == no
    assert creado["estado"] == "Ingreso"
    assert creado["ubicacion_almacenamiento"] == "Local"
    assert creado["creado_por"] == operador.principal.id_usuario
    assert creado["version"] == 1
    assert creado["fecha_ingreso"] == "2024-03-15T12:00:00.000Z"
    assert creado["fecha_entrega"] == "2024-04-15T12:00:00.000Z"
    assert creado["doc_identificacion"] is True
    assert creado["doc_finiquito"] is None
    assert FECHA_Z.match(creado["creado_en"])
    assert creado["creado_en"] == creado["actualizado_en"]
    historia = [i for i in coleccion(no) if i["SK"].startswith("HIST#")]
    assert len(historia) == 1
    assert historia[0]["estado_anterior"] is None
    assert historia[0]["estado_nuevo"] == "Ingreso"
    assert historia[0]["fecha_cambio"] == creado["creado_en"]
    assert int(historia[0]["cambiado_por"]["id"]) == operador.principal.id_usuario


def test_create_trims_the_claim_number(invocar: Invocar, operador: Any, siniestro: Callable[[], str]) -> None:
    no = siniestro()

    creado = nuevo(invocar, operador, f"  {no}  ")

    assert creado["no_siniestro"] == no
    assert meta(no) is not None


def test_create_without_required_fields_lists_them_all(invocar: Invocar, operador: Any) -> None:
    r = crear(invocar, operador, {"color": "Rojo"})

    assert r["statusCode"] == 400
    assert r["json"]["error"].startswith("Faltan campos obligatorios: ")
    faltan = r["json"]["error"].removeprefix("Faltan campos obligatorios: ").split(", ")
    assert sorted(faltan) == sorted(OBLIGATORIOS)
    assert {d["campo"] for d in r["json"]["detalles"]} == set(OBLIGATORIOS)


def test_create_treats_null_and_blank_required_values_as_missing(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str]
) -> None:
    cuerpo = {
        "no_siniestro": siniestro(),
        "nombre_cliente": None,
        "telefono_cliente": "555",
        "marca": "  ",
        "placas": "X",
        "tipo": "T",
        "modelo": "M",
        "fecha_ingreso": "2024-01-01",
        "fecha_entrega": "2024-01-02",
    }

    r = crear(invocar, operador, cuerpo)

    assert r["statusCode"] == 400
    assert r["json"]["error"] in (
        "Faltan campos obligatorios: nombre_cliente, marca",
        "Faltan campos obligatorios: marca, nombre_cliente",
    )


def test_duplicate_claim_number_is_409_and_keeps_the_first(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no, color="Blanco")

    r = invocar(
        "expedientes_create",
        "POST",
        "/api/expedientes",
        llamante=operador,
        cuerpo={
            "no_siniestro": no,
            "nombre_cliente": "Otro",
            "telefono_cliente": "1",
            "marca": "Nissan",
            "placas": "ZZZ",
            "tipo": "Pickup",
            "modelo": "NP300",
            "fecha_ingreso": "2024-01-01",
            "fecha_entrega": "2024-01-02",
        },
    )

    assert r["statusCode"] == 409
    assert r["json"] == {"error": "Ya existe un expediente con ese No. Siniestro"}
    assert meta(no)["marca"] == "Toyota"  # type: ignore[index]
    assert len([i for i in coleccion(no) if i["SK"].startswith("HIST#")]) == 1


@pytest.mark.parametrize(
    ("extra", "campo"),
    [
        ({"id_aseguradora": 987654}, "id_aseguradora"),
        ({"fecha_ingreso": "2024-02-30"}, "fecha_ingreso"),
        ({"doc_finiquito": "true"}, "doc_finiquito"),
        ({"estado_inventado": 1}, "estado_inventado"),
        ({"dato2": "y" * 501}, "dato2"),
    ],
)
def test_create_with_invalid_data_is_400_and_creates_nothing(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], extra: dict[str, Any], campo: str
) -> None:
    no = siniestro()
    cuerpo = {
        "no_siniestro": no,
        "nombre_cliente": "Ana",
        "telefono_cliente": "1",
        "marca": "Kia",
        "placas": "K1",
        "tipo": "Hatch",
        "modelo": "Rio",
        "fecha_ingreso": "2024-01-01",
        "fecha_entrega": "2024-01-02",
        **extra,
    }

    r = crear(invocar, operador, cuerpo)

    assert r["statusCode"] == 400
    assert campo in [d["campo"] for d in r["json"]["detalles"]]
    assert coleccion(no) == []


@pytest.mark.parametrize("no", ["SIN/01", "x" * 65, "SIN#1", "ñandú"])
def test_create_refuses_claim_numbers_outside_the_alphabet(invocar: Invocar, operador: Any, no: str) -> None:
    r = crear(
        invocar,
        operador,
        {
            "no_siniestro": no,
            "nombre_cliente": "Ana",
            "telefono_cliente": "1",
            "marca": "Kia",
            "placas": "K1",
            "tipo": "Hatch",
            "modelo": "Rio",
            "fecha_ingreso": "2024-01-01",
            "fecha_entrega": "2024-01-02",
        },
    )

    assert r["statusCode"] == 400
    assert r["json"]["detalles"][0]["campo"] == "no_siniestro"


def test_create_is_for_administrators_and_operators(
    invocar: Invocar, tecnico: Any, admin: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()

    r = crear(invocar, tecnico, {"no_siniestro": no})
    nuevo(invocar, admin, siniestro())

    assert r["statusCode"] == 403
    assert r["json"] == {"error": "Acceso restringido a administradores y operadores"}
    assert meta(no) is None


# ---- detail
def test_detail_has_insurer_history_and_orders_in_two_requests(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no, id_aseguradora=3)
    invocar(
        "expedientes_estado",
        "PATCH",
        RUTA + "/estado",
        llamante=operador,
        ruta_params={"no_siniestro": no},
        cuerpo={"estado": "Restauracion"},
    )
    table.put(
        {
            **keys.orden_en_expediente(no, 4321),
            "serviceOrderId": 4321,
            "serviceOrderNumber": "OS-000123",
            "estado": "Recibida",
            "recibida_en": "2024-03-16T10:00:00.000Z",
            "insuranceClaimNumber": no,
            "id_aseguradora": 3,
        }
    )
    dynamo_requests.reiniciar()

    r = invocar("expedientes_get", "GET", RUTA, llamante=tecnico, ruta_params={"no_siniestro": no})

    assert r["statusCode"] == 200
    assert dynamo_requests.total <= 2
    assert dynamo_requests.llamadas == {"Query": 1, "GetItem": 1}
    cuerpo = r["json"]
    assert cuerpo["aseguradora"] == {"id": 3, "nombre": "HDI"}
    assert [h["estado_nuevo"] for h in cuerpo["historial_estado"]] == ["Restauracion", "Ingreso"]
    assert cuerpo["historial_estado"][0]["estado_anterior"] == "Ingreso"
    assert cuerpo["historial_estado"][0]["cambiado_por"] == {
        "id": operador.principal.id_usuario,
        "username": operador.principal.username,
        "nombre": operador.principal.nombre,
    }
    assert cuerpo["ordenes_servicio"] == [
        {
            "serviceOrderId": 4321,
            "serviceOrderNumber": "OS-000123",
            "estado": "Recibida",
            "recibida_en": "2024-03-16T10:00:00.000Z",
        }
    ]
    assert r["headers"]["ETag"].startswith('"2-')  # version 2 plus the digest of the order links


def test_detail_without_insurer_is_one_query(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    dynamo_requests.reiniciar()

    r = invocar("expedientes_get", "GET", RUTA, llamante=operador, ruta_params={"no_siniestro": no})

    assert r["statusCode"] == 200
    assert r["json"]["aseguradora"] is None
    assert r["json"]["ordenes_servicio"] == []
    assert dynamo_requests.llamadas == {"Query": 1}


def test_detail_of_a_missing_expediente_is_404_even_with_orders_waiting(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    table.put({**keys.orden_en_expediente(no, 1), "serviceOrderId": 1, "estado": "Recibida"})

    r = invocar("expedientes_get", "GET", RUTA, llamante=operador, ruta_params={"no_siniestro": no})
    vacio = invocar("expedientes_get", "GET", RUTA, llamante=operador, ruta_params={"no_siniestro": "  "})

    assert r["statusCode"] == 404
    assert r["json"] == {"error": "Expediente no encontrado"}
    assert vacio["statusCode"] == 400
    assert vacio["json"] == {"error": "No. Siniestro requerido"}


# ---- list
def test_list_is_newest_fecha_ingreso_first_one_query_per_page(
    invocar: Invocar,
    operador: Any,
    *,
    tecnico: Any,
    siniestro: Callable[[], str],
    aseguradora_propia: int,
    dynamo_requests: Any,
) -> None:
    nos = {fecha: siniestro() for fecha in ("2024-01-10", "2024-03-01", "2024-02-15", "2023-12-31", "2024-03-02")}
    for fecha, no in nos.items():
        nuevo(invocar, operador, no, fecha_ingreso=fecha, id_aseguradora=aseguradora_propia)
    esperado = [nos[f] for f in sorted(nos, reverse=True)]
    dynamo_requests.reiniciar()

    vistos: list[str] = []
    paginas = 0
    cursor: str | None = None
    while True:
        query = {"id_aseguradora": str(aseguradora_propia), "limit": "2"}
        if cursor:
            query["cursor"] = cursor
        r = listar(invocar, tecnico, **query)
        assert r["statusCode"] == 200
        paginas += 1
        vistos += [i["no_siniestro"] for i in r["json"]["items"]]
        cursor = r["json"]["next_cursor"]
        if cursor is None:
            break

    assert vistos == esperado
    assert dynamo_requests.llamadas == {"Query": paginas}
    assert paginas >= 3


def test_list_filters_by_state_and_insurer(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], aseguradora_propia: int
) -> None:
    ingreso, restauracion = siniestro(), siniestro()
    nuevo(invocar, operador, ingreso, id_aseguradora=aseguradora_propia)
    nuevo(invocar, operador, restauracion, id_aseguradora=aseguradora_propia)
    invocar(
        "expedientes_estado",
        "PATCH",
        RUTA + "/estado",
        llamante=operador,
        ruta_params={"no_siniestro": restauracion},
        cuerpo={"estado": "Restauracion"},
    )

    ambos = listar(invocar, operador, id_aseguradora=str(aseguradora_propia), estado="Restauracion")
    por_estado = listar(invocar, operador, estado="Restauracion", limit="100")

    assert [i["no_siniestro"] for i in ambos["json"]["items"]] == [restauracion]
    assert all(i["estado"] == "Restauracion" for i in por_estado["json"]["items"])


def test_q_matches_client_name_or_plates_ignoring_case_and_accents(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], aseguradora_propia: int
) -> None:
    marca = uuid.uuid4().hex[:6]
    nombre, placas, otro = siniestro(), siniestro(), siniestro()
    nuevo(invocar, operador, nombre, nombre_cliente=f"José Peña {marca}", id_aseguradora=aseguradora_propia)
    nuevo(invocar, operador, placas, placas=f"XY-{marca}", id_aseguradora=aseguradora_propia)
    nuevo(invocar, operador, otro, nombre_cliente="Nadie", id_aseguradora=aseguradora_propia)

    def buscar(q: str) -> list[str]:
        r = listar(invocar, operador, id_aseguradora=str(aseguradora_propia), q=q)
        assert r["statusCode"] == 200
        return sorted(i["no_siniestro"] for i in r["json"]["items"])

    assert buscar("JOSE PENA") == [nombre]
    assert buscar("peña") == [nombre]
    assert buscar(f"xy{marca.upper()}") == [placas]
    assert buscar(marca) == sorted([nombre, placas])


@pytest.mark.parametrize(
    "query",
    [{"estado": "Terminado"}, {"limit": "0"}, {"limit": "101"}, {"id_aseguradora": "cero"}, {"cursor": "abc.def"}],
)
def test_list_refuses_bad_filters(invocar: Invocar, operador: Any, query: dict[str, str]) -> None:
    r = listar(invocar, operador, **query)

    assert r["statusCode"] == 400
    assert r["json"]["detalles"]


def test_a_cursor_only_works_for_its_own_listing(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], aseguradora_propia: int
) -> None:
    for _ in range(2):
        nuevo(invocar, operador, siniestro(), id_aseguradora=aseguradora_propia)
    pagina = listar(invocar, operador, id_aseguradora=str(aseguradora_propia), limit="1")
    cursor = pagina["json"]["next_cursor"]
    assert cursor

    otra = listar(invocar, operador, estado="Ingreso", limit="1", cursor=cursor)
    alterado = listar(invocar, operador, id_aseguradora=str(aseguradora_propia), limit="1", cursor="x" + cursor)

    assert otra["statusCode"] == 400
    assert alterado["statusCode"] == 400


def test_list_items_are_flat_expedientes(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], aseguradora_propia: int
) -> None:
    no = siniestro()
    creado = nuevo(invocar, operador, no, id_aseguradora=aseguradora_propia)

    r = listar(invocar, operador, id_aseguradora=str(aseguradora_propia))

    assert r["json"]["items"] == [creado]


# ---- delete
def test_delete_removes_everything_but_the_insurers_order_links(
    invocar: Invocar, operador: Any, admin: Any, siniestro: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from monitor.core import storage

    borradas: list[str] = []
    monkeypatch.setattr(storage, "borrar_prefijo", lambda prefijo: borradas.append(prefijo) or 0)
    no = siniestro()
    nuevo(invocar, operador, no, id_aseguradora=2)
    invocar(
        "expedientes_update", "PUT", RUTA, llamante=operador, ruta_params={"no_siniestro": no}, cuerpo={"color": "R"}
    )
    invocar(
        "expedientes_comentarios_create",
        "POST",
        RUTA + "/comentarios",
        llamante=operador,
        ruta_params={"no_siniestro": no},
        cuerpo={"texto": "nota"},
    )
    table.put({**keys.evidencia(no, "e1"), "tipo": "evidencia"})
    enlace = {
        **keys.orden_en_expediente(no, 77),
        "serviceOrderId": 77,
        "serviceOrderNumber": "OS-000077",
        "insuranceClaimNumber": no,
        "recibida_en": "2024-03-01T10:00:00.000Z",
        "id_aseguradora": 2,
        "estado": "Recibida",
    }
    table.put(enlace)
    assert {i["SK"][:3] for i in coleccion(no)} == {"EXP", "HIS", "AUD", "COM", "EVI", "OS#", "BUS", "OUT"}

    r = invocar("expedientes_delete", "DELETE", RUTA, llamante=admin, ruta_params={"no_siniestro": no})

    assert r["statusCode"] == 200
    assert r["json"] == {"eliminado": no}
    # the link stays, and its order is again one whose claim has no expediente (the production board's list)
    assert [i["SK"] for i in coleccion(no)] == [keys.orden_en_expediente(no, 77)["SK"], keys.SIN_EXPEDIENTE_SK]
    assert borradas == [keys.prefijo_expediente_s3(no)]
    otra_vez = invocar("expedientes_delete", "DELETE", RUTA, llamante=admin, ruta_params={"no_siniestro": no})
    assert otra_vez["statusCode"] == 404
    assert otra_vez["json"] == {"error": "Expediente no encontrado"}
    # the claim can be created again and finds its order
    nuevo(invocar, operador, no, id_aseguradora=2)
    detalle = invocar("expedientes_get", "GET", RUTA, llamante=operador, ruta_params={"no_siniestro": no})
    assert [o["serviceOrderId"] for o in detalle["json"]["ordenes_servicio"]] == [77]
    assert keys.SIN_EXPEDIENTE_SK not in [i["SK"] for i in coleccion(no)]


def test_delete_retry_cleans_leftovers_of_a_half_finished_delete(
    invocar: Invocar, admin: Any, siniestro: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from monitor.core import storage

    monkeypatch.setattr(storage, "borrar_prefijo", lambda _prefijo: 0)
    no = siniestro()
    table.put({**keys.comentario(no, "huerfano"), "tipo": "comentario"})

    r = invocar("expedientes_delete", "DELETE", RUTA, llamante=admin, ruta_params={"no_siniestro": no})

    assert r["statusCode"] == 404
    assert coleccion(no) == []


def test_delete_is_for_administrators_only(invocar: Invocar, operador: Any, siniestro: Callable[[], str]) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)

    r = invocar("expedientes_delete", "DELETE", RUTA, llamante=operador, ruta_params={"no_siniestro": no})

    assert r["statusCode"] == 403
    assert r["json"] == {"error": "Acceso restringido a administradores"}
    assert meta(no) is not None
