"""Helpers every kind of test shares (unit, http, e2e): HTTP calls to the function servers,
valid session ids, the running servers' handle, and bar series with planted shapes.

Fixtures live in tests/conftest.py; fake third-party servers in tests/fake_*.py.
"""

from __future__ import annotations

import itertools
import json
import os
import secrets
import socket
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

from devtools.processes import REPO, ManagedProcess
from devtools.stack import LOCAL_PROJECT
from shared.infra.settings import Settings
from shared.market_data.base import Bar
from shared.market_data.sample import SampleProvider

LOG_DIR = REPO / "build" / "test-logs"
TIMEOUT = 15
DAY = 86400
# The one day the sample market is generated for in every test (SAMPLE_MARKET_DAY): conftest
# exports it, so in-process providers and every function server the suite starts see the same
# bars on any calendar day. Tests that study the clock itself pin their own.
MARKET_DAY = "2026-12-02"


def sample_provider() -> SampleProvider:
    """The sample market on the suite's pinned day."""
    return SampleProvider(Settings.model_validate({"SAMPLE_MARKET_DAY": MARKET_DAY}))


def market_day_timestamp() -> float:
    """00:00 UTC of the pinned day, for tests that hand a clock to the provider."""
    return datetime.fromisoformat(MARKET_DAY).replace(tzinfo=UTC).timestamp()


# --- the function servers ------------------------------------------------------------------


@dataclass(frozen=True)
class FunctionServers:
    """Base URLs of one update_context and one chart_action server."""

    update_context_url: str
    chart_action_url: str
    processes: tuple[ManagedProcess, ...]


def log_records(path: Path) -> list[dict[str, Any]]:
    """The JSON lines of a function server's log (other lines, such as the server's own start
    banner, are skipped): tests count what happened from them rather than timing it."""
    records = []
    for line in path.read_text(errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            records.append(record)
    return records


def clear_emulator(host: str) -> None:
    """Delete every document in the emulator's default database."""
    project = os.environ.get("GOOGLE_CLOUD_PROJECT", LOCAL_PROJECT)
    url = f"http://{host}/emulator/v1/projects/{project}/databases/(default)/documents"
    urllib.request.urlopen(urllib.request.Request(url, method="DELETE"), timeout=10).close()


@contextmanager
def silent_endpoint() -> Iterator[str]:
    """`host:port` of a listener that accepts connections and never speaks: a Firestore that
    hangs (each call waits out its deadline), for the breaker's tests."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(64)
    try:
        yield f"127.0.0.1:{silent.getsockname()[1]}"
    finally:
        silent.close()


def post_json(url: str, body: Any, headers: dict[str, str] | None = None) -> requests.Response:
    """POST a JSON body."""
    return requests.post(url, json=body, headers=headers or {}, timeout=TIMEOUT)


def post_raw(url: str, data: bytes | str, content_type: str) -> requests.Response:
    """POST arbitrary bytes with a given Content-Type."""
    return requests.post(url, data=data, headers={"Content-Type": content_type}, timeout=TIMEOUT)


def new_session_id(tag: str = "") -> str:
    """A valid, unique session id."""
    return f"test_{tag}_{secrets.token_urlsafe(16)}"[:128]


def store_context(
    servers: FunctionServers, symbol: str, timeframe: str = "1D", tag: str = "ctx"
) -> str:
    """A new session whose chart context (symbol, timeframe, snapshot "s1") the real
    update_context stored; its id."""
    session = new_session_id(tag)
    body = {"session_id": session, "symbol": symbol, "timeframe": timeframe, "snapshot_id": "s1"}
    response = post_json(servers.update_context_url + "/api/chatkit/update-context", body)
    assert response.status_code == 200, response.text
    return session


# --- bars with planted shapes --------------------------------------------------------------


def bars_from_closes(closes: list[float], wiggle: float = 0.4) -> list[Bar]:
    """Daily bars through the closes: each opens at the previous close, wicks `wiggle` out."""
    bars, previous = [], closes[0]
    for i, close in enumerate(closes):
        high, low = max(previous, close) + wiggle, min(previous, close) - wiggle
        bars.append(Bar(1_700_000_000 + i * DAY, previous, high, low, close, 1000.0))
        previous = close
    return bars


def round_trips(low: float, high: float, cycles: int, per_leg: int = 12) -> list[float]:
    """`cycles` round trips low -> high -> low (ending just above `low`)."""
    closes: list[float] = []
    for _ in range(cycles):
        closes += [low + (high - low) * i / per_leg for i in range(per_leg)]
        closes += [high - (high - low) * i / per_leg for i in range(per_leg)]
    return closes


def legs(*points: float, per_leg: int = 8) -> list[float]:
    """Straight legs between turning points."""
    closes: list[float] = []
    for start, end in itertools.pairwise(points):
        closes += [start + (end - start) * i / per_leg for i in range(per_leg)]
    return [*closes, points[-1]]
