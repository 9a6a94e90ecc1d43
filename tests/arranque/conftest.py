"""Start-up tests run fresh interpreters against the session's moto (tests/apoyo/aws.py)."""

from tests.apoyo import aws as _aws
from tests.apoyo.aws import aws  # noqa: F401 - the fixture the fresh interpreters point at

_aws.iniciar()
