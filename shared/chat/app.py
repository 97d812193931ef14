"""The chatkit function's singletons, built lazily from the settings on first request."""

from __future__ import annotations

from functools import cache

from shared.chat.endpoint import ChatEndpoint
from shared.chat.limits import TurnLimiter
from shared.chat.server import ChartChatServer
from shared.chat.thread_store import FirestoreThreadStore
from shared.infra.runtime import runtime


@cache
def chat_endpoint() -> ChatEndpoint:
    """Thread store, server (with the agent when OPENAI_API_KEY is set), turn limit."""
    settings = runtime().settings
    store = FirestoreThreadStore(
        client=lambda: runtime().firestore,
        collection=settings.chatkit_threads_collection,
        ttl_seconds=settings.chatkit_thread_ttl_seconds,
        timeout=settings.store_timeout_seconds,
    )
    agent = None
    if settings.openai_api_key is not None:  # the Agents SDK agent narrates and decides
        from shared.chat.agent import ChartAgent  # noqa: PLC0415 - only with a key

        agent = ChartAgent(settings)
    server = ChartChatServer(store, agent)
    limiter = TurnLimiter(settings.chatkit_turns_per_minute)
    return ChatEndpoint(server, limiter, settings.allowed_origins)
