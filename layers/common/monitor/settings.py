"""Configuration read once per container from the environment that `template.yaml` sets."""

from __future__ import annotations

import functools
import os

from pydantic import BaseModel, ConfigDict, Field


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="ignore")

    tabla: str = Field(alias="MONITOR_TABLE")
    bucket: str = Field("", alias="MONITOR_BUCKET")
    secreto_jwt: str = Field(alias="MONITOR_JWT_SECRET_ID")
    emisor: str = Field("monitor-local", alias="MONITOR_JWT_ISSUER")
    audiencia: str = Field("monitor-api", alias="MONITOR_JWT_AUDIENCE")
    ttl_token: int = Field(28800, alias="MONITOR_TOKEN_TTL", ge=60)
    ttl_token_cliente: int = Field(3600, alias="MONITOR_CLIENT_TOKEN_TTL", ge=60)
    # Caching the signing keys keeps Secrets Manager out of the warm path; rotation keeps old keys valid.
    ttl_claves: int = Field(300, alias="MONITOR_SIGNING_KEYS_TTL", ge=0)
    endpoint_dynamodb: str | None = Field(None, alias="DYNAMODB_ENDPOINT_URL")
    max_cuerpo: int = Field(262_144, alias="MONITOR_MAX_BODY_BYTES", ge=1024)


@functools.cache
def settings() -> Settings:
    return Settings.model_validate(dict(os.environ))
