"""The outage scenario of `make bench` (and of tests/http/test_outage.py): 40 concurrent clients
keep calling both functions while the Firestore emulator is stopped mid-run and started again.

Every answer is timed. The report says how long answers took while the store was down (p50,
p95, max), what share failed fast, the p50 once failing fast had begun (the breaker is open),
how many answers were a 5xx other than the store's 503/504 (must be none), and the recovery
time: from the moment the restarted emulator serves a read to a fresh client, until every
answer is a 200 again.

Two load generators share that analysis: `Traffic` (Python threads; reads every error body, so
the test can check codes and Retry-After) and `HeyTraffic` (`hey`, as the rest of the bench:
its Go clients leave the 2 cores to the servers, so the bench's times are the servers').
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import signal
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import requests

from devtools.bench_stats import hey_binary

CLIENTS = 40
HEY_PROCESSES = CLIENTS  # one client per process, each its own session (as browsers)
FAST = 0.1  # seconds: an answer this quick did not wait on the store
STORE_CODES = ("store_unavailable", "timeout")


@dataclass(frozen=True)
class Answer:
    """One request: when it started (monotonic seconds), how long it took, what came back."""

    started: float
    elapsed: float
    status: int
    code: str | None = None
    retry_after: bool = False
    kind: str = ""  # update_context, update_context (seq) or chart_action

    @property
    def store_failure(self) -> bool:
        """A 503/504 JSON answer naming the store, with Retry-After: the correct outage answer."""
        return self.status in (503, 504) and self.code in STORE_CODES and self.retry_after

    @property
    def failed_fast(self) -> bool:
        """A 503/504 that did not wait on the store."""
        return self.status in (503, 504) and self.elapsed < FAST


def _calls(update_url: str, action_url: str, client: int) -> Any:
    """An endless mix for one client and its own session: (kind, (url, body)) of an update
    without seq, an update with a growing seq, a chart action."""
    session = f"outage_{client:02d}_0123456789abcdef"
    context = {"session_id": session, "symbol": "TSLA", "timeframe": "1D"}
    action = {"query": "draw support and resistance", "session_id": session}
    for seq in itertools.count(1):
        yield "update_context", (update_url, context)
        yield "update_context (seq)", (update_url, {**context, "seq": seq})
        yield "chart_action", (action_url, action)


def _ask(http: requests.Session, kind: str, url: str, body: dict[str, Any]) -> Answer:
    started = time.monotonic()
    try:
        response = http.post(url, json=body, timeout=30)
    except requests.RequestException:
        return Answer(started, time.monotonic() - started, 0, kind=kind)
    elapsed = time.monotonic() - started
    code = None
    if response.status_code != 200:
        try:
            code = response.json()["error"]["code"]
        except (ValueError, KeyError, TypeError):
            code = None
    retry_after = "Retry-After" in response.headers
    return Answer(started, elapsed, response.status_code, code, retry_after, kind)


@dataclass
class Traffic:
    """`clients` threads, each with its own keep-alive connection, calling until stopped."""

    update_url: str
    action_url: str
    clients: int = CLIENTS
    answers: list[Answer] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _client(self, index: int) -> None:
        with requests.Session() as http:
            for kind, (url, body) in _calls(self.update_url, self.action_url, index):
                if self._stop.is_set():
                    return
                answer = _ask(http, kind, url, body)
                with self._lock:
                    self.answers.append(answer)

    def __enter__(self) -> Traffic:
        self._threads = [
            threading.Thread(target=self._client, args=(i,), daemon=True)
            for i in range(self.clients)
        ]
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def since(self, moment: float) -> list[Answer]:
        """Answers to requests started at or after `moment` (monotonic)."""
        with self._lock:
            return [a for a in self.answers if a.started >= moment]


class Load(Protocol):
    """A running load generator: entered to start, exited to stop, then its answers."""

    answers: list[Answer]

    def __enter__(self) -> Load: ...
    def __exit__(self, *exc: object) -> None: ...
    def since(self, moment: float) -> list[Answer] | None: ...


@dataclass
class HeyTraffic:
    """The same mix from `HEY_PROCESSES` `hey` processes, each one kind of request for its own
    session (browsers each have theirs), sharing `clients` between them and running until
    interrupted (SIGINT makes hey write its CSV)."""

    update_url: str
    action_url: str
    clients: int = CLIENTS
    answers: list[Answer] = field(default_factory=list)
    _runs: list[tuple[float, str, subprocess.Popen[str]]] = field(default_factory=list)

    def targets(self) -> list[tuple[str, str, dict[str, Any]]]:
        """(kind, url, body) per process: the kinds in turn, each process its own session."""
        found = []
        for index in range(HEY_PROCESSES):
            calls = _calls(self.update_url, self.action_url, index)
            kind, (url, body) = next(itertools.islice(calls, index % 3, None))
            found.append((kind, url, body))
        return found

    def __enter__(self) -> HeyTraffic:
        targets = self.targets()
        for index, (kind, url, body) in enumerate(targets):
            workers = self.clients // len(targets) + (index < self.clients % len(targets))
            argv = [
                hey_binary(), "-z", "600s", "-c", str(workers), "-m", "POST",
                "-T", "application/json", "-d", json.dumps(body), "-t", "30", "-o", "csv", url,
            ]  # fmt: skip
            started = time.monotonic()
            process = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
            self._runs.append((started, kind, process))
        return self

    def __exit__(self, *exc: object) -> None:
        for _, _, process in self._runs:
            process.send_signal(signal.SIGINT)
        for started, kind, process in self._runs:
            output, _ = process.communicate(timeout=120)
            for row in csv.DictReader(io.StringIO(output)):
                offset, elapsed = float(row["offset"]), float(row["response-time"])
                status = int(row["status-code"])
                self.answers.append(Answer(started + offset, elapsed, status, kind=kind))

    def since(self, moment: float) -> list[Answer] | None:
        """Unknown until hey stops: None."""
        return None


def store_serves(emulator_host: str, deadline: float) -> float:
    """Poll a document read on the emulator's REST API (a fresh connection each time, so no
    backoff of ours) until it is answered; the monotonic time it was: when the store is back,
    as any new client would see it. An absent document (404) is an answered read. It reads as
    the functions do, as the emulator's owner (`Bearer owner`): the emulator runs with
    firestore.rules, which refuse a browser's read of this collection."""
    project = os.environ.get("GOOGLE_CLOUD_PROJECT", "demo-chart-control")
    url = (
        f"http://{emulator_host}/v1/projects/{project}/databases/(default)/documents/"
        "outage_probe/probe"
    )
    while time.monotonic() < deadline:
        try:
            owner = urllib.request.Request(url, headers={"Authorization": "Bearer owner"})
            with urllib.request.urlopen(owner, timeout=1):
                return time.monotonic()
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return time.monotonic()
        except OSError:
            pass
        time.sleep(0.05)
    raise TimeoutError("the restarted emulator never served a read")


@dataclass(frozen=True)
class OutageResult:
    """What the scenario measured (seconds unless named _ms)."""

    answers: list[Answer]
    stopped_at: float
    back_at: float
    recovered_at: float | None
    store_timeout: float

    @property
    def during(self) -> list[Answer]:
        """Answers to requests started while the store was down."""
        return [a for a in self.answers if self.stopped_at <= a.started < self.back_at]

    @property
    def failing_fast(self) -> list[Answer]:
        """Outage answers from the first fast store failure on (the breaker is open)."""
        during = sorted(self.during, key=lambda a: a.started)
        first = next((a.started for a in during if a.failed_fast), None)
        return [] if first is None else [a for a in during if a.started >= first]

    @property
    def recovery(self) -> float | None:
        """Seconds from the store serving reads again to every answer being a 200."""
        return None if self.recovered_at is None else max(0.0, self.recovered_at - self.back_at)

    @property
    def other_5xx(self) -> list[Answer]:
        """5xx answers other than the store's 503/504 (a 500, a 502...)."""
        return [a for a in self.answers if a.status >= 500 and a.status not in (503, 504)]

    def summary(self) -> dict[str, float | int | None]:
        """The numbers the report and the test read."""
        during = sorted(a.elapsed for a in self.during)
        fast = sorted(a.elapsed for a in self.failing_fast)

        def pct(values: list[float], q: int) -> float:
            if len(values) < 2:
                return values[0] * 1000 if values else float("nan")
            return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000

        return {
            "requests": len(self.answers),
            "during": len(during),
            "failures": sum(a.status in (503, 504) for a in self.during),
            "ok_during": sum(a.status == 200 for a in self.during),
            "p50_ms": pct(during, 50),
            "p95_ms": pct(during, 95),
            "max_ms": max(during, default=float("nan")) * 1000,
            "fast_share": sum(a.failed_fast for a in self.during) / len(during) if during else 0.0,
            "open_p50_ms": pct(fast, 50),
            "other_5xx": len(self.other_5xx),
            "no_answer": sum(a.status == 0 for a in self.answers),
            "recovery_s": self.recovery,
        }


def _recovered_at(answers: list[Answer], back_at: float) -> float | None:
    """Start of the first request after which every request (started later) was a 200."""
    later = sorted((a for a in answers if a.started >= back_at), key=lambda a: a.started)
    recovered = None
    for answer in later:
        if answer.status != 200:
            recovered = None
        elif recovered is None:
            recovered = answer.started
    return recovered


def run_outage(
    update_url: str,
    action_url: str,
    emulator_host: str,
    stop_store: Callable[[], None],
    start_store: Callable[[], None],
    *,
    store_timeout: float,
    load: Callable[[str, str], Load] = Traffic,
    before: float = 2.0,
    down: float = 8.0,
    settle: float = 2.0,
    give_up: float = 15.0,
) -> OutageResult:
    """Traffic from `load`; after `before` s the store is stopped for `down` s, then started
    again; traffic goes on until `settle` s of all-200 answers, or `give_up` s after the store's
    return (a load that cannot tell while running just waits `give_up` s)."""
    with load(update_url, action_url) as traffic:
        time.sleep(before)
        stopped_at = time.monotonic()
        stop_store()
        time.sleep(max(0.0, down - (time.monotonic() - stopped_at)))
        start_store()
        back_at = store_serves(emulator_host, time.monotonic() + 120)
        while time.monotonic() < back_at + give_up:
            time.sleep(0.25)
            seen = traffic.since(back_at)
            recovered = None if seen is None else _recovered_at(seen, back_at)
            if recovered is not None and time.monotonic() - recovered >= settle:
                break
    answers = list(traffic.answers)
    recovered_at = _recovered_at(answers, back_at)
    return OutageResult(answers, stopped_at, back_at, recovered_at, store_timeout)


# --- `make bench`: the outage section ---------------------------------------------------------

P95_MARGIN = 0.5  # issue 17: p95 within the store timeout plus half a second
OPEN_P50_MS = 50.0  # ... p50 under 50 ms once the breaker is open
RECOVERY_S = 5.0  # ... every answer a 200 within 5 s of the store's return
# Seconds the emulator stays stopped: long enough for gRPC's default reconnect backoff to grow
# to tens of seconds (without the capped backoff, recovery took 15 s after a 40 s outage).
DOWN = 40.0


@dataclass(frozen=True)
class OutageBench:
    """The scenario's result and the floor measured beside it."""

    result: OutageResult
    health_p50_ms: float  # HTTP health GET at the same concurrency: an answer with no store call
    threads: dict[str, int]


def measure(log_dir: Path) -> OutageBench:
    """Its own emulator and functions (production settings: STORE_TIMEOUT_SECONDS as deployed,
    THREADS as Terraform sets them), warmed up, then the outage under `hey` load."""
    from devtools.bench_stats import run_hey  # noqa: PLC0415
    from devtools.processes import free_port, start_emulator, start_function  # noqa: PLC0415
    from devtools.stack import function_env  # noqa: PLC0415
    from shared.infra.settings import INSTANCE_CONCURRENCY, Settings  # noqa: PLC0415

    logs, port = log_dir / "outage", free_port()
    timeout = Settings().store_timeout_seconds
    state = {"emulator": start_emulator(logs, port)}
    env = function_env(f"127.0.0.1:{port}", {"STORE_TIMEOUT_SECONDS": str(timeout)})
    functions = [start_function(name, env, logs) for name in ("update_context", "chart_action")]
    try:
        urls = (functions[0].url, functions[1].url)
        for _, url, body in HeyTraffic(*urls).targets():
            run_hey(url, body, 8, 800)  # open the channels, warm the emulator's JIT
        health = run_hey(urls[0], None, CLIENTS, 4000)

        def stop() -> None:
            state["emulator"].stop()

        def start() -> None:
            state["emulator"] = start_emulator(logs, port)

        result = run_outage(
            *urls, f"127.0.0.1:{port}", stop, start, store_timeout=timeout, load=HeyTraffic,
            before=3.0, down=DOWN, give_up=10.0,
        )  # fmt: skip
    finally:
        for process in functions:
            process.stop()
        state["emulator"].stop()
    return OutageBench(result, health.p50, dict(INSTANCE_CONCURRENCY))


def _verdict(ok: bool) -> str:
    return "met" if ok else "missed"


def render(bench: OutageBench) -> list[str]:
    """The docs/benchmarks.md section."""
    result, n = bench.result, bench.result.summary()
    limit_ms = (result.store_timeout + P95_MARGIN) * 1000
    recovery = n["recovery_s"]
    recovered = "not within 10 s" if recovery is None else f"{recovery:.2f} s"
    threads = ", ".join(f"{fn} {count}" for fn, count in bench.threads.items())
    open_p50 = float(n["open_p50_ms"] or 0)
    return [
        "",
        f"## Store outage ({CLIENTS} clients, the emulator stopped mid-run)",
        f"`hey` keeps {CLIENTS} clients on update_context (with and without `seq`) and "
        "chart_action (with a session); after 3 s the emulator is stopped (its java process "
        f"group killed), {DOWN:g} s later started again. STORE_TIMEOUT_SECONDS "
        f"{result.store_timeout:g} and THREADS ({threads}) as deployed. A fast failure answers "
        f"503/504 within {FAST * 1000:.0f} ms; recovery runs from the moment the restarted "
        "emulator serves a read to a fresh client until every answer is a 200 again.",
        "",
        "| what | value |",
        "| --- | --- |",
        f"| requests in the run / started while the store was down | {n['requests']} / "
        f"{n['during']} |",
        f"| while down: p50 / p95 / max (ms) | {n['p50_ms']:.1f} / {n['p95_ms']:.1f} / "
        f"{n['max_ms']:.0f} |",
        f"| while down: 503/504 answers / fast failures | {n['failures']} / "
        f"{float(n['fast_share'] or 0):.1%} |",
        f"| p50 once failing fast (breaker open) (ms) | {open_p50:.1f} |",
        f"| HTTP health GET at {CLIENTS} clients, p50 (floor) (ms) | {bench.health_p50_ms:.1f} |",
        f"| 5xx other than 503/504, or no answer | {n['other_5xx']} / {n['no_answer']} |",
        f"| recovery after the store's return | {recovered} |",
        "",
        f"- p95 while down **{n['p95_ms']:.0f} ms** against the store timeout + 0.5 s "
        f"({limit_ms:.0f} ms): {_verdict(float(n['p95_ms']) <= limit_ms)}",
        f"- p50 once failing fast **{open_p50:.1f} ms** "
        f"({open_p50 / bench.health_p50_ms:.2f}x the health GET floor) against {OPEN_P50_MS:g} "
        f"ms: {_verdict(open_p50 < OPEN_P50_MS)}",
        f"- recovery **{recovered}** against {RECOVERY_S:g} s: "
        f"{_verdict(recovery is not None and recovery < RECOVERY_S)}",
        f"- 5xx other than the store's 503/504: **{n['other_5xx']}**",
    ]


if __name__ == "__main__":  # the outage section alone: python -m devtools.bench_outage
    from devtools.processes import REPO

    print("\n".join(render(measure(REPO / "build" / "bench-logs"))))
