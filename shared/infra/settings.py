"""Runtime configuration, read once per process from environment variables (the process's
`Settings` instance is held by `shared.app.runtime`).

The field aliases *are* the environment variable names, so the list of variables the code
reads (`ENV_VARS`) is derived from this model and Terraform is checked against it.
Secrets (tokens, API keys) arrive through the environment, from Secret Manager in production,
and are typed `SecretStr` so they never appear in a repr or a log line.
"""

from __future__ import annotations

import os
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

DEFAULT_DEV_ORIGINS = (
    "http://localhost:3000,http://127.0.0.1:3000,http://localhost:5173,http://127.0.0.1:5173,"
    "http://localhost:8080,http://127.0.0.1:8080"
)


# Market data providers by name, as "module:Class" (imported by `shared.market_data.registry`
# only when chosen). Kept here so validating MARKET_DATA_PROVIDER imports no market-data code.
MARKET_DATA_PROVIDERS: dict[str, str] = {
    "sample": "shared.market_data.sample:SampleProvider",
    "alpaca": "shared.market_data.alpaca:AlpacaProvider",
}

# Which function reads a variable, and whether it is a secret: Terraform is checked against this.
# chatkit runs the chart action in-process, so it reads everything chart_action reads.
BOTH: dict[str, Any] = {"used_by": ["update_context", "chart_action", "chatkit"], "secret": False}
UPDATE: dict[str, Any] = {"used_by": ["update_context"], "secret": False}
ACTION: dict[str, Any] = {"used_by": ["chart_action", "chatkit"], "secret": False}
ACTION_SECRET: dict[str, Any] = {"used_by": ["chart_action", "chatkit"], "secret": True}
ONLY_ACTION_SECRET: dict[str, Any] = {"used_by": ["chart_action"], "secret": True}
CHATKIT: dict[str, Any] = {"used_by": ["chatkit"], "secret": False}
# The two WSGI functions (gunicorn gthread); chatkit is ASGI (one event loop, no thread count).
WSGI: dict[str, Any] = {"used_by": ["update_context", "chart_action"], "secret": False}

# Requests one instance serves at once: Terraform's max_instance_request_concurrency, and the
# server threads (THREADS) that takes, since each gthread thread serves one request at a time.
# Terraform, `make run` and the tests' servers all follow this (devtools/terraform/consistency.py
# checks Terraform against it).
INSTANCE_CONCURRENCY: dict[str, int] = {"update_context": 80, "chart_action": 40}


class Settings(BaseModel):
    """Every knob of the functions. Unknown environment variables are ignored."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    # --- both functions ------------------------------------------------------------------
    gcp_project: str | None = Field(None, alias="GOOGLE_CLOUD_PROJECT", json_schema_extra=BOTH)
    firestore_database: str = Field("(default)", alias="FIRESTORE_DATABASE", json_schema_extra=BOTH)
    sessions_collection: str = Field(
        "chart_sessions", alias="SESSIONS_COLLECTION", json_schema_extra=BOTH
    )
    store_timeout_seconds: float = Field(
        3.0, gt=0, le=60, alias="STORE_TIMEOUT_SECONDS", json_schema_extra=BOTH
    )
    log_level: str = Field("INFO", alias="LOG_LEVEL", json_schema_extra=BOTH)
    # Bring your own identity (shared.auth): with an OpenID Connect issuer and audience set,
    # every door requires the host app's ID token. Unset (local runs, the demo): off.
    auth_issuer: str | None = Field(None, alias="AUTH_ISSUER", json_schema_extra=BOTH)
    auth_audience: str | None = Field(None, alias="AUTH_AUDIENCE", json_schema_extra=BOTH)
    auth_jwks_url: str | None = Field(None, alias="AUTH_JWKS_URL", json_schema_extra=BOTH)
    auth_clock_skew_seconds: float = Field(
        30.0, ge=0, le=300, alias="AUTH_CLOCK_SKEW_SECONDS", json_schema_extra=BOTH
    )
    auth_jwks_cooldown_seconds: float = Field(
        30.0, ge=0, le=3600, alias="AUTH_JWKS_COOLDOWN_SECONDS", json_schema_extra=BOTH
    )
    auth_jwks_timeout_seconds: float = Field(
        3.0, gt=0, le=30, alias="AUTH_JWKS_TIMEOUT_SECONDS", json_schema_extra=BOTH
    )
    # Read by functions-framework, not by our code: gunicorn's thread count (its default is 4
    # per CPU). Fewer threads than the instance's concurrency queue requests behind a slow
    # dependency (issue 17: 14 s answers with 8 threads); set to INSTANCE_CONCURRENCY.
    server_threads: int | None = Field(None, ge=1, le=1000, alias="THREADS", json_schema_extra=WSGI)
    # --- update_context ----------------------------------------------------------------
    session_ttl_seconds: int = Field(
        43200, ge=1, le=30 * 86400, alias="SESSION_TTL_SECONDS", json_schema_extra=UPDATE
    )
    allowed_origins: tuple[str, ...] = Field(
        tuple(DEFAULT_DEV_ORIGINS.split(",")), alias="ALLOWED_ORIGINS", json_schema_extra=BOTH
    )
    # --- chart_action ------------------------------------------------------------------
    chart_action_token: SecretStr | None = Field(
        None, alias="CHART_ACTION_TOKEN", json_schema_extra=ONLY_ACTION_SECRET
    )
    market_data_provider: str = Field(
        "sample", alias="MARKET_DATA_PROVIDER", json_schema_extra=ACTION
    )
    # The UTC day the sample market is generated for (its bars are the sessions closed by 00:00
    # UTC of that day). Unset: today, so a demo moves on with the calendar; the test suite pins
    # it, so every expected value holds on any day.
    sample_market_day: date | None = Field(
        None, alias="SAMPLE_MARKET_DAY", json_schema_extra=ACTION
    )
    market_data_timeout_seconds: float = Field(
        5.0, gt=0, le=60, alias="MARKET_DATA_TIMEOUT_SECONDS", json_schema_extra=ACTION
    )
    bars_cache_collection: str = Field(
        "market_bars", alias="BARS_CACHE_COLLECTION", json_schema_extra=ACTION
    )
    alpaca_api_key_id: SecretStr | None = Field(
        None, alias="ALPACA_API_KEY_ID", json_schema_extra=ACTION_SECRET
    )
    alpaca_api_secret_key: SecretStr | None = Field(
        None, alias="ALPACA_API_SECRET_KEY", json_schema_extra=ACTION_SECRET
    )
    alpaca_data_url: str = Field(
        "https://data.alpaca.markets", alias="ALPACA_DATA_URL", json_schema_extra=ACTION
    )
    # Free Alpaca accounts may query IEX only; a paid plan unlocks `sip` (every US exchange).
    alpaca_stock_feed: Literal["iex", "sip", "delayed_sip", "boats", "overnight", "otc"] = Field(
        "iex", alias="ALPACA_STOCK_FEED", json_schema_extra=ACTION
    )
    openai_api_key: SecretStr | None = Field(
        None, alias="OPENAI_API_KEY", json_schema_extra=ACTION_SECRET
    )
    openai_model: str = Field("gpt-4.1-mini", alias="OPENAI_MODEL", json_schema_extra=ACTION)
    openai_timeout_seconds: float = Field(
        8.0, gt=0, le=60, alias="OPENAI_TIMEOUT_SECONDS", json_schema_extra=ACTION
    )
    # Model calls in flight on one instance (planner and agent alike); beyond it a turn is
    # answered by the rules with a sentence that the assistant is busy.
    openai_max_calls: int = Field(
        8, ge=1, le=1000, alias="OPENAI_MAX_CALLS", json_schema_extra=ACTION
    )
    # Output caps: the planner's plan (Chat Completions `max_tokens`) and each of the chat
    # agent's calls (Responses `max_output_tokens`).
    openai_planner_max_tokens: int = Field(
        300, ge=16, le=16384, alias="OPENAI_PLANNER_MAX_TOKENS", json_schema_extra=ACTION
    )
    openai_max_output_tokens: int = Field(
        400, ge=16, le=16384, alias="OPENAI_MAX_OUTPUT_TOKENS", json_schema_extra=CHATKIT
    )
    # `store` sent with every model call: False keeps requests and answers out of OpenAI's
    # stored responses unless the deployer opts in.
    openai_store: bool = Field(False, alias="OPENAI_STORE", json_schema_extra=ACTION)

    # --- chatkit (the ChatKit server; it also reads chart_action's settings above) ---------
    chatkit_threads_collection: str = Field(
        "chatkit_threads", alias="CHATKIT_THREADS_COLLECTION", json_schema_extra=CHATKIT
    )
    chatkit_thread_ttl_seconds: int = Field(
        30 * 86400, ge=60, le=365 * 86400, alias="CHATKIT_THREAD_TTL_SECONDS",
        json_schema_extra=CHATKIT,
    )  # fmt: skip
    chatkit_turns_per_minute: int = Field(
        10, ge=1, le=1000, alias="CHATKIT_TURNS_PER_MINUTE", json_schema_extra=CHATKIT
    )
    # A ceiling on model spend (shared.llm.spend; docs/deploy.md has the cost arithmetic): the
    # chat's model turns and chart_action's fallback planner calls, per spender (user, or client
    # address) per hour and per instance per minute, in memory; per UTC day for the whole
    # project, in Firestore. The CHATKIT_ names predate chart_action counting too.
    chatkit_model_turns_per_hour: int = Field(
        30, ge=1, le=100_000, alias="CHATKIT_MODEL_TURNS_PER_HOUR", json_schema_extra=ACTION
    )
    chatkit_model_turns_per_instance_minute: int = Field(
        30, ge=1, le=100_000, alias="CHATKIT_MODEL_TURNS_PER_INSTANCE_MINUTE",
        json_schema_extra=ACTION,
    )  # fmt: skip
    chatkit_model_turns_per_day: int = Field(
        1000, ge=1, le=10_000_000, alias="CHATKIT_MODEL_TURNS_PER_DAY", json_schema_extra=ACTION
    )
    model_budget_collection: str = Field(
        "model_budget", alias="MODEL_BUDGET_COLLECTION", json_schema_extra=ACTION
    )
    # The X-Forwarded-For entry, from the right, that the load balancer appends: 2 behind
    # Google's external Application Load Balancer (<client>, <forwarding rule>); 0: the peer.
    chatkit_client_ip_hop: int = Field(
        2, ge=0, le=10, alias="CHATKIT_CLIENT_IP_HOP", json_schema_extra=ACTION
    )
    # One wall-clock budget for a turn with a model: tool and every model call inside it.
    chatkit_turn_seconds: float = Field(
        20.0, gt=0, le=120, alias="CHATKIT_TURN_SECONDS", json_schema_extra=CHATKIT
    )
    # The conversation the agent reads, trimmed to about this many tokens (newest kept).
    chatkit_history_tokens: int = Field(
        2000, ge=100, le=100_000, alias="CHATKIT_HISTORY_TOKENS", json_schema_extra=CHATKIT
    )
    # Read by functions-framework, not by our code: it selects the ASGI server for the async
    # handler. Declared so the deployed environment is checked against the code like the rest.
    function_use_asgi: bool = Field(False, alias="FUNCTION_USE_ASGI", json_schema_extra=CHATKIT)

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        """Accept the comma list the environment carries."""
        if isinstance(value, str):
            return tuple(o.strip().rstrip("/") for o in value.split(",") if o.strip())
        return value

    @field_validator("market_data_provider")
    @classmethod
    def _known_provider(cls, value: str) -> str:
        """A typo fails at boot (the revision never starts) rather than as 500s per request."""
        name = value.strip().lower()
        if name not in MARKET_DATA_PROVIDERS:
            known = ", ".join(MARKET_DATA_PROVIDERS)
            raise ValueError(f"unknown provider {value!r}; known: {known}")
        return name

    @field_validator(
        "chart_action_token",
        "alpaca_api_key_id",
        "alpaca_api_secret_key",
        "openai_api_key",
        mode="before",
    )
    @classmethod
    def _empty_token_is_none(cls, value: object) -> object:
        """An empty secret means "not configured", never "the empty token"."""
        return None if value == "" else value

    @field_validator("auth_issuer", "auth_audience", "auth_jwks_url", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        """Terraform always sets the variables: empty means identity off (or discovery)."""
        return None if value == "" else value

    @field_validator("auth_issuer", "auth_jwks_url")
    @classmethod
    def _https_url(cls, value: str | None) -> str | None:
        """An issuer and a key set are URLs (http only for a loopback test issuer)."""
        if value is not None and not value.startswith(("https://", "http://127.0.0.1")):
            raise ValueError("must be an https:// URL")
        return value

    @model_validator(mode="after")
    def _issuer_with_audience(self) -> Settings:
        """Half an identity configuration would let tokens of any audience in, or none."""
        if (self.auth_issuer is None) != (self.auth_audience is None):
            raise ValueError("set AUTH_ISSUER and AUTH_AUDIENCE together, or neither")
        return self

    @field_validator("sample_market_day", mode="before")
    @classmethod
    def _empty_day_is_today(cls, value: object) -> object:
        """Terraform always sets the variable: empty means "not pinned" (today)."""
        return None if value == "" else value

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Build settings from the environment (only the variables this model knows)."""
        env = os.environ if environ is None else environ
        return cls.model_validate({name: env[name] for name in ENV_VARS if name in env})


ENV_VARS: tuple[str, ...] = tuple(
    str(field.alias) for field in Settings.model_fields.values() if field.alias
)


def env_vars_for(function: str, *, secret: bool) -> list[str]:
    """Variables one function reads, split into plain config and secrets (for Terraform checks)."""
    return [
        str(field.alias)
        for field in Settings.model_fields.values()
        if isinstance(field.json_schema_extra, dict)
        and function in field.json_schema_extra["used_by"]  # type: ignore[operator]
        and field.json_schema_extra["secret"] is secret
    ]
