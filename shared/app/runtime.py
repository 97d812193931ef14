"""The composition root: one `Runtime` per process builds the objects its function's door needs
and hands them down; nothing below reaches up for them.

Each function's `main.py` calls `boot()` at import and takes its door from the runtime
(`update_context_door`, `chart_action_door`, `chat_endpoint`), so that door and what it holds
(and the Firestore client) are built at cold start, before the first request, and shared by
every request thread. Each object is built once (even when threads race for it) and only when
some door asks for it: the modules that build them are imported inside the builders, so
update_context never loads the action core, market data or planner code it does not run, and
the Firestore client opens its channel on the first store call.

Tests build their own `Runtime(settings)`.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING

from shared.infra.lazy import once
from shared.infra.logs import configure_logging
from shared.infra.settings import Settings

if TYPE_CHECKING:
    from collections.abc import Callable

    from flask import Request, Response
    from google.cloud.firestore import Client

    from shared.auth.doors import Doors
    from shared.chat.endpoint import ChatEndpoint
    from shared.core.action import ActionCore
    from shared.llm.spend import SpendCeiling
    from shared.market_data.base import MarketDataProvider
    from shared.planner.intent import FallbackPlanner
    from shared.store.breaker import CircuitBreaker
    from shared.store.sessions import SessionStore

    FlaskDoor = Callable[[Request], Response]

log = logging.getLogger("chart_control.boot")


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

    def firestore_client(self) -> Client:
        """The client, for stores that make it on their first call."""
        return self.firestore

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
            client=self.firestore_client,
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
            client=self.firestore_client,
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
    def spend_ceiling(self) -> SpendCeiling | None:
        """The one ceiling on model spend (only with a model: without a key nothing spends),
        which the chat asks before its agent and the core before the fallback planner."""
        if self.settings.openai_api_key is None:
            return None
        from shared.llm.spend import SpendCeiling  # noqa: PLC0415 - only with a key

        return SpendCeiling.from_settings(
            self.settings, self.firestore_client, self.firestore_breaker
        )

    @once
    def core(self) -> ActionCore:
        """The one action core every door of the process answers with."""
        from shared.core.action import ActionCore  # noqa: PLC0415 - not in update_context

        return ActionCore(
            self.sessions, self.market_data, self.fallback_planner, self.spend_ceiling
        )

    @once
    def doors(self) -> Doors:
        """Who each door lets in: the ID token verifier when AUTH_ISSUER is set (PyJWT is
        imported on the first token), and chart_action's agent token."""
        from shared.auth.doors import Doors  # noqa: PLC0415
        from shared.auth.tokens import IdentityConfig, IdTokenVerifier  # noqa: PLC0415

        identity = IdentityConfig.from_settings(self.settings)
        token = self.settings.chart_action_token
        return Doors(
            IdTokenVerifier(identity) if identity else None,
            token.get_secret_value() if token else None,
        )

    @once
    def update_context_door(self) -> FlaskDoor:
        """update_context's routes with the session store (no action core) and its doors."""
        from shared.api.update_context import update_context  # noqa: PLC0415

        return partial(
            update_context,
            sessions=self.sessions,
            origins=self.settings.allowed_origins,
            doors=self.doors,
        )

    @once
    def chart_action_door(self) -> FlaskDoor:
        """chart_action's JSON and MCP routes with the action core and who may call them (the
        agent's bearer token; a user's ID token with identity)."""
        from shared.api.chart_action import chart_action  # noqa: PLC0415

        return partial(
            chart_action,
            core=self.core,
            doors=self.doors,
            origins=self.settings.allowed_origins,
            client_ip_hop=self.settings.chatkit_client_ip_hop,
        )

    @once
    def chat_endpoint(self) -> ChatEndpoint:
        """The chatkit function's endpoint: thread store, server (with the Agents SDK agent
        when OPENAI_API_KEY is set) and turn limit; only chatkit imports the chat layer.
        Without a key the Agents SDK is never loaded (`shared.chat.sdk`)."""
        from shared.chat.sdk import load_chatkit_server  # noqa: PLC0415 - chatkit only

        load_chatkit_server(with_agents=self.settings.openai_api_key is not None)
        from shared.chat.app import build_chat_endpoint  # noqa: PLC0415

        return build_chat_endpoint(
            self.settings,
            self.firestore_client,
            self.firestore_breaker,
            self.core,
            self.doors,
            ceiling=self.spend_ceiling,
        )


def boot(settings: Settings | None = None) -> Runtime:
    """A function's process at import: logging configured, the Firestore client made, and its
    runtime. Every function's first request goes to Firestore, and making the client imports
    the library (our heaviest import): done here, at cold start, it is not inside the first
    request's store deadline, where a slow start would turn it into a 504. Its gRPC channel
    still opens on the first call."""
    runtime = Runtime(settings)
    configure_logging(runtime.settings.log_level, runtime.settings.gcp_project)
    try:
        runtime.firestore  # noqa: B018 - built for its side effect: the library loaded at boot
    except Exception as exc:  # no credentials or project yet: the first store call retries
        log.warning("Firestore client not made at boot: %s", type(exc).__name__)
    return runtime
