"""A ceiling on model spend: whether this turn may call the model, asked once per turn before
the model is called (`ChartChatServer.respond`).

Three limits, each of which holds however many chart session ids a client mints:

- **per spender**, CHATKIT_MODEL_TURNS_PER_HOUR model turns per sliding hour: the user (with
  identity) or else the client address the load balancer reports. Only the hop the load
  balancer appends to X-Forwarded-For is trusted: Google's external Application Load Balancer
  appends `<client IP>, <forwarding rule IP>`, so the client is the entry CHATKIT_CLIENT_IP_HOP
  (2) from the right; whatever the client wrote before it is ignored. Kept in memory, per
  instance.
- **per instance**, CHATKIT_MODEL_TURNS_PER_INSTANCE_MINUTE over all spenders.
- **per project and UTC day**, CHATKIT_MODEL_TURNS_PER_DAY, in Firestore and shared by every
  instance (`shared.store.budget`); a store failure counts as "no" (the model is the expensive
  side to be wrong on).

A turn that may not use the model is still answered: the rules answer, its chart commands,
and a sentence saying the model is unavailable (`MODEL_UNAVAILABLE`).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from hashlib import sha256

from shared.chat.limits import TurnLimiter
from shared.store.budget import DailyBudget
from shared.store.firestore import StoreError

MODEL_UNAVAILABLE = (
    "The assistant model is unavailable right now (its usage limit is reached), so this is "
    "the chart analysis alone."
)
HOUR, MINUTE = 3600.0, 60.0
INSTANCE = "instance"
log = logging.getLogger("chart_control.spend")


def client_address(forwarded_for: str | None, peer: str | None, hop: int) -> str:
    """The client as the load balancer reports it: the `hop`-th X-Forwarded-For entry from the
    right; the connection's peer when there is no such entry (no load balancer: local runs) or
    `hop` is 0."""
    entries = [entry.strip() for entry in (forwarded_for or "").split(",") if entry.strip()]
    if hop > 0 and len(entries) >= hop:
        return entries[-hop]
    return peer or "unknown"


def spender_key(owner_key: str | None, address: str) -> str:
    """Who a turn's spend is counted against: the user, else the client address (hashed: the
    limiter's memory holds no address)."""
    who = f"user\0{owner_key}" if owner_key else f"address\0{address}"
    return sha256(who.encode()).hexdigest()


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
        """Whether this turn may call the model (and, if so, it is counted everywhere)."""
        if not self._spenders.allow(spender):
            return self._refused("spender hourly limit")
        if not self._instance.allow(INSTANCE):
            return self._refused("instance limit")
        if self._budget is None:
            return True
        try:
            if await asyncio.to_thread(self._budget.take):
                return True
        except StoreError as exc:
            return self._refused(f"budget unreadable ({exc.code})")
        return self._refused("daily budget spent")

    @staticmethod
    def _refused(reason: str) -> bool:
        log.info("model turn refused: %s", reason, extra={"fields": {"spend_refused": reason}})
        return False
