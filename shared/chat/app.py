"""How the chatkit function's endpoint is put together from the parts the composition root
(`shared.app`) hands in: its Firestore client, the breaker every store user shares, and the
process's one action core."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from shared.chat.chart_tool import ChartTool
from shared.chat.endpoint import ChatEndpoint
from shared.chat.server import ChartChatServer
from shared.chat.thread_store import FirestoreThreadStore
from shared.infra.limits import TurnLimiter
from shared.infra.settings import Settings

if TYPE_CHECKING:
    from google.cloud.firestore import Client

    from shared.auth.doors import Doors
    from shared.core.action import ActionCore
    from shared.llm.spend import SpendCeiling
    from shared.store.breaker import CircuitBreaker


def build_chat_endpoint(
    settings: Settings,
    client: Callable[[], Client],
    breaker: CircuitBreaker,
    core: ActionCore,
    doors: Doors | None = None,
    *,
    ceiling: SpendCeiling | None = None,
) -> ChatEndpoint:
    """Thread store (behind the same Firestore breaker as the session store), server (with the
    agent when OPENAI_API_KEY is set, under the process's spend `ceiling`), turn limit."""
    store = FirestoreThreadStore(
        client=client,
        collection=settings.chatkit_threads_collection,
        ttl_seconds=settings.chatkit_thread_ttl_seconds,
        timeout=settings.store_timeout_seconds,
        breaker=breaker,
    )
    tool = ChartTool(core)
    agent = None
    if settings.openai_api_key is not None:  # the Agents SDK agent narrates and decides
        from shared.chat.agent import ChartAgent  # noqa: PLC0415 - only with a key

        agent = ChartAgent(settings, tool)
    server = ChartChatServer(store, tool, agent, ceiling)
    limiter = TurnLimiter(settings.chatkit_turns_per_minute)
    return ChatEndpoint(
        server, limiter, settings.allowed_origins, doors, settings.chatkit_client_ip_hop
    )
