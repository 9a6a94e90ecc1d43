"""The AWS clients of seguimiento (EventBridge, SQS, SES), built once per container on first use, with
the same short timeouts and standard retries as the table's client; AWS_ENDPOINT_URL points them at moto
in a local run."""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def cliente(servicio: str) -> Any:
    import boto3
    from botocore.config import Config

    config = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2, read_timeout=5)
    return boto3.client(servicio, config=config)
