"""The Firestore circuit breaker: its states on a controlled clock, what counts as an outage, and
`guarded` telling it how each call went (the real store's outages are in tests/http/test_outage.py).
"""

from __future__ import annotations

import asyncio
import threading

import pytest
from google.api_core import exceptions as gexc

from shared.api.errors import rule_for
from shared.infra.deadline import DeadlineExceeded
from shared.store.breaker import CircuitBreaker, CircuitOpen
from shared.store.firestore import StoreTimeout, StoreUnavailable, guarded, is_outage, watched


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def breaker(clock: Clock) -> CircuitBreaker:
    return CircuitBreaker(failure_threshold=3, cool_off=0.5, probe_lease=4.0, clock=clock)


def fail(exc: BaseException):
    def call():
        raise exc

    return call


def trip(breaker: CircuitBreaker) -> None:
    for _ in range(breaker.failure_threshold):
        with pytest.raises(StoreUnavailable):
            guarded(fail(gexc.ServiceUnavailable("down")), 1, breaker)


def test_opens_after_consecutive_outages_only(breaker):
    for _ in range(2):
        breaker.admit()
        breaker.record(outage=True)
    breaker.admit()
    breaker.record(outage=False)  # a success in between: the count starts again
    for _ in range(2):
        breaker.admit()
        breaker.record(outage=True)
    assert breaker.state == "closed"
    breaker.admit()
    breaker.record(outage=True)
    assert breaker.state == "open"
    with pytest.raises(CircuitOpen):
        breaker.admit()


def test_open_answers_as_the_stores_503_with_retry_after(breaker):
    trip(breaker)
    with pytest.raises(CircuitOpen) as caught:
        guarded(lambda: pytest.fail("an open breaker must not call the store"), 1, breaker)
    rule = rule_for(caught.value)
    assert caught.value.code == "store_unavailable" and rule.status == 503 and rule.retry_after


def test_half_open_lets_one_probe_through(breaker, clock):
    trip(breaker)
    clock.now += 0.5
    breaker.admit()  # the probe
    assert breaker.state == "half_open"
    with pytest.raises(CircuitOpen):
        breaker.admit()  # everyone else still fails fast while it runs
    breaker.record(outage=False)
    assert breaker.state == "closed"
    breaker.admit()


def test_a_failed_probe_opens_for_another_cool_off(breaker, clock):
    trip(breaker)
    clock.now += 0.6
    with pytest.raises(StoreTimeout):
        guarded(fail(DeadlineExceeded("silent")), 1, breaker)
    assert breaker.state == "open"
    clock.now += 0.4
    with pytest.raises(CircuitOpen):
        breaker.admit()
    clock.now += 0.1
    breaker.admit()
    assert breaker.state == "half_open"


def test_a_lost_probe_is_replaced_after_its_lease(breaker, clock):
    trip(breaker)
    clock.now += 0.5
    breaker.admit()  # a probe that never reports
    clock.now += 3.9
    with pytest.raises(CircuitOpen):
        breaker.admit()
    clock.now += 0.1
    breaker.admit()


def test_a_cancelled_probe_gives_no_verdict(breaker, clock):
    """chatkit's thread store runs its calls in asyncio tasks: a request cancelled while its
    call is the half-open probe knows nothing about the store, so the breaker stays open (a
    success would close it on no evidence) and the next caller probes at once."""
    trip(breaker)
    clock.now += 0.5

    async def probe() -> None:
        with watched(breaker):
            await asyncio.sleep(30)  # the store call, still waiting when the request goes

    async def cancelled() -> None:
        task = asyncio.create_task(probe())
        await asyncio.sleep(0.05)
        assert breaker.state == "half_open"
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(cancelled())
    assert breaker.state == "open"
    assert breaker.admit() is True  # no cool-off to wait out: the next caller is the probe
    with pytest.raises(CircuitOpen):
        breaker.admit()


def test_a_cancelled_call_leaves_the_count_alone(breaker):
    for _ in range(breaker.failure_threshold - 1):
        breaker.admit()
        breaker.record(outage=True)
    with pytest.raises(KeyboardInterrupt), watched(breaker):
        raise KeyboardInterrupt
    assert breaker.state == "closed"
    with pytest.raises(StoreUnavailable):  # the count went on: one more outage opens it
        guarded(fail(gexc.ServiceUnavailable("down")), 1, breaker)
    assert breaker.state == "open"


@pytest.mark.parametrize(
    ("exc", "outage"),
    [
        (gexc.ServiceUnavailable("connection refused"), True),
        (gexc.DeadlineExceeded("deadline"), True),
        (DeadlineExceeded("hard deadline"), True),
        (gexc.RetryError("gave up", gexc.ServiceUnavailable("refused")), True),
        (ConnectionResetError("reset"), True),
        (gexc.InvalidArgument("reserved document id"), False),
        (gexc.FailedPrecondition("changed meanwhile"), False),
        (gexc.PermissionDenied("no"), False),
        (gexc.InternalServerError("answered, badly"), False),
        (gexc.RetryError("gave up", gexc.Aborted("contention")), False),
        (ValueError("our own bug"), False),
    ],
)
def test_only_outages_count(exc, outage):
    assert is_outage(exc) is outage


def test_client_errors_never_open_it(breaker):
    """A client sending ids the store refuses must not switch the store off for everyone."""
    for _ in range(10):
        with pytest.raises(StoreUnavailable):
            guarded(fail(gexc.InvalidArgument("__reserved__")), 1, breaker)
    assert breaker.state == "closed"


def test_a_store_that_answers_closes_it(breaker, clock):
    trip(breaker)
    clock.now += 0.5
    assert guarded(lambda: "stored", 1, breaker) == "stored"
    assert breaker.state == "closed"


def test_concurrent_callers_elect_one_probe(breaker, clock):
    trip(breaker)
    clock.now += 1
    admitted, refused = [], []
    barrier = threading.Barrier(16)

    def caller():
        barrier.wait()
        try:
            breaker.admit()
            admitted.append(1)
        except CircuitOpen:
            refused.append(1)

    threads = [threading.Thread(target=caller) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (len(admitted), len(refused)) == (1, 15)
