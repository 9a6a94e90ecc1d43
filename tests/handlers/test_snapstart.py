"""SnapStart's after-restore hooks (monitor.startup.snapstart), called as the runtime would call them.

Locally there is no snapshot: the hooks are called directly, and `snapshot_restore_py` (which only
Lambda's Python runtime ships) is a stand-in module that records what is registered."""

from __future__ import annotations

import json
import os
import random
import secrets
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
import pytest

from monitor.core.signing import claves_firma
from monitor.startup import snapstart

CAPA = Path(__file__).resolve().parents[2] / "layers" / "common"
REGISTRO = """
GANCHOS = []
def register_after_restore(funcion, *args, **kwargs):
    GANCHOS.append(funcion.__name__)
"""


@pytest.fixture
def runtime(monkeypatch: pytest.MonkeyPatch) -> list[Callable[[], None]]:
    """A SnapStart init: the runtime's variable and its hook registry (what it would call after restore)."""
    registrados: list[Callable[[], None]] = []
    modulo = ModuleType("snapshot_restore_py")
    modulo.register_after_restore = registrados.append  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", modulo)
    monkeypatch.setenv("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start")
    return registrados


def restaurar(registrados: list[Callable[[], None]]) -> None:
    """What Lambda does in each copy of the snapshot before its first request."""
    for gancho in registrados:
        gancho()


def test_a_snapstart_init_registers_every_hook(runtime: list[Callable[[], None]]) -> None:
    assert snapstart.instalar() is True
    assert runtime == list(snapstart.AL_RESTAURAR)


@pytest.mark.parametrize("inicializacion", ["on-demand", "provisioned-concurrency", None])
def test_other_inits_register_nothing(
    runtime: list[Callable[[], None]], monkeypatch: pytest.MonkeyPatch, inicializacion: str | None
) -> None:
    if inicializacion is None:
        monkeypatch.delenv("AWS_LAMBDA_INITIALIZATION_TYPE")
    else:
        monkeypatch.setenv("AWS_LAMBDA_INITIALIZATION_TYPE", inicializacion)

    assert snapstart.instalar() is False
    assert runtime == []


def test_without_the_runtime_library_nothing_is_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start")
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", None)  # import fails, as outside Lambda

    assert snapstart.instalar() is False


@pytest.mark.parametrize("inicializacion", ["snap-start", "on-demand"])
def test_importing_monitor_installs_the_hooks_only_for_a_snapshot(tmp_path: Path, inicializacion: str) -> None:
    """In a fresh interpreter, as a function's init: `import monitor` is what registers them."""
    (tmp_path / "snapshot_restore_py.py").write_text(REGISTRO, encoding="utf-8")
    codigo = "import monitor, snapshot_restore_py, json; print(json.dumps(snapshot_restore_py.GANCHOS))"
    entorno = {**os.environ, "AWS_LAMBDA_INITIALIZATION_TYPE": inicializacion, "PYTHONPATH": f"{tmp_path}:{CAPA}"}

    hecho = subprocess.run(
        [sys.executable, "-c", codigo], env=entorno, capture_output=True, text=True, check=True, timeout=60
    )

    esperados = [g.__name__ for g in snapstart.AL_RESTAURAR] if inicializacion == "snap-start" else []
    assert json.loads(hecho.stdout) == esperados


def test_each_restored_copy_draws_its_own_random_numbers(runtime: list[Callable[[], None]]) -> None:
    snapstart.instalar()
    # Given the generator's state frozen in the snapshot, which every copy starts from
    random.seed(20_24)
    congelado = random.getstate()
    sin_gancho = [random.random() for _ in range(4)]

    # When a copy is restored
    random.setstate(congelado)
    restaurar(runtime)

    # Then it does not repeat what another copy draws
    assert [random.random() for _ in range(4)] != sin_gancho


@pytest.fixture
def secreto(aws: Any) -> Iterator[Callable[[dict[str, Any]], None]]:
    """Writes a new signing-key value into (moto's) Secrets Manager; the original comes back afterwards."""
    from aws_lambda_powertools.utilities import parameters

    sm = boto3.client("secretsmanager", endpoint_url=aws.endpoint)
    original = sm.get_secret_value(SecretId=aws.secreto)["SecretString"]
    yield lambda valor: sm.put_secret_value(SecretId=aws.secreto, SecretString=json.dumps(valor))
    sm.put_secret_value(SecretId=aws.secreto, SecretString=original)
    parameters.clear_caches()


def test_a_copy_restored_after_a_key_rotation_signs_with_the_new_key(
    runtime: list[Callable[[], None]], secreto: Callable[[dict[str, Any]], None]
) -> None:
    snapstart.instalar()
    # Given keys read and cached before the snapshot
    anterior = claves_firma()
    # And a rotation while the snapshot waits
    nueva = {"kid": "k-restaurada", "key": secrets.token_urlsafe(48), "previous": [anterior]}
    secreto(nueva)
    assert claves_firma()["kid"] == anterior["kid"]  # the cache alone would keep serving the old key

    # When a copy is restored
    restaurar(runtime)

    # Then its first request reads the keys again
    assert claves_firma()["kid"] == "k-restaurada"
