"""Slow clients cannot starve a function (issue 25): as many connections as the function has
server threads trickle their headers (chart_action) or their body (update_context) a byte at
a time, and a health check must still be answered once the read deadline has cut them off.
chatkit (one event loop, no thread per connection) is checked with as many slow clients as
its instance takes requests. Loopback only; every loop is bounded.
"""

from __future__ import annotations

import socket
import threading
import time
from urllib.parse import urlsplit

import requests

from shared.api.read_deadline import READ_DEADLINE_SECONDS
from shared.infra.settings import INSTANCE_CONCURRENCY

TRICKLE_SECONDS = READ_DEADLINE_SECONDS + 8  # clients keep trickling well past the deadline
SLACK = 4.0  # scheduling on a loaded 2-core machine


def trickle(url: str, opening: bytes, stop: threading.Event, cut: list[float]) -> None:
    """Send `opening` (a request up to where it stalls), then a byte every 0.3 s."""
    parts = urlsplit(url)
    started = time.monotonic()
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
            sock.sendall(opening.replace(b"HOST", parts.netloc.encode()))
            while not stop.is_set() and time.monotonic() - started < TRICKLE_SECONDS:
                sock.sendall(b"a")
                time.sleep(0.3)
                sock.setblocking(False)
                try:
                    if sock.recv(4096) == b"":
                        break  # the server closed the connection
                except BlockingIOError:
                    pass
                finally:
                    sock.setblocking(True)
    except OSError:
        pass  # reset by the server: cut off
    cut.append(time.monotonic() - started)


def starve(url: str, opening: bytes, clients: int) -> tuple[float, list[float]]:
    """Seconds until a health check is answered with `clients` slow clients connected, and how
    long each slow client was kept."""
    stop, cut = threading.Event(), []
    workers = [threading.Thread(target=trickle, args=(url, opening, stop, cut), daemon=True)
               for _ in range(clients)]  # fmt: skip
    for worker in workers:
        worker.start()
    time.sleep(1.5)  # every slow client has sent its first bytes and holds a thread
    started = time.monotonic()
    try:
        answered = requests.get(url, timeout=TRICKLE_SECONDS).status_code == 200
        waited = time.monotonic() - started if answered else float("inf")
    except requests.RequestException:
        waited = float("inf")
    stop.set()
    for worker in workers:
        worker.join(TRICKLE_SECONDS + 5)
    return waited, cut


HEADERS = b"GET / HTTP/1.1\r\nHost: HOST\r\nX-Slow: "
BODY = (
    b"POST / HTTP/1.1\r\nHost: HOST\r\nContent-Type: application/json\r\n"
    b"Content-Length: 4000\r\n\r\n{"
)


def test_slow_headers_and_bodies_cannot_starve_the_json_functions(function_servers):
    results: dict[str, tuple[float, list[float]]] = {}
    checks = [
        ("chart_action", function_servers.chart_action_url, HEADERS),
        ("update_context", function_servers.update_context_url, BODY),
    ]

    def measure(name: str, url: str, opening: bytes) -> None:
        results[name] = starve(url, opening, INSTANCE_CONCURRENCY[name])

    runners = [threading.Thread(target=measure, args=check) for check in checks]
    for runner in runners:
        runner.start()
    for runner in runners:
        runner.join(3 * TRICKLE_SECONDS)
    for name, (waited, cut) in results.items():
        assert waited < READ_DEADLINE_SECONDS + SLACK, f"{name}: health answered after {waited}"
        assert len(cut) == INSTANCE_CONCURRENCY[name]
        assert max(cut) < READ_DEADLINE_SECONDS + SLACK, f"{name}: a slow client kept {max(cut)}"
    assert set(results) == {"update_context", "chart_action"}


def test_slow_clients_cannot_starve_chatkit(chatkit_with):
    url = chatkit_with()
    body = BODY.replace(b"POST / ", b"POST /api/chatkit ")
    waited, _cut = starve(url, body, 40)
    assert waited < SLACK, f"chatkit's health answered after {waited}"
