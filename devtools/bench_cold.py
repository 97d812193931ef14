"""Cold start in `make bench`: from a new process to its first right answer, against a reference.

A function scales from zero, so a new instance makes someone wait for its first answer. Each
round starts every function the way Cloud Functions does (`python -m functions_framework` on
its built bundle, the Firestore emulator already running) and sends its real first request
again and again until the answer is right; the time from `Popen` to that answer is the round's
figure. The reference (devtools/cold_reference: one Firestore read and one write with the
official client, nothing else) is started the same way in the same round, so a busy machine
slows both; the table gives medians over the rounds and each function's ratio to the
reference. The import-time table comes from `python -X importtime` of each bundle's `main`.

`python -m devtools.bench_cold` runs this part alone (its own emulator unless
FIRESTORE_EMULATOR_HOST is set).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from devtools.build import build_bundle
from devtools.processes import REPO, ManagedProcess, free_port
from devtools.stack import function_env

ROUNDS = 5
REFERENCE = "reference"
REFERENCE_SOURCE = REPO / "devtools" / "cold_reference"
SESSION = "cold_start_session_0123456789"
QUERY = "draw support and resistance for TSLA"
# What "first right answer" is per function: the Done-when ratios of issue 24.
TARGETS = {"update_context": 1.2, "chart_action": 1.5, "chatkit": 2.5}
ASGI = frozenset({"chatkit"})
GIVE_UP_SECONDS = 60.0
POLL_SECONDS = 0.005


def _reference_ok(response: requests.Response) -> bool:
    return response.status_code == 200 and response.json().get("ok") is True


def _update_ok(response: requests.Response) -> bool:
    return response.status_code == 200 and response.json()["chart_context"]["symbol"] == "TSLA"


def _action_ok(response: requests.Response) -> bool:
    if response.status_code != 200:
        return False
    commands = response.json()["chart_commands"]
    return any(c.startswith("SUPPORT:") for c in commands)


def _chatkit_ok(response: requests.Response) -> bool:
    """The stream's first `chart_commands` client effect carries support lines."""
    if response.status_code != 200:
        return False
    for line in response.iter_lines(chunk_size=None):
        if line.startswith(b"data: "):
            event = json.loads(line[6:])
            if event["type"] == "client_effect" and event["name"] == "chart_commands":
                return any(c.startswith("SUPPORT:") for c in event["data"]["commands"])
    return False


@dataclass(frozen=True)
class FirstRequest:
    """The request a new instance of one function first answers, and how to judge it."""

    target: str
    source: Path
    path: str
    body: dict[str, Any]
    right: Callable[[requests.Response], bool]
    headers: tuple[tuple[str, str], ...] = ()


def first_requests(build_root: Path) -> dict[str, FirstRequest]:
    """Every function's first request, on its built bundle (what Cloud Functions deploys)."""
    context = {"session_id": SESSION, "symbol": "TSLA", "timeframe": "1D"}
    chat = {"type": "threads.create", "params": {"input": {
        "content": [{"type": "input_text", "text": QUERY}], "attachments": [],
        "inference_options": {}}}}  # fmt: skip
    return {
        REFERENCE: FirstRequest(REFERENCE, REFERENCE_SOURCE, "/", context, _reference_ok),
        "update_context": FirstRequest(
            "update_context", build_bundle("update_context", build_root), "/", context, _update_ok
        ),
        "chart_action": FirstRequest(
            "chart_action",
            build_bundle("chart_action", build_root),
            "/",
            {"query": QUERY, "session_id": SESSION},
            _action_ok,
        ),
        "chatkit": FirstRequest(
            "chatkit",
            build_bundle("chatkit", build_root),
            "/api/chatkit",
            chat,
            _chatkit_ok,
            headers=(("X-Chart-Session", SESSION),),
        ),
    }


def time_to_first_answer(case: FirstRequest, env: dict[str, str], log_dir: Path) -> float:
    """Seconds from starting a new functions-framework process to its first right answer."""
    port = free_port()
    argv = [
        sys.executable, "-m", "functions_framework", f"--source={case.source / 'main.py'}",
        f"--target={case.target}", "--host=127.0.0.1", f"--port={port}",
        *(["--asgi"] if case.target in ASGI else []),
    ]  # fmt: skip
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"cold-{case.target}.log"
    url = f"http://127.0.0.1:{port}{case.path}"
    with log_path.open("wb") as log_file:
        started = time.perf_counter()
        process = subprocess.Popen(
            argv, cwd=case.source, env={**os.environ, **env, "PYTHONPATH": ""},
            stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
    managed = ManagedProcess(case.target, process, url, log_path)
    try:
        with requests.Session() as http:
            while time.perf_counter() - started < GIVE_UP_SECONDS:
                if process.poll() is not None:
                    raise RuntimeError(f"{case.target} exited:\n{managed.log_tail()}")
                try:
                    response = http.post(
                        url, json=case.body, headers=dict(case.headers), stream=True, timeout=30
                    )
                except requests.ConnectionError:
                    time.sleep(POLL_SECONDS)
                    continue
                with response:
                    if case.right(response):
                        return time.perf_counter() - started
                raise RuntimeError(f"{case.target}: wrong first answer {response.status_code}")
        raise TimeoutError(f"{case.target} gave no right answer in {GIVE_UP_SECONDS:.0f}s")
    finally:
        managed.stop()


@dataclass(frozen=True)
class ColdStart:
    """Per function: every round's seconds, and each round's ratio to the reference."""

    rounds: dict[str, list[float]]

    def median_ms(self, function: str) -> float:
        return statistics.median(self.rounds[function]) * 1000

    def ratio(self, function: str) -> float:
        """Median over the rounds of (this function / the reference in the same round)."""
        pairs = zip(self.rounds[function], self.rounds[REFERENCE], strict=True)
        return statistics.median(mine / ref for mine, ref in pairs)


def measure(emulator_host: str, log_dir: Path, rounds: int = ROUNDS) -> ColdStart:
    """`rounds` rounds, each starting every function once (the reference first)."""
    cases = first_requests(REPO / "build")
    env = function_env(emulator_host)
    found: dict[str, list[float]] = defaultdict(list)
    for case in cases.values():  # once unmeasured: page cache, .pyc files, the emulator's JIT
        time_to_first_answer(case, env, log_dir)
    for number in range(rounds):
        for name, case in cases.items():
            found[name].append(time_to_first_answer(case, env, log_dir))
        print(f"cold start round {number + 1}: " + ", ".join(
            f"{n} {s[-1] * 1000:.0f} ms" for n, s in found.items()), flush=True)  # fmt: skip
    return ColdStart(dict(found))


def import_table(source: Path, runs: int = 3, top: int = 8) -> list[tuple[str, float]]:
    """The packages importing `main` spends most in (its own self time, summed per top-level
    package; `shared` split per layer), median of `runs` fresh `python -X importtime`."""
    samples: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs):
        completed = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import main"], cwd=source,
            env={**os.environ, "PYTHONPATH": ""}, capture_output=True, text=True, check=True,
        )  # fmt: skip
        totals: dict[str, float] = defaultdict(float)
        for line in completed.stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            _, self_us, _, name = (part.strip() for part in line.replace(":", "|", 1).split("|"))
            parts = name.split(".")
            key = ".".join(parts[:2]) if parts[0] == "shared" else parts[0]
            totals[key] += int(self_us) / 1000
        for key, ms in totals.items():
            samples[key].append(ms)
    medians = {key: statistics.median(values + [0.0] * (runs - len(values)))
               for key, values in samples.items()}  # fmt: skip
    return sorted(medians.items(), key=lambda item: -item[1])[:top]


def render(cold: ColdStart, imports: dict[str, list[tuple[str, float]]]) -> list[str]:
    """The cold-start section of docs/benchmarks.md."""
    reference = cold.median_ms(REFERENCE)
    lines = [
        "",
        "## Cold start: process start to first right answer",
        f"{len(cold.rounds[REFERENCE])} rounds; each starts every function's built bundle with "
        "functions-framework (the emulator running) and sends its first request until the "
        "answer is right. The reference (devtools/cold_reference) does one Firestore read and "
        "one write with the official client. Ratio: the median over rounds of the function's "
        "time over the reference's in the same round. No OpenAI key.",
        "",
        "| function | first request | median (ms) | min-max (ms) | ratio to the reference "
        "| target |",
        "| --- | --- | --- | --- | --- | --- |",
        f"| reference | read + write | {reference:.0f} | {_spread(cold.rounds[REFERENCE])} "
        "| 1.00x | |",
    ]
    asked = {"update_context": "context POST", "chart_action": f"{QUERY!r}",
             "chatkit": "threads.create -> first chart_commands effect"}  # fmt: skip
    for name, limit in TARGETS.items():
        ratio = cold.ratio(name)
        verdict = "met" if ratio <= limit else "missed"
        lines.append(
            f"| {name} | {asked[name]} | {cold.median_ms(name):.0f} | "
            f"{_spread(cold.rounds[name])} | **{ratio:.2f}x** | <= {limit:g}x ({verdict}) |"
        )
    lines += [
        "",
        "### Import time of each bundle's `main` (`python -X importtime`, self time per package, "
        "median of 3, ms)",
        "",
        "| function | top packages |",
        "| --- | --- |",
    ]
    lines += [
        f"| {name} | {', '.join(f'{pkg} {ms:.0f}' for pkg, ms in table)} |"
        for name, table in imports.items()
    ]
    return lines


def _spread(seconds: list[float]) -> str:
    return f"{min(seconds) * 1000:.0f}-{max(seconds) * 1000:.0f}"


def measure_imports() -> dict[str, list[tuple[str, float]]]:
    """The import-time table for every function and the reference (bundles built)."""
    cases = first_requests(REPO / "build")
    return {name: import_table(case.source) for name, case in cases.items()}


def main() -> int:
    """This section alone."""
    from devtools.stack import emulator  # noqa: PLC0415

    log_dir = REPO / "build" / "bench-logs"
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else ROUNDS
    with emulator(log_dir) as host:
        cold = measure(host, log_dir, rounds)
    print("\n".join(render(cold, measure_imports())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
