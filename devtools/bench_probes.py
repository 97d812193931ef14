"""Measurements for `make bench` that are not load: the raw Firestore floor, Firestore round
trips per request, and import cost (import time beside the bare dependencies')."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from devtools.bench_stats import Latency

RPC_METHODS = ("batch_get_documents", "commit", "begin_transaction", "rollback", "run_query")


def firestore_floor(
    emulator_host: str, samples: int, session: tuple[str, str] | None = None
) -> dict[str, Latency]:
    """Raw client `set` and `get` of a small context-sized document: what no endpoint can beat.
    With `session` (collection, id), also the raw `get` of that very document and the `set` of
    a copy of it: the floor of a function that reads and writes a session's chart document,
    which grows with what is drawn (a small document reads faster on the emulator)."""
    os.environ["FIRESTORE_EMULATOR_HOST"] = emulator_host
    from google.cloud import firestore  # noqa: PLC0415

    client = firestore.Client(project=os.environ.get("GOOGLE_CLOUD_PROJECT", "demo-bench"))
    doc = client.collection("bench_floor").document("floor_session_0123456789")
    document = {"symbol": "TSLA", "timeframe": "1D", "snapshot_id": "s", "seq": 1}
    doc.set(document)  # open the channel first

    def timed(op: Callable[[], Any]) -> Latency:
        durations = []
        for _ in range(samples):
            started = time.perf_counter()
            op()
            durations.append(time.perf_counter() - started)
        return Latency.from_seconds(durations)

    floors = {"set": timed(lambda: doc.set(document)), "get": timed(doc.get)}
    if session is not None:
        real = client.collection(session[0]).document(session[1])
        data = real.get().to_dict() or {}
        copy = client.collection("bench_floor").document("floor_copy_0123456789")
        floors["session get"] = timed(real.get)
        floors["session set"] = timed(lambda: copy.set(data))
    return floors


def count_rpcs(emulator_host: str, repo: Path) -> dict[str, Counter[str]]:
    """Firestore RPCs one request of each kind makes, counted on the client in-process."""
    os.environ["FIRESTORE_EMULATOR_HOST"] = emulator_host
    sys.path.insert(0, str(repo))
    import functions_framework  # noqa: PLC0415
    from google.cloud.firestore_v1.services.firestore.client import (  # noqa: PLC0415
        FirestoreClient,
    )

    counts: Counter[str] = Counter()
    for name in RPC_METHODS:  # on the class: every client the functions build is counted
        original = getattr(FirestoreClient, name)

        def counted(*args: Any, _name: str = name, _orig: Any = original, **kwargs: Any) -> Any:
            counts[_name] += 1
            return _orig(*args, **kwargs)

        setattr(FirestoreClient, name, counted)
    clients = {
        fn: functions_framework.create_app(
            fn, str(repo / "functions" / fn / "main.py")
        ).test_client()
        for fn in ("update_context", "chart_action")
    }
    session = "rpc_count_session_0123456789"
    context = {"session_id": session, "symbol": "TSLA", "timeframe": "1D"}
    rsi = {"query": "what's the RSI", "session_id": session}  # asked twice: once it draws
    cases = {
        "update_context (no seq)": ("update_context", context),
        "update_context (with seq)": ("update_context", {**context, "seq": 5}),
        "chart_action (draws: read + conditional write)": (
            "chart_action",
            {"query": "draw support and resistance", "session_id": session},
        ),
        "chart_action (the RSI, first asked: draws it)": ("chart_action", rsi),
        "chart_action (the RSI again: redrawn, nothing new)": ("chart_action", rsi),
        "chart_action (a question: how far is it?)": (
            "chart_action",
            {"query": "how far is it?", "session_id": session},
        ),
        "chart_action (no session)": ("chart_action", {"query": "support and resistance for TSLA"}),
    }
    result: dict[str, Counter[str]] = {}
    for label, (fn, body) in cases.items():
        counts.clear()
        response = clients[fn].post("/", json=body)
        assert response.status_code == 200, response.get_data(as_text=True)
        result[label] = Counter(counts)
    return result


BARE_DEPENDENCIES = ("functions-framework", "google-cloud-firestore", "pydantic", "flask")
IMPORT_PROBE = """
import json, time
started = time.perf_counter()
import functions_framework, flask, google.cloud.firestore
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
bare = time.perf_counter()
class FirstModel(BaseModel):  # pydantic's one-time cost of the first model, which any user pays
    value: int = Field(0)
first_model = time.perf_counter()
import main
done = time.perf_counter()
print(json.dumps({"bare_ms": (bare - started) * 1000, "first_model_ms": (first_model - bare) * 1000,
                  "main_ms": (done - first_model) * 1000}))
"""


def import_times(bundle: Path, runs: int = 7) -> dict[str, float]:
    """Medians over fresh processes: the bare dependencies' import, pydantic's first model, and
    what importing the function's `main` adds on top of them (the bundle's own code)."""
    samples = []
    for _ in range(runs):
        completed = subprocess.run(
            [sys.executable, "-c", IMPORT_PROBE], cwd=bundle, env={**os.environ, "PYTHONPATH": ""},
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        samples.append(json.loads(completed.stdout))
    return {key: statistics.median(s[key] for s in samples) for key in samples[0]}


def handler_ms(query: str, samples: int = 300) -> float:
    """Median in-process time of planner + market data (sample) + analysis for one chart action:
    the part of a request our code owns, without HTTP or Firestore."""
    from shared.core.action import plan_chart_action  # noqa: PLC0415
    from shared.market_data.sample import SampleProvider  # noqa: PLC0415
    from shared.models.action import ChartActionRequest  # noqa: PLC0415

    provider, request = SampleProvider(), ChartActionRequest(query=query)
    plan_chart_action(request, None, provider)  # warm the sample series cache
    timings = []
    for _ in range(samples):
        start = time.perf_counter()
        plan_chart_action(request, None, provider)
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


# Queries of every kind the rules planner reads (issue 14): a profile, not a test.
PROFILE_QUERIES = (
    "draw support and resistance for TSLA",
    "suport and resistence for tesla",
    "montre-moi le support et la résistance d'Apple",
    "show me the 50 and 200 day moving averages on spy, golden cross?",
    "what's the RSI on META right now",
    "head and shoulders on qqq?",
    "compare TSLA and RIVN",
    "aapl since the March low",
    "clear the trendlines and fib then add the 20 ema",
    "is nvda near support?",
    "show me NVDA weekly with the 50 day moving average",
    "tell me a joke",
)


def planner_profile(samples: int = 200) -> list[str]:
    """Markdown lines: the rules planner's p50/p95 per query over `PROFILE_QUERIES`, and the
    in-process chart action (planner + sample bars + analysis + answer) per kind of query.
    Runs alone with `python -m devtools.bench_probes` (no servers)."""
    from shared.planner.rules import parse_query  # noqa: PLC0415

    for query in PROFILE_QUERIES:
        parse_query(query)
    timings = []
    for _ in range(samples // 10):
        for query in PROFILE_QUERIES:
            start = time.perf_counter()
            parse_query(query)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    lines = [
        "",
        "## In-process: the rules planner and one chart action",
        f"Rules planner over {len(PROFILE_QUERIES)} kinds of query: p50 "
        f"**{statistics.median(timings):.3f} ms**, p95 {timings[int(len(timings) * 0.95)]:.3f} ms "
        "(target: p50 under 1 ms).",
        "",
        "| query | chart action in-process p50 (ms) |",
        "| --- | --- |",
    ]
    lines += [f"| {q} | {handler_ms(q, samples // 2):.2f} |" for q in PROFILE_QUERIES]
    return lines


if __name__ == "__main__":
    print("\n".join(planner_profile()))
