"""`GET /api/expedientes?q=` from the token index and `?actualizado_desde=` from the sync index, through the
handlers: what matches, how pages are cut, what each write does to the index items and what it costs."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from monitor.core import keys, table
from monitor.core.dates import ahora
from tests.apoyo.expedientes import RUTA, nuevo, put
from tests.handlers.test_expedientes import aseguradora_propia, coleccion, listar  # noqa: F401 - fixture

Invocar = Callable[..., dict[str, Any]]
pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")


def _marca() -> str:
    """A word no other test's client has, so a search only sees this test's expedientes."""
    return "z" + uuid.uuid4().hex[:7]


def buscar(invocar: Invocar, llamante: Any, q: str, **query: str) -> list[str]:
    r = listar(invocar, llamante, q=q, **query)
    assert r["statusCode"] == 200, r["json"]
    return sorted(i["no_siniestro"] for i in r["json"]["items"])


def tokens_guardados(no: str) -> list[str]:
    return sorted(i["SK"].removeprefix("BUS#") for i in coleccion(no) if i["SK"].startswith("BUS#"))


# ---- what matches
def test_a_name_is_found_by_a_prefix_of_any_word_ignoring_case_accents_and_punctuation(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str]
) -> None:
    marca = _marca()
    pena, obrien, otro = siniestro(), siniestro(), siniestro()
    nuevo(invocar, operador, pena, nombre_cliente=f"José Peña {marca}")
    nuevo(invocar, operador, obrien, nombre_cliente=f"María-José O'Brien {marca}")
    nuevo(invocar, operador, otro, nombre_cliente=f"Otro Cliente {marca}")

    assert buscar(invocar, tecnico, f"pena {marca}") == [pena]
    assert buscar(invocar, tecnico, f"PEÑ {marca.upper()}") == [pena]
    assert buscar(invocar, tecnico, f"jose {marca}") == sorted([pena, obrien])
    assert buscar(invocar, tecnico, f"obri {marca}") == [obrien]
    assert buscar(invocar, tecnico, f"O'Bri {marca}") == [obrien]
    assert buscar(invocar, tecnico, f"maria-jo {marca}") == [obrien]
    assert buscar(invocar, tecnico, marca) == sorted([pena, obrien, otro])
    assert buscar(invocar, tecnico, f"ena {marca}") == []  # inside a word is not a prefix


def test_plates_and_claim_are_found_compacted_and_by_their_parts(invocar: Invocar, operador: Any, tecnico: Any) -> None:
    marca = _marca()
    no = f"{marca.upper()}-2024-7"
    numero = str(uuid.uuid4().int)[:9]  # a part of the plates no other test has
    nuevo(invocar, operador, no, placas=f"{marca[:4]}-{numero}", nombre_cliente="Cliente Placas")

    assert buscar(invocar, tecnico, f"{marca[:4]}{numero[0]}") == [no]  # "abc1" finds "ABC-123"
    assert buscar(invocar, tecnico, f"{marca[:4].upper()}-{numero[:2]}") == [no]
    assert buscar(invocar, tecnico, f"{marca}20247") == [no]  # the claim number, compacted
    assert buscar(invocar, tecnico, f"{marca}-2024") == [no]
    assert buscar(invocar, tecnico, numero[:5]) == [no]  # a part of the plates


def test_a_search_with_no_match_is_one_query_and_one_page_without_cursor(
    invocar: Invocar, tecnico: Any, dynamo_requests: Any
) -> None:
    dynamo_requests.reiniciar()

    r = listar(invocar, tecnico, q=_marca() + "nadie", limit="1")

    assert r["statusCode"] == 200
    assert r["json"] == {"items": [], "next_cursor": None}
    assert dynamo_requests.llamadas == {"Query": 1}


@pytest.mark.parametrize("q", ["¿?", "---", " "])
def test_a_query_without_letters_or_digits_is_400(invocar: Invocar, tecnico: Any, q: str) -> None:
    r = listar(invocar, tecnico, q=q)

    assert r["statusCode"] == 400
    assert r["json"]["error"] == "La búsqueda debe contener letras o dígitos"


# ---- pages
def test_pages_are_one_query_each_never_empty_and_together_complete(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    marca = _marca()
    creados = sorted(siniestro() for _ in range(5))
    for no in creados:
        nuevo(invocar, operador, no, nombre_cliente=f"Cliente {marca}")
    vistos: list[str] = []
    cursor = None
    consultas = []

    for _ in range(10):
        dynamo_requests.reiniciar()
        r = listar(invocar, tecnico, q=marca, limit="2", **({"cursor": cursor} if cursor else {}))
        consultas.append(dict(dynamo_requests.llamadas))
        assert r["statusCode"] == 200, r["json"]
        assert r["json"]["items"] or r["json"]["next_cursor"] is None
        vistos += [i["no_siniestro"] for i in r["json"]["items"]]
        cursor = r["json"]["next_cursor"]
        if cursor is None:
            break

    assert sorted(vistos) == creados
    assert all(c == {"Query": 1} for c in consultas)


def test_an_expediente_matched_by_two_of_its_words_shows_once(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str]
) -> None:
    marca = _marca()
    no = siniestro()
    nuevo(invocar, operador, no, nombre_cliente=f"{marca}uno {marca}dos")

    r = listar(invocar, tecnico, q=marca)

    assert [i["no_siniestro"] for i in r["json"]["items"]] == [no]


def test_results_carry_every_field_of_the_list(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str]
) -> None:
    marca = _marca()
    no = siniestro()
    creado = nuevo(invocar, operador, no, nombre_cliente=f"Cliente {marca}", id_aseguradora=2, color="Gris")

    (encontrado,) = listar(invocar, tecnico, q=marca)["json"]["items"]

    assert encontrado == creado


def test_a_cursor_of_one_search_is_refused_by_another(invocar: Invocar, operador: Any, tecnico: Any) -> None:
    marca = _marca()
    for i in range(3):
        nuevo(invocar, operador, f"{marca.upper()}-{i}", nombre_cliente=f"Cliente {marca}")
    cursor = listar(invocar, tecnico, q=marca, limit="1")["json"]["next_cursor"]

    otra = listar(invocar, tecnico, q=marca + "x", limit="1", cursor=cursor)
    sin_q = listar(invocar, tecnico, limit="1", cursor=cursor)

    assert cursor
    assert (otra["statusCode"], sin_q["statusCode"]) == (400, 400)


# ---- combined filters
def test_state_and_insurer_narrow_a_search_and_follow_patch_and_put(
    invocar: Invocar,
    operador: Any,
    tecnico: Any,
    siniestro: Callable[[], str],
    aseguradora_propia: int,  # noqa: F811
) -> None:
    marca = _marca()
    a, b = siniestro(), siniestro()
    nuevo(invocar, operador, a, nombre_cliente=f"Cliente {marca}", id_aseguradora=aseguradora_propia)
    nuevo(invocar, operador, b, nombre_cliente=f"Cliente {marca}")
    invocar(
        "expedientes_estado",
        "PATCH",
        RUTA + "/estado",
        llamante=operador,
        ruta_params={"no_siniestro": a},
        cuerpo={"estado": "Restauracion"},
    )

    assert buscar(invocar, tecnico, marca, estado="Restauracion") == [a]
    assert buscar(invocar, tecnico, marca, estado="Ingreso") == [b]
    assert buscar(invocar, tecnico, marca, id_aseguradora=str(aseguradora_propia)) == [a]
    assert buscar(invocar, tecnico, marca, id_aseguradora=str(aseguradora_propia), estado="Restauracion") == [a]
    assert buscar(invocar, tecnico, marca, id_aseguradora=str(aseguradora_propia), estado="Ingreso") == []

    put(invocar, operador, b, {"id_aseguradora": aseguradora_propia})

    assert buscar(invocar, tecnico, marca, id_aseguradora=str(aseguradora_propia)) == sorted([a, b])


def test_a_filtered_page_is_read_on_until_it_has_items(
    invocar: Invocar,
    operador: Any,
    tecnico: Any,
    siniestro: Callable[[], str],
    aseguradora_propia: int,  # noqa: F811
) -> None:
    marca = _marca()
    ingresos = [siniestro() for _ in range(3)]
    for no in ingresos:
        nuevo(invocar, operador, no, nombre_cliente=f"Cliente {marca}", id_aseguradora=aseguradora_propia)
    ultimo = f"{marca.upper()}-ZZZ"  # sorts after the others
    nuevo(invocar, operador, ultimo, nombre_cliente=f"Cliente {marca}", id_aseguradora=aseguradora_propia)
    invocar(
        "expedientes_estado",
        "PATCH",
        RUTA + "/estado",
        llamante=operador,
        ruta_params={"no_siniestro": ultimo},
        cuerpo={"estado": "Restauracion"},
    )

    r = listar(invocar, tecnico, q=marca, id_aseguradora=str(aseguradora_propia), estado="Restauracion", limit="1")

    assert [i["no_siniestro"] for i in r["json"]["items"]] == [ultimo]


# ---- the index follows every write, inside the write's own transaction
def test_create_writes_its_token_items_in_its_one_transaction(
    invocar: Invocar, operador: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    no = siniestro()
    dynamo_requests.reiniciar()

    nuevo(invocar, operador, no, nombre_cliente="Ana Peña", placas="AB-12")

    assert dynamo_requests.llamadas == {"TransactWriteItems": 1}
    assert tokens_guardados(no) == sorted(["ab12", "12", "ana", "pena", no.lower().replace("-", "")])


def test_a_put_that_renames_the_client_swaps_the_token_items_in_its_transaction(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    viejo, nuevo_nombre = _marca(), _marca()
    no = siniestro()
    nuevo(invocar, operador, no, nombre_cliente=f"Cliente {viejo}")
    dynamo_requests.reiniciar()

    r = put(invocar, operador, no, {"nombre_cliente": f"Cliente {nuevo_nombre}"})

    assert r["statusCode"] == 200, r["json"]
    assert dynamo_requests.llamadas == {"GetItem": 1, "TransactWriteItems": 1}
    assert buscar(invocar, tecnico, viejo) == []
    assert buscar(invocar, tecnico, nuevo_nombre) == [no]
    assert viejo not in tokens_guardados(no)
    assert nuevo_nombre in tokens_guardados(no)


def test_a_put_of_another_field_refreshes_the_copies_the_search_answers(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str]
) -> None:
    marca = _marca()
    no = siniestro()
    nuevo(invocar, operador, no, nombre_cliente=f"Cliente {marca}")

    put(invocar, operador, no, {"color": "Verde"})
    (encontrado,) = listar(invocar, tecnico, q=marca)["json"]["items"]

    assert (encontrado["color"], encontrado["version"]) == ("Verde", 2)


def test_delete_removes_the_token_items(
    invocar: Invocar, operador: Any, admin: Any, tecnico: Any, siniestro: Callable[[], str]
) -> None:
    marca = _marca()
    no = siniestro()
    nuevo(invocar, operador, no, nombre_cliente=f"Cliente {marca}")

    r = invocar("expedientes_delete", "DELETE", RUTA, llamante=admin, ruta_params={"no_siniestro": no})

    assert r["statusCode"] == 200
    assert tokens_guardados(no) == []
    assert buscar(invocar, tecnico, marca) == []


def test_a_delete_that_dies_after_its_transaction_leaves_no_search_hit(
    invocar: Invocar,
    admin: Any,
    tecnico: Any,
    siniestro: Callable[[], str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The token items go in the delete's own transaction, not in the partition's cleanup after it."""
    from monitor.core.errors import ServicioNoDisponible

    marca = _marca()
    no = siniestro()
    nuevo(invocar, admin, no, nombre_cliente=f"Cliente {marca}")

    def caida(*_: Any, **__: Any) -> None:
        raise ServicioNoDisponible("Servicio no disponible")

    monkeypatch.setattr(table, "borrar_varios", caida)
    r = invocar("expedientes_delete", "DELETE", RUTA, llamante=admin, ruta_params={"no_siniestro": no})

    assert r["statusCode"] == 503
    assert tokens_guardados(no) == []
    assert buscar(invocar, tecnico, marca) == []


def test_an_expediente_written_before_the_index_joins_it_on_its_next_write(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str]
) -> None:
    marca = _marca()
    no = siniestro()
    nuevo(invocar, operador, no, nombre_cliente=f"Cliente {marca}")
    # Given the expediente as the code before the index left it: no token items, no sync key
    for token in tokens_guardados(no):
        table.delete(keys.busqueda(no, token))
    table.update(keys.expediente(no), "REMOVE tokens_busqueda, GSI4PK")
    assert buscar(invocar, tecnico, marca) == []

    put(invocar, operador, no, {"color": "Azul"})

    assert buscar(invocar, tecnico, marca) == [no]
    assert table.get(keys.expediente(no), consistente=True)["GSI4PK"] == keys.EXPEDIENTES  # type: ignore[index]


# ---- sync
def test_actualizado_desde_lists_what_changed_since_oldest_first(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str], dynamo_requests: Any
) -> None:
    antes, despues = siniestro(), siniestro()
    nuevo(invocar, operador, antes)
    corte = ahora()
    nuevo(invocar, operador, despues)
    put(invocar, operador, despues, {"color": "Azul"})
    dynamo_requests.reiniciar()

    r = listar(invocar, tecnico, actualizado_desde=corte, limit="100")

    assert r["statusCode"] == 200, r["json"]
    assert dynamo_requests.llamadas == {"Query": 1}
    vistos = [i["no_siniestro"] for i in r["json"]["items"]]
    assert despues in vistos
    assert antes not in vistos
    momentos = [i["actualizado_en"] for i in r["json"]["items"]]
    assert momentos == sorted(momentos)
    assert all(m >= corte for m in momentos)


def test_actualizado_desde_without_offset_is_read_in_the_shop_s_zone(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str]
) -> None:
    no = siniestro()
    nuevo(invocar, operador, no)
    actualizado = table.get(keys.expediente(no), consistente=True)["actualizado_en"]  # type: ignore[index]

    # Twelve hours ahead of now in UTC is still "before now" for nobody, but 12 hours ahead as Mexico City
    # time is 18 hours ahead in UTC: nothing of now is that recent.
    r = listar(invocar, tecnico, actualizado_desde="2999-01-01T00:00:00", limit="5")
    z = listar(invocar, tecnico, actualizado_desde=actualizado[:19], limit="100")

    assert r["json"] == {"items": [], "next_cursor": None}
    assert z["statusCode"] == 200
    # "HH:MM:SS" of a UTC instant read as Mexico City time is six hours later in UTC: this one is excluded.
    assert no not in [i["no_siniestro"] for i in z["json"]["items"]]


@pytest.mark.parametrize(
    "query",
    [
        {"actualizado_desde": "ayer"},
        {"actualizado_desde": "2024-13-01T00:00:00Z"},
        {"q": "x", "actualizado_desde": "2024-01-01"},
    ],
)
def test_a_bad_actualizado_desde_is_400(invocar: Invocar, tecnico: Any, query: dict[str, str]) -> None:
    r = listar(invocar, tecnico, **query)

    assert r["statusCode"] == 400
    assert r["json"]["detalles"][0]["campo"] == "actualizado_desde"


def test_the_backfill_joins_an_old_expediente_once_without_changing_its_version(
    invocar: Invocar, operador: Any, tecnico: Any, siniestro: Callable[[], str]
) -> None:
    from monitor.expedientes import servicio
    from tools import reindexar_busqueda

    marca = _marca()
    no = siniestro()
    nuevo(invocar, operador, no, nombre_cliente=f"Cliente {marca}")
    for token in tokens_guardados(no):
        table.delete(keys.busqueda(no, token))
    table.update(keys.expediente(no), "REMOVE tokens_busqueda, GSI4PK")

    primera = reindexar_busqueda.reindexar(pagina=25)
    segunda = servicio.reindexar(no)

    assert primera >= 1
    assert segunda is False
    assert buscar(invocar, tecnico, marca) == [no]
    meta = table.get(keys.expediente(no), consistente=True)
    assert meta is not None
    assert (int(meta["version"]), meta["GSI4PK"]) == (1, keys.EXPEDIENTES)
