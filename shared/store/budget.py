"""The project-wide daily budget of model turns, one Firestore document per UTC day.

Every chatkit instance spends from the same document (`<MODEL_BUDGET_COLLECTION>/<YYYY-MM-DD>`,
field `turns`), so the budget holds however many instances run. Taking a turn is an
optimistic transaction (read, then a write conditioned on the document being unchanged:
`write_if_unchanged`): two instances racing for the last turn cannot both get it. The
document expires two days after its day (TTL policy), and a turn is taken before the model is
called, so a turn that then fails still counts: the budget is a ceiling, not a bill.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from shared.store.firestore import (
    TTL_FIELD,
    StoreBusy,
    TtlCollection,
    call_options,
    guarded,
    write_if_unchanged,
)

MAX_ROUNDS = 16  # a contended day document: rounds before the take gives up (StoreBusy)
BACKOFF_MAX = 0.05


def budget_day(now: datetime) -> str:
    """The UTC day a turn is counted on."""
    return now.astimezone(UTC).strftime("%Y-%m-%d")


class DailyBudget(TtlCollection):
    """`take()` spends one model turn of today's `turns_per_day`; safe to share across threads."""

    def __init__(self, *args: Any, turns_per_day: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.turns_per_day = turns_per_day

    def take(self, now: datetime | None = None) -> bool:
        """True when a turn was left today (and is now spent); False when the day's budget is
        gone. Store failures raise the store's errors (the caller decides: no model)."""
        when = now or datetime.now(UTC)
        return guarded(lambda: self._take(when), self._timeout, self._breaker, store="budget")

    def spent(self, now: datetime | None = None) -> int:
        """Turns taken today (for tests and the operator)."""
        day = budget_day(now or datetime.now(UTC))
        doc = self._client().collection(self._collection).document(day)
        snapshot = doc.get(**call_options(self._timeout))
        return int((snapshot.to_dict() or {}).get("turns", 0)) if snapshot.exists else 0

    def _take(self, now: datetime) -> bool:
        day = budget_day(now)
        doc = self._client().collection(self._collection).document(day)
        expires = datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=UTC) + timedelta(days=2)
        for attempt in range(MAX_ROUNDS):
            snapshot = doc.get(**call_options(self._timeout))
            turns = int((snapshot.to_dict() or {}).get("turns", 0)) if snapshot.exists else 0
            if turns >= self.turns_per_day:
                return False
            update = {"turns": turns + 1, TTL_FIELD: expires}
            if write_if_unchanged(
                self._client(), doc, snapshot, update, **call_options(self._timeout)
            ):
                return True
            time.sleep(random.uniform(0, min(BACKOFF_MAX, 0.002 * 2**attempt)))
        raise StoreBusy("the model budget is contended; retry")
