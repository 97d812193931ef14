"""Latency statistics and the load generator wrapper used by `make bench`."""

from __future__ import annotations

import csv
import io
import json
import shutil
import statistics
import subprocess
from dataclasses import dataclass
from typing import Any

HEY_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Latency:
    """Percentiles in milliseconds, plus throughput when measured under load."""

    count: int
    p50: float
    p95: float
    p99: float
    throughput: float | None = None
    errors: int = 0

    @classmethod
    def from_seconds(
        cls, samples: list[float], wall: float | None = None, errors: int = 0
    ) -> Latency:
        """Summarise raw per-request durations (seconds)."""
        ms = sorted(s * 1000 for s in samples)
        cuts = statistics.quantiles(ms, n=100, method="inclusive")
        rate = len(ms) / wall if wall else None
        return cls(len(ms), cuts[49], cuts[94], cuts[98], rate, errors)


def hey_binary() -> str:
    """The `hey` load generator (Debian package `hey`), installed by `make bench`."""
    path = shutil.which("hey")
    if path is None:
        raise SystemExit("hey is missing: `apt-get install -y hey` (make bench does this)")
    return path


def run_hey(url: str, body: dict[str, Any] | None, concurrency: int, requests: int) -> Latency:
    """POST `body` (GET when None) to a loopback `url` with `hey`: bounded count, per-request
    times from its CSV output."""
    assert url.startswith("http://127.0.0.1:"), "load goes to loopback only"
    method = (
        ["-m", "GET"]
        if body is None
        else ["-m", "POST", "-T", "application/json", "-d", json.dumps(body)]
    )
    argv = [
        hey_binary(), "-n", str(requests), "-c", str(concurrency), *method,
        "-t", str(HEY_TIMEOUT_SECONDS), "-o", "csv", url,
    ]  # fmt: skip
    output = subprocess.run(argv, capture_output=True, text=True, check=True, timeout=600).stdout
    rows = list(csv.DictReader(io.StringIO(output)))
    durations = [float(r["response-time"]) for r in rows]
    errors = sum(1 for r in rows if r["status-code"] != "200")
    starts = [float(r["offset"]) for r in rows]
    wall = max(s + d for s, d in zip(starts, durations, strict=True)) - min(starts)
    return Latency.from_seconds(durations, wall, errors)
