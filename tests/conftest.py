"""Shared fixtures: a real Firestore emulator and real functions-framework servers.

One emulator serves the whole run (started here unless FIRESTORE_EMULATOR_HOST is set, and
stopped with its whole process group). Function servers are real subprocesses reached over
HTTP; `function_servers` uses the default configuration and `servers_with` starts extra ones
for a given environment (a token, a short TTL), cached for the run.
"""

from __future__ import annotations

import os
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from devtools.processes import REPO, ManagedProcess, start_function
from devtools.stack import LOCAL_PROJECT, emulator, function_env

LOG_DIR = REPO / "build" / "test-logs"


@dataclass(frozen=True)
class FunctionServers:
    """Base URLs of one update_context and one chart_action server."""

    update_context_url: str
    chart_action_url: str
    processes: tuple[ManagedProcess, ...]


@pytest.fixture(scope="session")
def firestore_emulator() -> Iterator[str]:
    """`host:port` of the Firestore emulator; FIRESTORE_EMULATOR_HOST points at it."""
    os.environ.setdefault("GOOGLE_CLOUD_PROJECT", LOCAL_PROJECT)
    with emulator(LOG_DIR) as host:
        previous = os.environ.get("FIRESTORE_EMULATOR_HOST")
        os.environ["FIRESTORE_EMULATOR_HOST"] = host
        yield host
        if previous is None:
            os.environ.pop("FIRESTORE_EMULATOR_HOST", None)


def clear_emulator(host: str) -> None:
    """Delete every document in the emulator's default database."""
    project = os.environ.get("GOOGLE_CLOUD_PROJECT", LOCAL_PROJECT)
    url = f"http://{host}/emulator/v1/projects/{project}/databases/(default)/documents"
    urllib.request.urlopen(urllib.request.Request(url, method="DELETE"), timeout=10).close()


@pytest.fixture
def clean_firestore(firestore_emulator: str) -> str:
    """The emulator, emptied before the test."""
    clear_emulator(firestore_emulator)
    return firestore_emulator


@pytest.fixture(scope="session")
def servers_with(firestore_emulator: str) -> Iterator[Callable[..., FunctionServers]]:
    """Factory: both functions started with extra environment (cached per distinct env)."""
    started: dict[tuple[tuple[str, str], ...], FunctionServers] = {}
    with ExitStack() as stack:

        def start(source_root: Path | None = None, **env: str) -> FunctionServers:
            key = (*sorted(env.items()), ("source", str(source_root)))
            if key not in started:
                fenv = function_env(firestore_emulator, env)
                processes = []
                for name in ("update_context", "chart_action"):
                    source = (source_root or REPO / "functions") / name
                    process = start_function(name, fenv, LOG_DIR, source_dir=source)
                    stack.callback(process.stop)
                    processes.append(process)
                started[key] = FunctionServers(processes[0].url, processes[1].url, tuple(processes))
            return started[key]

        yield start


@pytest.fixture(scope="session")
def function_servers(servers_with: Callable[..., FunctionServers]) -> FunctionServers:
    """Both functions with the default local configuration (no token, sample market data)."""
    return servers_with()


@pytest.fixture(scope="session")
def chatkit_with(firestore_emulator: str) -> Iterator[Callable[..., str]]:
    """Factory: the URL of a chatkit server (functions-framework --asgi) with extra environment,
    one process per distinct environment and source folder."""
    running: dict[tuple[str, ...], ManagedProcess] = {}

    def url(source_root: Path | None = None, **env: str) -> str:
        key = (str(source_root), *(f"{k}={v}" for k, v in sorted(env.items())))
        if key not in running:
            folder = (source_root or REPO / "functions") / "chatkit"
            fenv = function_env(firestore_emulator, env)
            logs = LOG_DIR / f"chatkit-{len(running)}"  # one log per server
            running[key] = start_function("chatkit", fenv, logs, source_dir=folder)
        return running[key].url

    yield url
    for process in running.values():
        process.stop()
