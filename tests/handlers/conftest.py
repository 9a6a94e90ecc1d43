"""Handler tests run in process against the session's moto (tests/apoyo/aws.py)."""

from tests.apoyo import aws as _aws
from tests.apoyo.aws import (  # noqa: F401 - fixtures shared with tests/e2e
    admin,
    admin_credenciales,
    aws,
    crear_usuario,
    dynamo_requests,
    invocar,
    operador,
    tecnico,
)

_aws.iniciar()
