"""Fault tests: the Firestore emulator dies in the middle of traffic and comes back.

While it is down every request must answer 503/504 JSON within the store timeout (no hang, no
500); once it is back the same processes serve again without a restart. Uses its own emulator
on a fixed port so it can be restarted where the functions expect it.
"""

from __future__ import annotations

import concurrent.futures
import random
import time

import pytest

from devtools.processes import free_port, start_emulator, start_function
from devtools.stack import function_env
from tests.helpers import LOG_DIR, new_session_id, post_json

STORE_TIMEOUT = 1.0
SLACK = 1.5  # process scheduling and HTTP on a loaded 2-core machine


def post_timed(url: str, body: dict) -> tuple[int, dict, float]:
    started = time.monotonic()
    response = post_json(url, body)
    return response.status_code, response.json(), time.monotonic() - started


@pytest.fixture
def fault_stack():
    port = free_port()
    emulator = start_emulator(LOG_DIR / "faults", port)
    env = function_env(f"127.0.0.1:{port}", {"STORE_TIMEOUT_SECONDS": str(STORE_TIMEOUT)})
    functions = [
        start_function(n, env, LOG_DIR / "faults") for n in ("update_context", "chart_action")
    ]
    state = {"emulator": emulator, "port": port}
    yield state, functions[0].url, functions[1].url
    for process in functions:
        process.stop()
    state["emulator"].stop()


def traffic(
    update_url: str, action_url: str, session: str, count: int
) -> list[tuple[int, dict, float]]:
    calls = [
        (update_url, {"session_id": session, "symbol": "TSLA", "timeframe": "1D", "seq": i})
        if i % 2
        else (action_url, {"query": "support and resistance", "session_id": session})
        for i in range(count)
    ]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda call: post_timed(*call), calls))


def wait_until_serving(update_url: str, action_url: str, session: str, seconds: float) -> bool:
    """True once a burst of traffic is all 200 (the first calls also open the gRPC channel)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if {status for status, _, _ in traffic(update_url, action_url, session, 4)} == {200}:
            return True
        time.sleep(0.5)
    return False


def test_emulator_outage_and_recovery(fault_stack):
    state, update_url, action_url = fault_stack
    session = new_session_id("fault")
    assert wait_until_serving(update_url, action_url, session, 30)
    assert all(status == 200 for status, _, _ in traffic(update_url, action_url, session, 16))

    state["emulator"].stop()
    during = traffic(update_url, action_url, session, 24)
    for status, body, elapsed in during:
        assert status in (503, 504), body
        assert body["error"]["code"] in ("store_unavailable", "timeout")
        assert elapsed < STORE_TIMEOUT + SLACK, f"answered after {elapsed:.2f}s"  # hang bound

    state["emulator"] = start_emulator(LOG_DIR / "faults", state["port"])
    if not wait_until_serving(update_url, action_url, session, 60):
        pytest.fail("functions did not recover within 60 s of the emulator's return")
    seq = random.randint(1000, 2000)
    status, body, _ = post_timed(
        update_url, {"session_id": session, "symbol": "AAPL", "timeframe": "1W", "seq": seq}
    )
    assert status == 200 and body["applied"] is True
