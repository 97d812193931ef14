"""How the chatkit function's endpoint is put together from the process's runtime.

`shared.infra.runtime.Runtime.chat_endpoint` calls this once per process (and again after
`reset_runtime()`), like every other process-wide object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.chat.endpoint import ChatEndpoint
from shared.chat.limits import TurnLimiter
from shared.chat.server import ChartChatServer
from shared.chat.thread_store import FirestoreThreadStore

if TYPE_CHECKING:
    from shared.infra.runtime import Runtime


def build_chat_endpoint(deps: Runtime) -> ChatEndpoint:
    """Thread store (behind the same Firestore breaker as the session store), server (with the
    agent when OPENAI_API_KEY is set), turn limit."""
    settings = deps.settings
    store = FirestoreThreadStore(
        client=lambda: deps.firestore,
        collection=settings.chatkit_threads_collection,
        ttl_seconds=settings.chatkit_thread_ttl_seconds,
        timeout=settings.store_timeout_seconds,
        breaker=deps.firestore_breaker,
    )
    agent = None
    if settings.openai_api_key is not None:  # the Agents SDK agent narrates and decides
        from shared.chat.agent import ChartAgent  # noqa: PLC0415 - only with a key

        agent = ChartAgent(settings)
    server = ChartChatServer(store, agent)
    limiter = TurnLimiter(settings.chatkit_turns_per_minute)
    return ChatEndpoint(server, limiter, settings.allowed_origins, deps.doors)
