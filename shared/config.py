"""Runtime configuration, read once per process from environment variables.

The field aliases *are* the environment variable names, so the list of variables the code
reads (`ENV_VARS`) is derived from this model and Terraform is checked against it.
Secrets (tokens, API keys) arrive through the environment, from Secret Manager in production,
and are typed `SecretStr` so they never appear in a repr or a log line.
"""

from __future__ import annotations

import os
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

DEFAULT_DEV_ORIGINS = (
    "http://localhost:3000,http://127.0.0.1:3000,http://localhost:5173,http://127.0.0.1:5173,"
    "http://localhost:8080,http://127.0.0.1:8080"
)


class Settings(BaseModel):
    """Every knob of both functions. Unknown environment variables are ignored."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    gcp_project: str = Field("demo-chart-control", alias="GOOGLE_CLOUD_PROJECT")
    firestore_database: str = Field("(default)", alias="FIRESTORE_DATABASE")
    sessions_collection: str = Field("chart_sessions", alias="SESSIONS_COLLECTION")
    session_ttl_seconds: int = Field(43200, ge=60, le=30 * 86400, alias="SESSION_TTL_SECONDS")
    store_timeout_seconds: float = Field(3.0, gt=0, le=60, alias="STORE_TIMEOUT_SECONDS")
    allowed_origins: tuple[str, ...] = Field(
        tuple(DEFAULT_DEV_ORIGINS.split(",")), alias="ALLOWED_ORIGINS"
    )
    chart_action_token: SecretStr | None = Field(None, alias="CHART_ACTION_TOKEN")
    market_data_provider: str = Field("sample", alias="MARKET_DATA_PROVIDER")
    market_data_timeout_seconds: float = Field(
        5.0, gt=0, le=60, alias="MARKET_DATA_TIMEOUT_SECONDS"
    )
    log_level: str = Field("INFO", alias="LOG_LEVEL")

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        """Accept the comma list the environment carries."""
        if isinstance(value, str):
            return tuple(o.strip().rstrip("/") for o in value.split(",") if o.strip())
        return value

    @field_validator("chart_action_token", mode="before")
    @classmethod
    def _empty_token_is_none(cls, value: object) -> object:
        """An empty secret means "not configured", never "the empty token"."""
        return None if value == "" else value

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Build settings from the environment (only the variables this model knows)."""
        env = os.environ if environ is None else environ
        return cls.model_validate({name: env[name] for name in ENV_VARS if name in env})


ENV_VARS: tuple[str, ...] = tuple(
    str(field.alias) for field in Settings.model_fields.values() if field.alias
)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Process-wide settings; tests call `get_settings.cache_clear()` after changing env."""
    return Settings.from_env()
