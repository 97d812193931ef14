"""The one holder of process-wide objects: settings, the Firestore client and its circuit
breaker, the session store, the market data provider and the fallback planner.

Each is built on first use (so a cold start pays only for what a request needs: the Firestore
client on the first store call, a market-data vendor on the first chart action), once per
process even when request threads race for it, and then shared by every request thread. The
modules that build them are imported inside the builders, so update_context never loads the
market data or planner code it does not run.

Tests rebuild everything from a changed environment with `reset_runtime()`, or install a
`Runtime(settings)` of their own with `reset_runtime(Runtime(settings))`.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from shared.infra.lazy import once
from shared.infra.logs import configure_logging
from shared.infra.settings import Settings

if TYPE_CHECKING:
    from google.cloud.firestore import Client

    from shared.auth.doors import Doors
    from shared.chat.endpoint import ChatEndpoint
    from shared.market_data.base import MarketDataProvider
    from shared.planner.intent import FallbackPlanner
    from shared.store.breaker import CircuitBreaker
    from shared.store.sessions import SessionStore


class Runtime:
    """The process's long-lived objects, each built on first use."""

    def __init__(self, settings: Settings | None = None):
        self._settings = settings

    @once
    def settings(self) -> Settings:
        """Settings from the environment (or the ones this runtime was made with)."""
        return self._settings or Settings.from_env()

    @once
    def firestore(self) -> Client:
        """One thread-safe Firestore client (gRPC channels are expensive to open)."""
        from shared.store.firestore import new_client  # noqa: PLC0415 - lazy: heavy library

        return new_client(self.settings.gcp_project, self.settings.firestore_database)

    @once
    def firestore_breaker(self) -> CircuitBreaker:
        """The one circuit breaker for the one Firestore: every store user of the process (the
        session store, the bars cache, chatkit's thread store) shares what it knows about the
        store being down."""
        from shared.store.breaker import CircuitBreaker  # noqa: PLC0415

        return CircuitBreaker(probe_lease=self.settings.store_timeout_seconds + 1)

    @once
    def sessions(self) -> SessionStore:
        """The session store; its client is made on the first store call."""
        from shared.store.sessions import SessionStore  # noqa: PLC0415

        settings = self.settings
        return SessionStore(
            client=lambda: self.firestore,
            collection=settings.sessions_collection,
            ttl_seconds=settings.session_ttl_seconds,
            timeout=settings.store_timeout_seconds,
            breaker=self.firestore_breaker,
        )

    @once
    def market_data(self) -> MarketDataProvider:
        """The provider named by MARKET_DATA_PROVIDER; vendors sit behind the bars cache."""
        from shared.market_data.registry import create_provider  # noqa: PLC0415 - lazy vendors

        settings = self.settings
        provider = create_provider(settings.market_data_provider, settings)
        if provider.is_sample:  # computed locally in microseconds: nothing to cache
            return provider
        from shared.market_data.cache import CachedProvider  # noqa: PLC0415

        return CachedProvider(
            provider,
            client=lambda: self.firestore,
            collection=settings.bars_cache_collection,
            timeout=settings.store_timeout_seconds,
            breaker=self.firestore_breaker,
        )

    @once
    def fallback_planner(self) -> FallbackPlanner | None:
        """The OpenAI planner when OPENAI_API_KEY is set (`openai` is imported on its first
        call, never on the rules path)."""
        if self.settings.openai_api_key is None:
            return None
        from shared.llm.openai_planner import OpenAIPlanner  # noqa: PLC0415

        return OpenAIPlanner(self.settings)

    @once
    def doors(self) -> Doors:
        """Who each door lets in: the ID token verifier when AUTH_ISSUER is set (PyJWT is
        imported on the first token), and chart_action's agent token."""
        from shared.auth.doors import Doors  # noqa: PLC0415
        from shared.auth.tokens import IdentityConfig, IdTokenVerifier  # noqa: PLC0415

        settings = self.settings
        identity = IdentityConfig.from_settings(settings)
        verifier = IdTokenVerifier(identity) if identity else None
        token = settings.chart_action_token
        return Doors(verifier, token.get_secret_value() if token else None)

    @once
    def chat_endpoint(self) -> ChatEndpoint:
        """The chatkit function's endpoint: thread store, server (with the Agents SDK agent
        when OPENAI_API_KEY is set) and turn limit; only chatkit imports the chat layer."""
        from shared.chat.app import build_chat_endpoint  # noqa: PLC0415 - chatkit only

        return build_chat_endpoint(self)


_current: Runtime | None = None
_current_lock = threading.Lock()


def runtime() -> Runtime:
    """The process's runtime (created on first use)."""
    global _current  # noqa: PLW0603 - the one process-wide root
    current = _current
    if current is None:
        with _current_lock:
            if _current is None:
                _current = Runtime()
            current = _current
    return current


def reset_runtime(replacement: Runtime | None = None) -> None:
    """Forget every process-wide object (tests change the environment between cases); the next
    `runtime()` rebuilds from the environment, or is `replacement` when one is given."""
    global _current  # noqa: PLW0603
    with _current_lock:
        _current = replacement


def boot() -> None:
    """Per-process setup a function's module runs at import: logging only (cheap)."""
    settings = runtime().settings
    configure_logging(settings.log_level, settings.gcp_project)
