"""The suite-wide guard: a DynamoDB Scan from any code path fails the run."""

from __future__ import annotations

import pytest

from monitor.core import table
from monitor.core.settings import settings
from tests.apoyo import aws


def test_a_scan_is_refused_before_it_reaches_dynamodb() -> None:
    antes = len(aws.SCANS)
    with pytest.raises(AssertionError, match="Scan"):
        table.cliente().scan(TableName=settings().tabla, Limit=1)
    assert len(aws.SCANS) == antes + 1
    # This deliberate scan must not fail the session.
    aws.SCANS.pop()
