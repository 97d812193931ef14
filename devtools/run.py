"""`make run`: the Firestore emulator, the three functions and (when present) the demo page.

Ports: UPDATE_CONTEXT_PORT (8081), CHART_ACTION_PORT (8082), CHATKIT_PORT (8083), DEMO_PORT
(8080), EMULATOR_PORT (8085). Ctrl-C stops everything, the emulator's java process included.
"""

from __future__ import annotations

import os
import signal
import sys
import threading

from devtools.processes import REPO
from devtools.stack import local_stack

LOG_DIR = REPO / "build" / "logs"


def _port(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _demo(
    update_url: str, action_url: str, chatkit_url: str, emulator_host: str
) -> tuple[str | None, object | None]:
    """Start the demo page if the web kit is present (it lives in devtools.demo_server); its
    live listener subscribes to the emulator (which runs with firestore.rules)."""
    try:
        from devtools.demo_server import start_demo_server  # noqa: PLC0415
    except ImportError:
        return None, None
    server = start_demo_server(
        _port("DEMO_PORT", 8080), update_url, action_url, chatkit_url, emulator_host=emulator_host
    )
    return server.url, server


def main() -> int:
    """Run until interrupted; print where everything answers."""
    ports = (
        _port("EMULATOR_PORT", 8085),
        _port("UPDATE_CONTEXT_PORT", 8081),
        _port("CHART_ACTION_PORT", 8082),
        _port("CHATKIT_PORT", 8083),
    )
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):  # Ctrl-C or a kill: shut everything down
        signal.signal(sig, lambda *_: stop.set())
    with local_stack(LOG_DIR, ports=ports) as stack:
        demo_url, demo = _demo(
            stack.update_context_url, stack.chart_action_url, stack.chatkit_url, stack.emulator_host
        )
        print(f"Firestore emulator  {stack.emulator_host}  (firestore.rules enforced on browsers)")
        print(f"update_context      {stack.update_context_url}/api/chatkit/update-context")
        print(f"chart_action        {stack.chart_action_url}/api/chatkit/chart-action")
        print(f"MCP                 {stack.chart_action_url}/mcp")
        print(f"chatkit             {stack.chatkit_url}/api/chatkit  (ChatKit protocol, SSE)")
        if demo_url:
            print(f"demo page           {demo_url}")
        print(f"logs                {LOG_DIR}/  — Ctrl-C stops everything", flush=True)
        while not stop.wait(0.5):  # wake up regularly so the signal handler can run
            pass
        if demo is not None:
            demo.stop()  # type: ignore[attr-defined]
    print("stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
