"""The local stack: Firestore emulator plus the functions, as `make run`, the tests and the
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
STACK_FUNCTIONS = ("update_context", "chart_action", "chatkit")


@dataclass(frozen=True)
class LocalStack:
    """Where the running pieces answer."""

    emulator_host: str
    update_context_url: str
    chart_action_url: str
    processes: tuple[ManagedProcess, ...]
    chatkit_url: str = ""


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
    ports: tuple[int | None, ...] = (None, None, None, None),
    env: Mapping[str, str] | None = None,
    source_root: Path | None = None,
) -> Iterator[LocalStack]:
    """Emulator + update_context + chart_action + chatkit; everything is stopped on exit.
    `ports`: emulator, update_context, chart_action, chatkit (None picks a free one)."""
    emulator_port, *function_ports = (*ports, None, None, None, None)[:4]
    root = source_root or REPO / "functions"
    with ExitStack() as stack:
        host = stack.enter_context(emulator(log_dir, emulator_port))
        fenv = function_env(host, env)
        processes = []
        for name, port in zip(STACK_FUNCTIONS, function_ports, strict=True):
            process = start_function(name, fenv, log_dir, port, root / name)
            stack.callback(process.stop)
            processes.append(process)
        urls = [p.url for p in processes]
        yield LocalStack(host, urls[0], urls[1], tuple(processes), chatkit_url=urls[2])
