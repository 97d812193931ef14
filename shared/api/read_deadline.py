"""A deadline on reading each request of the JSON functions: its headers and its body.

functions-framework serves a WSGI function with gunicorn's gthread worker, one request per
thread (THREADS = the instance's concurrency). gunicorn waits for a connection's first byte
without a thread (its poller), but once a byte has arrived the thread reads the rest of the
headers, and later the app reads the body, from a blocking socket with no deadline at all: as
many clients as there are threads, each sending a byte every few seconds, hold every thread,
and even a health check waits until they stop (issue 25: 40 slow clients on chart_action, 80
on update_context, health unanswered after 12 s).

Here each request gets READ_DEADLINE_SECONDS from when its thread takes the connection to
read its headers and its body (at most 16 KiB: a client that cannot send that in 10 s is not
one we can serve). A read past the deadline ends as if the client had hung up
(`ReadDeadlineExceeded`, gunicorn's own NoMoreData): during the headers gunicorn drops the
connection quietly; during the body the route answers 400 and logs a client error at INFO
(`shared.api.request_body`). Writing the answer is not bounded here.

In production a client never reaches gunicorn directly: the load balancer's Google Front Ends
end the client's connection and open their own to Cloud Run, whose front end proxies HTTP/1
to the container (docs/hardening-outage.md), so a slow client ties up a front-end connection,
not a thread. Google's pages do not say that an HTTP/1 body is buffered whole before it is
forwarded, so the defence does not rely on it: the deadline covers the body as well as the
headers, and it is what protects the function wherever it runs without such a front end
(`make run`, a tunnel, another host).

functions-framework builds gunicorn's options itself and offers no setting for a worker class,
so `install()` (run by `shared.api.transport` at import, in the server's master process before
the server starts) hands its server the option `worker_class` = `DeadlineThreadWorker`
(`shared.api.deadline_worker`, which gunicorn imports when it reads its configuration: this
module imports nothing of gunicorn, so a cold start pays nothing for it).
"""

from __future__ import annotations

import os
import sys
from typing import Any

READ_DEADLINE_SECONDS = 10.0
WORKER = "shared.api.deadline_worker.DeadlineThreadWorker"


def install() -> None:
    """Have functions-framework's gunicorn run `DeadlineThreadWorker` (unless functions-framework
    was told to run its own timeout worker: THREADED_TIMEOUT_ENABLED). Idempotent; only the
    production server is affected (not its debug server, not the ASGI one)."""
    http = sys.modules.get("functions_framework._http")  # its CLI loaded it before our main
    if http is None:  # not under functions-framework's server (a test, a probe): nothing to do
        return
    server = http.HTTPServer
    if getattr(server, "read_deadline", False):
        return
    original = server.run

    def run(self: Any, host: str, port: int) -> None:
        own_worker = os.environ.get("THREADED_TIMEOUT_ENABLED", "").lower() == "true"
        if self.server_class.__name__ == "GunicornApplication" and not own_worker:
            self.options.setdefault("worker_class", WORKER)
        original(self, host, port)

    server.run = run
    server.read_deadline = True
