"""Start and stop local servers as process groups, so nothing outlives its owner.

The Firestore emulator is a gcloud wrapper around a java process: killing only the wrapper
leaves java running. Every server here therefore starts in its own session (process group) and
is stopped by signalling the whole group.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from shared.infra.settings import INSTANCE_CONCURRENCY

REPO = Path(__file__).resolve().parent.parent
ASGI_TARGETS = frozenset({"chatkit"})  # async functions: functions-framework --asgi


def free_port() -> int:
    """A TCP port on loopback that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ManagedProcess:
    """A child process group plus where to reach it."""

    name: str
    process: subprocess.Popen[bytes]
    url: str
    log_path: Path

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM the whole group, then SIGKILL whatever is left."""
        if self.process.poll() is not None:
            return
        for sig in (signal.SIGTERM, signal.SIGKILL):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=timeout)
                break
            except subprocess.TimeoutExpired:
                continue
        with contextlib.suppress(ProcessLookupError):  # stragglers in the group (java)
            os.killpg(self.process.pid, signal.SIGKILL)

    def log_tail(self, lines: int = 30) -> str:
        """The end of the process's output, for error messages."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def start_process(
    name: str,
    argv: list[str],
    url: str,
    env: Mapping[str, str],
    log_dir: Path,
    *,
    ready_timeout: float = 60.0,
    cwd: Path = REPO,
) -> ManagedProcess:
    """Start `argv` in a new process group and wait until `url` answers any HTTP status."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            argv,
            cwd=cwd,
            env={**os.environ, **env},
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    managed = ManagedProcess(name, process, url, log_path)
    try:
        wait_until_up(url, ready_timeout, process)
    except (RuntimeError, TimeoutError) as exc:
        managed.stop()
        raise RuntimeError(f"{name} did not start: {exc}\n{managed.log_tail()}") from None
    except BaseException:
        managed.stop()
        raise
    return managed


def wait_until_up(url: str, timeout: float, process: subprocess.Popen[bytes] | None = None) -> None:
    """Poll `url` until any HTTP answer arrives; fail early if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: process exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError:
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not come up within {timeout:.0f}s")


FIRESTORE_RULES = REPO / "firestore.rules"


def start_emulator(log_dir: Path, port: int | None = None) -> ManagedProcess:
    """The real Firestore emulator (gcloud) on a free loopback port, enforcing firestore.rules
    on browsers as production does. The server SDK authenticates to the emulator as its owner
    and bypasses the rules, as it does with IAM in production, so the functions are unaffected
    (tests/e2e/test_firestore_rules.py checks both sides)."""
    port = port or free_port()
    argv = [
        *("gcloud", "emulators", "firestore", "start"),
        *(f"--host-port=127.0.0.1:{port}", f"--rules={FIRESTORE_RULES}", "--quiet"),
    ]
    url = f"http://127.0.0.1:{port}"
    return start_process("firestore-emulator", argv, url, {}, log_dir, ready_timeout=120)


def start_function(
    target: str,
    env: Mapping[str, str],
    log_dir: Path,
    port: int | None = None,
    source_dir: Path | None = None,
    *,
    site: Path | None = None,
) -> ManagedProcess:
    """functions-framework serving one function, from the repo or from a built bundle; with
    `site` (a bundle's own packages, `devtools.bundle_site`) nothing else is importable. A WSGI
    function gets as many server threads as its instance takes requests in production
    (THREADS, as Terraform sets it), unless `env` says otherwise."""
    port = port or free_port()
    if target in INSTANCE_CONCURRENCY:
        env = {"THREADS": str(INSTANCE_CONCURRENCY[target]), **env}
    source_dir = source_dir or REPO / "functions" / target
    argv = [
        sys.executable,
        *(["-S"] if site else []),
        "-m",
        "functions_framework",
        f"--source={source_dir / 'main.py'}",
        f"--target={target}",
        "--host=127.0.0.1",
        f"--port={port}",
        *(["--asgi"] if target in ASGI_TARGETS else []),
    ]
    url = f"http://127.0.0.1:{port}"
    if source_dir.is_relative_to(REPO / "functions"):  # repo layout: `shared` lives at the root
        full_env = {"PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1", **env}
        return start_process(target, argv, url, full_env, log_dir)
    # A built bundle must import on its own, as in Cloud Functions: its folder, no PYTHONPATH.
    bundle_env = {"PYTHONPATH": str(site or ""), "PYTHONUNBUFFERED": "1", **env}
    return start_process(target, argv, url, bundle_env, log_dir, cwd=source_dir)
