"""A ceiling on model spend: whether a turn may call the model, asked once before the model is
called, at both doors that call it: the chat (`ChartChatServer.respond`, before the agent) and
chart_action's OpenAI fallback planner (`within_ceiling`, for a query the rules cannot read).
One ceiling per process, built by the composition root; chatkit's own chart action never asks
the fallback planner (the agent is its model), so no turn is counted twice.

Three limits, each of which holds however many chart session ids a client mints:

- **per spender**, CHATKIT_MODEL_TURNS_PER_HOUR model turns per sliding hour: the user (with
  identity) or else the client address the load balancer reports. Only the hop the load
  balancer appends to X-Forwarded-For is trusted (`shared.auth.spender`). Kept in memory, per
  instance.
- **per instance**, CHATKIT_MODEL_TURNS_PER_INSTANCE_MINUTE over all spenders.
- **per project and UTC day**, CHATKIT_MODEL_TURNS_PER_DAY, in Firestore and shared by every
  instance (`shared.store.budget`); a store failure counts as "no" (the model is the expensive
  side to be wrong on).

A turn that may not use the model is still answered: the rules answer, its chart commands,
and a sentence saying the model is unavailable (`MODEL_UNAVAILABLE` in the chat; the fallback
planner's failure, `OVER_CEILING`, in chart_action's "could not map" sentence).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shared.infra.limits import TurnLimiter
from shared.planner.intent import PlannerOutcome
from shared.store.budget import DailyBudget
from shared.store.firestore import StoreError

if TYPE_CHECKING:
    from collections.abc import Callable

    from google.cloud.firestore import Client

    from shared.infra.settings import Settings
    from shared.models.context import ChartState
    from shared.planner.intent import FallbackPlanner
    from shared.store.breaker import CircuitBreaker

MODEL_UNAVAILABLE = (
    "The assistant model is unavailable right now (its usage limit is reached), so this is "
    "the chart analysis alone."
)
OVER_CEILING = PlannerOutcome(None, failure="the AI planner's usage limit is reached")
HOUR, MINUTE = 3600.0, 60.0
INSTANCE = "instance"
log = logging.getLogger("chart_control.spend")


@dataclass(frozen=True)
class SpendLimits:
    per_spender_per_hour: int
    per_instance_per_minute: int


class SpendCeiling:
    """One per process: the in-memory windows and the shared daily budget (None: no budget)."""

    def __init__(self, limits: SpendLimits, budget: DailyBudget | None = None):
        self._spenders = TurnLimiter(limits.per_spender_per_hour, window=HOUR)
        self._instance = TurnLimiter(limits.per_instance_per_minute, window=MINUTE)
        self._budget = budget

    async def admit(self, spender: str) -> bool:
        """`admit_now` off the event loop (the daily budget is a Firestore transaction)."""
        return await asyncio.to_thread(self.admit_now, spender)

    def admit_now(self, spender: str) -> bool:
        """Whether this turn may call the model (and, if so, it is counted everywhere)."""
        if not self._spenders.allow(spender):
            return self._refused("spender hourly limit")
        if not self._instance.allow(INSTANCE):
            return self._refused("instance limit")
        if self._budget is None:
            return True
        try:
            if self._budget.take():
                return True
        except StoreError as exc:
            return self._refused(f"budget unreadable ({exc.code})")
        return self._refused("daily budget spent")

    @classmethod
    def from_settings(
        cls, settings: Settings, client: Callable[[], Client], breaker: CircuitBreaker
    ) -> SpendCeiling:
        """The limits the settings name, with the daily budget in their Firestore collection."""
        budget = DailyBudget(
            client=client,
            collection=settings.model_budget_collection,
            ttl_seconds=2 * 86400,
            timeout=settings.store_timeout_seconds,
            breaker=breaker,
            turns_per_day=settings.chatkit_model_turns_per_day,
        )
        limits = SpendLimits(
            per_spender_per_hour=settings.chatkit_model_turns_per_hour,
            per_instance_per_minute=settings.chatkit_model_turns_per_instance_minute,
        )
        return cls(limits, budget)

    @staticmethod
    def _refused(reason: str) -> bool:
        log.info("model turn refused: %s", reason, extra={"fields": {"spend_refused": reason}})
        return False


def within_ceiling(
    planner: FallbackPlanner, ceiling: SpendCeiling, spender: str
) -> FallbackPlanner:
    """The fallback planner, asked only when `spender`'s turn is within the ceiling; past it the
    rules answer, and the text says the AI planner's usage limit is reached."""

    def planned(query: str, chart: ChartState | None) -> PlannerOutcome:
        return planner(query, chart) if ceiling.admit_now(spender) else OVER_CEILING

    return planned
