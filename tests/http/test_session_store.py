"""The session store itself against the real Firestore emulator: how `seq` updates take turns
(a lock per session, contention that is not an outage) and stop at their caller's deadline.
The same store behind real HTTP is in test_update_context.py and test_store_failures.py."""

from __future__ import annotations

import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from google.cloud import firestore

from shared.infra.deadline import DeadlineExceeded
from shared.infra.dependency_log import log_dependency_failure
from shared.models.context import ChartState
from shared.models.fields import Timeframe
from shared.store.firestore import StoreBusy, new_client
from shared.store.sessions import SessionStore
from tests.helpers import new_session_id

TIMEOUT = 1.0
SLACK = 1.5  # hang bounds only: scheduling on a loaded 2-core machine
COLLECTION = "chart_sessions"


@pytest.fixture
def store(clean_firestore: str) -> SessionStore:
    client = new_client(os.environ["GOOGLE_CLOUD_PROJECT"], "(default)")
    return SessionStore(lambda: client, COLLECTION, ttl_seconds=60, timeout=TIMEOUT)


def chart(symbol: str) -> ChartState:
    return ChartState(symbol=symbol, timeframe=Timeframe.D1)


def stored(session_id: str) -> dict | None:
    client = firestore.Client(project=os.environ["GOOGLE_CLOUD_PROJECT"])
    return client.collection(COLLECTION).document(session_id).get().to_dict()


def test_unrelated_sessions_never_wait_for_a_busy_one(store):
    """While one session's turn is taken, 300 other sessions (more than the 256 stripes the
    sessions used to share, so some shared one with it) are updated without waiting."""
    busy = new_session_id("busy")
    store.save(busy, chart("TSLA"), seq=1)  # the channel is open before timing
    turn = store._turns.of(busy)  # an update of it that holds its turn
    with turn.lock:
        others = [new_session_id("other") for _ in range(300)]

        def update(session_id: str) -> bool:
            return store.save(session_id, chart("AAPL"), seq=1).applied

        with ThreadPoolExecutor(16) as pool:  # had one waited on the busy turn: StoreBusy
            assert all(pool.map(update, others))
        started = time.monotonic()
        with pytest.raises(StoreBusy):  # the busy session itself: a contention 503
            store.save(busy, chart("MSFT"), seq=2)
        # it waited for its turn (at least half the deadline) and gave up; upper: hang bound
        assert TIMEOUT / 2 <= time.monotonic() - started < TIMEOUT + SLACK
    assert stored(busy)["symbol"] == "TSLA"


def test_contention_is_not_logged_as_a_dependency_failure(caplog):
    with caplog.at_level(logging.INFO, "chart_control.dependency"):
        log_dependency_failure(StoreBusy("busy"), "update_context update")
    assert caplog.records == []


def test_an_update_stops_at_its_callers_deadline(store):
    """A loop whose caller has been answered (504) writes nothing: the deadline is the
    caller's, not a fresh timeout counted from when the loop started."""
    session = new_session_id("late")
    with pytest.raises(DeadlineExceeded):
        store._save_if_newer(session, chart("TSLA"), 3, deadline=time.monotonic() - 0.01)
    assert stored(session) is None
