"""Fixtures for every test folder (unit/, http/, e2e/): a real Firestore emulator and real
functions-framework servers; the helpers they use are in tests/helpers.py.

One emulator serves the whole run (started here unless FIRESTORE_EMULATOR_HOST is set, and
stopped with its whole process group). Function servers are real subprocesses reached over
HTTP; `function_servers` uses the default configuration and `servers_with` starts extra ones
for a given environment (a token, a short TTL), cached for the run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from devtools.bundle_site import link_site
from devtools.processes import REPO, ManagedProcess, start_function
from devtools.stack import LOCAL_PROJECT, emulator, function_env
from tests.helpers import LOG_DIR, MARKET_DAY, FunctionServers, clear_emulator

# Every expected value assumes this sample-market day; function servers inherit the variable.
os.environ["SAMPLE_MARKET_DAY"] = MARKET_DAY

__all__ = ["LOG_DIR", "FunctionServers"]  # imported by tests/test_terraform*.py and others


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


@pytest.fixture
def clean_firestore(firestore_emulator: str) -> str:
    """The emulator, emptied before the test."""
    clear_emulator(firestore_emulator)
    return firestore_emulator


@pytest.fixture(scope="session")
def servers_with(firestore_emulator: str) -> Iterator[Callable[..., FunctionServers]]:
    """Factory: both functions started with extra environment (cached per distinct env).

    With `own_site=True` (bundles only) each function sees nothing but the packages of its own
    requirements.txt, as in Cloud Functions."""
    started: dict[tuple[tuple[str, str], ...], FunctionServers] = {}
    with ExitStack() as stack:

        def start(
            source_root: Path | None = None, own_site: bool = False, **env: str
        ) -> FunctionServers:
            key = (*sorted(env.items()), ("source", str(source_root)), ("site", str(own_site)))
            if key not in started:
                fenv = function_env(firestore_emulator, env)
                processes = []
                for name in ("update_context", "chart_action"):
                    source = (source_root or REPO / "functions") / name
                    site = (
                        link_site(source / "requirements.txt", LOG_DIR.parent / "sites" / name)
                        if own_site
                        else None
                    )
                    process = start_function(name, fenv, LOG_DIR, source_dir=source, site=site)
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

    url.processes = running  # type: ignore[attr-defined]  # tests read a server's log

    yield url
    for process in running.values():
        process.stop()
