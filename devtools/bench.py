"""`make bench`: latency and throughput of the functions against the raw Firestore floor.

Runs the functions the way production does (functions-framework's gunicorn gthread server) in
front of the Firestore emulator, drives them from loopback with `hey` (bounded request counts),
measures the raw client floor on the same emulator, counts Firestore RPCs per request, measures
cold start (devtools/bench_cold.py: process start to first right answer against a reference
function, and the import-time table), times the chatkit function's turns
(devtools/bench_chatkit.py), runs the store outage scenario (devtools/bench_outage.py: 40
clients, the emulator stopped mid-run), and writes docs/benchmarks.md. Not part of `make test`:
timing belongs here.
"""

from __future__ import annotations

import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

from devtools.bench_chatkit import measure as measure_chatkit
from devtools.bench_chatkit import render as render_chatkit
from devtools.bench_cold import measure as measure_cold_start
from devtools.bench_cold import measure_imports
from devtools.bench_cold import render as render_cold
from devtools.bench_outage import measure as measure_outage
from devtools.bench_outage import render as render_outage
from devtools.bench_probes import (
    BARE_DEPENDENCIES,
    count_rpcs,
    firestore_floor,
    handler_ms,
    import_times,
    planner_profile,
)
from devtools.bench_stats import Latency, run_hey
from devtools.build import FUNCTIONS, build_bundle
from devtools.processes import REPO, start_function
from devtools.stack import function_env, local_stack
from shared.infra.settings import INSTANCE_CONCURRENCY

CONCURRENCY = (1, 8, 32)
REQUESTS_PER_CLIENT = {1: 300, 8: 100, 32: 40}
SESSION = "bench_session_0123456789abcdef"
CONTEXT = {"session_id": SESSION, "symbol": "TSLA", "timeframe": "1D"}
BODIES = {
    "update_context": CONTEXT,
    "update_context (seq)": {**CONTEXT, "seq": 1},
    "chart_action (draws)": {
        "query": "draw support and resistance for TSLA",
        "session_id": SESSION,
    },
    # answered from the last answer's facts (the distances to the levels just drawn): one
    # read, nothing written
    "chart_action (question)": {"query": "how far is it?", "session_id": SESSION},
}
UPDATE_CONTEXT_IMPORT_BUDGET_MS = 30
ACTION_WARM_TARGET = 1.5  # a question (one read) over the raw get (issues 22 and 24)
DRAW_TARGET = 1.5  # an answer that draws (a read and a conditional write) over raw get + set
TARGETS = (
    "chart_action p95 < 100 ms at 8 clients; update_context p50 <= 2x raw set; "
    f"an answer that draws <= {DRAW_TARGET:g}x raw get + set; a question that changes nothing "
    f"<= {ACTION_WARM_TARGET:g}x raw get; update_context's own import "
    f"<= {UPDATE_CONTEXT_IMPORT_BUDGET_MS} ms over its bare dependencies"
)


def machine() -> str:
    """One line naming the machine the numbers came from."""
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()}"


def row(name: str, clients: int | str, lat: Latency) -> str:
    rate = f"{lat.throughput:.0f}" if lat.throughput else "–"
    return (
        f"| {name} | {clients} | {lat.p50:.1f} | {lat.p95:.1f} | {lat.p99:.1f} | {rate} | "
        f"{lat.count} | {lat.errors} |"
    )


# A session is one user's chart: answers that draw come one at a time, and concurrent draws
# on one session are contention the version guard resolves (tests/http/test_chart_document.py),
# not load. Load at 8 and 32 clients goes to the cases that read, or write other documents.
ONE_AT_A_TIME = frozenset({"chart_action (draws)"})


def measure_load(urls: dict[str, str]) -> dict[tuple[str, int], Latency]:
    """Every case (a function and a body) at every concurrency level it has."""
    results = {}
    for case, body in BODIES.items():
        url = urls[case.split(" ")[0]]
        run_hey(url, body, 4, 100)  # warm connections and the Firestore channel
        for clients in (1,) if case in ONE_AT_A_TIME else CONCURRENCY:
            total = clients * REQUESTS_PER_CLIENT[clients]
            results[case, clients] = run_hey(url, body, clients, total)
            print(f"{case:22} {clients:3} clients: {results[case, clients]}", flush=True)
    return results


def warm_up(urls: dict[str, str], emulator_host: str) -> None:
    """The emulator is a JVM: its JIT needs a few thousand calls before latencies settle, and
    measuring before that would charge the warm-up to whichever case runs first."""
    for case, body in BODIES.items():
        run_hey(urls[case.split(" ")[0]], body, 1 if case in ONE_AT_A_TIME else 8, 1500)
    firestore_floor(emulator_host, 1500)


# The reference function (devtools/cold_reference) served warm like chart_action, on the
# session's own document: the least an HTTP function that reads it (and writes it back) costs.
REFERENCE_READ = "HTTP reference function: read the session's document (floor)"
REFERENCE_REWRITE = "HTTP reference function: read + write it back (floor)"


def reference_floors(url: str) -> dict[str, Latency]:
    """The reference function's warm p50s: only the read, and the read and the write."""
    floors = {}
    for name, mode in ((REFERENCE_READ, "read"), (REFERENCE_REWRITE, "rewrite")):
        body = {"collection": "chart_sessions", "session_id": SESSION, "mode": mode}
        run_hey(url, body, 4, 300)  # its connections and channel warm
        floors[name] = run_hey(url, body, 1, 500)
    return floors


def floors(urls: dict[str, str], emulator_host: str) -> dict[str, Latency]:
    """What no endpoint can beat: raw client set/get, an HTTP round trip (health GET), and the
    reference function's read (and write) of the same document behind the same server."""
    raw = firestore_floor(emulator_host, 500, ("chart_sessions", SESSION))
    return {
        "raw Firestore set (floor)": raw["set"],
        "raw Firestore get (floor)": raw["get"],
        "raw Firestore get, the session's document (floor)": raw["session get"],
        "raw Firestore set, the session's document (floor)": raw["session set"],
        "HTTP health GET, update_context (floor)": run_hey(urls["update_context"], None, 1, 500),
        "HTTP health GET, chart_action (floor)": run_hey(urls["chart_action"], None, 1, 500),
        **reference_floors(urls["reference"]),
    }


def _verdict(ratio: float, limit: float) -> str:
    return f"{ratio:.2f}x ({'met' if ratio <= limit else 'missed'} against {limit:g}x)"


def _reading(update_net: float, http_ms: float, handler: float) -> str:
    """What the ratios mean, from this run's numbers (nothing here is typed in by hand)."""
    return (
        "The raw floor is an in-process client call; every HTTP function also pays one HTTP "
        f"round trip through functions-framework (the health GET row, {http_ms:.1f} ms p50 in "
        "this run), which no handler code can remove. Without it: update_context "
        f"{_verdict(update_net, 2)}. The floors are "
        "under a millisecond, so small changes in a floor swing the ratios from run to run; the "
        "absolute p50s above are the steadier measure. "
        f"Planner, sample market data and analysis for one chart action take {handler:.2f} ms "
        "in-process (median of 300); the rest is Flask/gunicorn and gRPC."
    )


def _vs_floor(load: dict, floor: dict, handler: float) -> list[str]:
    """Ratios to the raw Firestore floor: of the session's own document (what the function
    reads and writes), and of a small one; with and without the HTTP round trip."""
    raw_set, raw_get = floor["raw Firestore set (floor)"], floor["raw Firestore get (floor)"]
    doc_get = floor["raw Firestore get, the session's document (floor)"].p50
    doc_set = floor["raw Firestore set, the session's document (floor)"].p50
    http = floor["HTTP health GET, update_context (floor)"].p50
    update, draw = load["update_context", 1].p50, load["chart_action (draws)", 1].p50
    question = load["chart_action (question)", 1].p50
    update_net = (update - http) / raw_set.p50

    def against(p50: float, floor_ms: float, target: float) -> str:
        return (
            f"**{p50 / floor_ms:.2f}x** ({'met' if p50 / floor_ms <= target else 'missed'} "
            f"against {target:g}x; without the HTTP round trip {(p50 - http) / floor_ms:.2f}x)"
        )

    return [
        "",
        "## Against the floor and the targets",
        f"Targets: {TARGETS}.",
        "",
        f"- update_context p50 / raw set p50 = **{update / raw_set.p50:.2f}x** "
        f"(without the HTTP round trip: {update_net:.2f}x)",
        "- chart_action that draws, p50 / (raw get + raw set of the session's document) = "
        + against(draw, doc_get + doc_set, DRAW_TARGET)
        + f"; against a small document's get + set {draw / (raw_get.p50 + raw_set.p50):.2f}x",
        "- chart_action question, p50 / raw get of the session's document = "
        + against(question, doc_get, ACTION_WARM_TARGET)
        + f"; against a small document's get {question / raw_get.p50:.2f}x",
        f"- chart_action p95 at 8 clients = **{load['chart_action (question)', 8].p95:.1f} ms**",
        *_vs_reference(draw, question, floor, doc_get, doc_set),
        "",
        _reading(update_net, http, handler),
    ]


def _vs_reference(
    draw: float, question: float, floor: dict, doc_get: float, doc_set: float
) -> list[str]:
    """The same answers against the reference function behind the same server: what a
    Firestore-backed HTTP function that does nothing else costs in this run."""
    read, rewrite = floor[REFERENCE_READ].p50, floor[REFERENCE_REWRITE].p50
    return [
        f"- the reference function that only reads the session's document: p50 {read:.1f} ms = "
        f"**{read / doc_get:.2f}x** the raw get; reading and writing it back: {rewrite:.1f} ms "
        f"= **{rewrite / (doc_get + doc_set):.2f}x** the raw get + set. So no HTTP function "
        "served by functions-framework here meets a ratio below these; against the reference, "
        f"a question is {question / read:.2f}x and a draw {draw / rewrite:.2f}x.",
    ]


def _rpcs_and_cold(rpcs: dict, cold: dict) -> list[str]:
    """Firestore RPCs per request and the import-cost table."""
    lines = ["", "## Firestore round trips per request", "| request | RPCs |", "| --- | --- |"]
    lines += [
        f"| {label} | {sum(c.values())} ({', '.join(f'{k} {v}' for k, v in sorted(c.items()))}) |"
        for label, c in rpcs.items()
    ]
    lines += [
        "",
        "## Import cost beside the bare dependencies",
        f"Bare dependencies: {', '.join(BARE_DEPENDENCIES)}, imported in the same fresh process "
        "just before the function's `main` (medians of 7 processes). pydantic builds its schema "
        "machinery on the first model any code defines; that one-time cost is shown apart.",
        "",
        "| function | bare dependencies (ms) | pydantic's first model (ms) | main on top (ms) |",
        "| --- | --- | --- | --- |",
    ]
    lines += [
        f"| {fn} | {c['bare_ms']:.0f} | {c['first_model_ms']:.0f} | {c['main_ms']:.0f} |"
        for fn, c in cold.items()
    ]
    own = cold["update_context"]["main_ms"]
    verdict = "met" if own <= UPDATE_CONTEXT_IMPORT_BUDGET_MS else "missed"
    return [
        *lines,
        "",
        f"update_context's own import: {own:.0f} ms over its bare dependencies ({verdict} "
        f"against {UPDATE_CONTEXT_IMPORT_BUDGET_MS} ms).",
    ]


def render(load: dict, floor: dict, rpcs: dict, cold: dict, handler: float) -> str:
    """docs/benchmarks.md."""
    lines = [
        "# Benchmarks",
        "",
        f"Generated by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — {machine()}.",
        "Functions run under functions-framework's production server (gunicorn gthread, 1 worker);",
        "Firestore is the local emulator; load comes from `hey` on loopback; market data `sample`.",
        "",
        "## Latency (ms) and throughput (requests/s)",
        "| what | clients | p50 | p95 | p99 | req/s | requests | non-200 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    lines += [row(fn, c, lat) for (fn, c), lat in load.items()]
    lines += [row(name, 1, lat) for name, lat in floor.items()]
    body = lines + _vs_floor(load, floor, handler) + _rpcs_and_cold(rpcs, cold)
    return "\n".join(body) + "\n"


def main() -> int:
    """Run everything, write docs/benchmarks.md, print the ratios."""
    log_dir = REPO / "build" / "bench-logs"
    # import cost of the two JSON functions; cold start of all three is bench_cold's
    measured = {case.split(" ")[0] for case in BODIES}
    bundles = {fn: build_bundle(fn, REPO / "build") for fn in FUNCTIONS if fn in measured}
    with local_stack(log_dir) as stack:
        urls = {"update_context": stack.update_context_url, "chart_action": stack.chart_action_url}
        threads = {"THREADS": str(INSTANCE_CONCURRENCY["chart_action"])}  # as chart_action's
        reference = start_function(
            "reference",
            function_env(stack.emulator_host, threads),
            log_dir,
            source_dir=REPO / "devtools" / "cold_reference",
        )
        try:
            urls["reference"] = reference.url
            warm_up(urls, stack.emulator_host)
            floor = floors(urls, stack.emulator_host)
        finally:
            reference.stop()
        load = measure_load(urls)
        rpcs = count_rpcs(stack.emulator_host, REPO)
        chatkit_bundle = build_bundle("chatkit", REPO / "build")
        chatkit = measure_chatkit(stack.emulator_host, urls, log_dir, chatkit_bundle)
        cold = {fn: import_times(bundle) for fn, bundle in bundles.items()}
        cold_start = measure_cold_start(stack.emulator_host, log_dir)
    outage = measure_outage(log_dir)  # its own emulator and functions, once the stack is gone
    handler = handler_ms(BODIES["chart_action (draws)"]["query"])
    sections = [
        *render_cold(cold_start, measure_imports()),
        *render_chatkit(chatkit),
        *render_outage(outage),
        *planner_profile(),
    ]
    report = render(load, floor, rpcs, cold, handler) + "\n".join(sections) + "\n"
    (REPO / "docs" / "benchmarks.md").write_text(report)
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
