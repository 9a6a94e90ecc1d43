"""Powertools' request parameter markers, for the functions to import from `monitor` rather than from
Powertools: importing `monitor` first installs the deferred package inits (`monitor.startup.deferred_inits`), and an
import straight from `aws_lambda_powertools.event_handler` in a function would load every resolver first."""

from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query

__all__ = ["Body", "Path", "Query"]
