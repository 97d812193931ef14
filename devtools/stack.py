"""The local stack: Firestore emulator plus both functions, as `make run`, the tests and the
benchmark start it. One place knows the ports, the environment and the shutdown order.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from devtools.processes import REPO, ManagedProcess, start_emulator, start_function

LOCAL_PROJECT = "demo-chart-control"


@dataclass(frozen=True)
class LocalStack:
    """Where the running pieces answer."""

    emulator_host: str
    update_context_url: str
    chart_action_url: str
    processes: tuple[ManagedProcess, ...]


@contextmanager
def emulator(log_dir: Path, port: int | None = None) -> Iterator[str]:
    """Yield `host:port` of a Firestore emulator: the one in FIRESTORE_EMULATOR_HOST, or a new
    one that is stopped (with its java process group) on exit."""
    existing = os.environ.get("FIRESTORE_EMULATOR_HOST")
    if existing:
        yield existing
        return
    process = start_emulator(log_dir, port)
    try:
        yield process.url.removeprefix("http://")
    finally:
        process.stop()


def function_env(emulator_host: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment both functions get locally."""
    return {
        "FIRESTORE_EMULATOR_HOST": emulator_host,
        "GOOGLE_CLOUD_PROJECT": os.environ.get("GOOGLE_CLOUD_PROJECT", LOCAL_PROJECT),
        **(extra or {}),
    }


@contextmanager
def local_stack(
    log_dir: Path,
    *,
    ports: tuple[int | None, int | None, int | None] = (None, None, None),
    env: Mapping[str, str] | None = None,
    source_root: Path | None = None,
) -> Iterator[LocalStack]:
    """Emulator + update_context + chart_action; everything is stopped on exit."""
    emulator_port, update_port, action_port = ports
    root = source_root or REPO / "functions"
    with ExitStack() as stack:
        host = stack.enter_context(emulator(log_dir, emulator_port))
        fenv = function_env(host, env)
        processes = []
        for name, port in (("update_context", update_port), ("chart_action", action_port)):
            process = start_function(name, fenv, log_dir, port, root / name)
            stack.callback(process.stop)
            processes.append(process)
        yield LocalStack(host, processes[0].url, processes[1].url, tuple(processes))
