"""Process-wide singletons, created lazily on first use and reused by every request thread.

Cold start pays only for what a request needs: the Firestore client is built on the first store
call, a market-data vendor on the first chart action. Tests reset them with `reset()` after
changing the environment.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from shared.config import get_settings
from shared.logs import configure_logging
from shared.market_data.base import MarketDataProvider
from shared.models.context import ChartState
from shared.planner.intent import FallbackPlanner, PlannerOutcome
from shared.store import SessionStore, firestore_client

if TYPE_CHECKING:
    from google.cloud.firestore import Client


def firestore() -> Client:
    """The process's Firestore client for the configured project and database (lazy)."""
    settings = get_settings()
    return firestore_client(settings.gcp_project, settings.firestore_database)


@cache
def session_store() -> SessionStore:
    """The session store configured from the environment."""
    settings = get_settings()
    return SessionStore(
        client=firestore,
        collection=settings.sessions_collection,
        ttl_seconds=settings.session_ttl_seconds,
        timeout=settings.store_timeout_seconds,
    )


@cache
def market_data() -> MarketDataProvider:
    """The provider named by MARKET_DATA_PROVIDER; vendors sit behind the bars cache."""
    from shared.market_data.registry import get_provider  # noqa: PLC0415 - lazy vendor imports

    settings = get_settings()
    provider = get_provider(settings.market_data_provider)
    if provider.is_sample:  # computed locally in microseconds: nothing to cache
        return provider
    from shared.market_data.cache import CachedProvider  # noqa: PLC0415

    return CachedProvider(
        provider,
        client=firestore,
        collection=settings.bars_cache_collection,
        timeout=settings.store_timeout_seconds,
    )


def fallback_planner() -> FallbackPlanner | None:
    """The OpenAI planner when OPENAI_API_KEY is set (imported only when first used)."""
    settings = get_settings()
    if settings.openai_api_key is None:
        return None

    def plan(query: str, chart: ChartState | None) -> PlannerOutcome:
        from shared.llm.openai_planner import plan_with_openai  # noqa: PLC0415

        return plan_with_openai(query, chart, settings)

    return plan


def boot() -> None:
    """Per-process setup a function's module runs at import: logging only (cheap)."""
    configure_logging(get_settings().log_level)


def reset() -> None:
    """Forget settings and singletons (tests change the environment between cases)."""
    get_settings.cache_clear()
    session_store.cache_clear()
    market_data.cache_clear()
