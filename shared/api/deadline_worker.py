"""gunicorn's gthread worker with a deadline on reading each request (`shared.api.read_deadline`
says why). gunicorn imports this module by name when functions-framework starts it."""

from __future__ import annotations

import socket
import time
from typing import Any

from gunicorn.http.errors import NoMoreData
from gunicorn.workers.gthread import ThreadWorker

from shared.api.read_deadline import READ_DEADLINE_SECONDS


class ReadDeadlineExceeded(NoMoreData):
    """The client did not send its request within READ_DEADLINE_SECONDS."""

    def __str__(self) -> str:
        return f"request not read within {READ_DEADLINE_SECONDS:g} s"


class DeadlineSocket:
    """A connection's socket whose reads end at `deadline` (monotonic seconds); everything
    else is the socket's own. gunicorn's parser reads only through `recv`."""

    def __init__(self, sock: socket.socket):
        self._sock = sock
        self.deadline = float("inf")

    def recv(self, size: int, *flags: int) -> bytes:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise ReadDeadlineExceeded()
        previous = self._sock.gettimeout()
        self._sock.settimeout(left)
        try:
            return self._sock.recv(size, *flags)
        except TimeoutError:
            raise ReadDeadlineExceeded() from None
        finally:
            self._sock.settimeout(previous)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class DeadlineThreadWorker(ThreadWorker):
    """gunicorn's gthread worker, each request's reading bounded by READ_DEADLINE_SECONDS."""

    def handle(self, conn: Any) -> Any:
        """Runs in a worker thread for each request of a connection (a kept-alive connection
        comes back here for its next request): the deadline starts now."""
        if not isinstance(conn.sock, DeadlineSocket):
            conn.sock = DeadlineSocket(conn.sock)
        conn.sock.deadline = time.monotonic() + READ_DEADLINE_SECONDS
        return super().handle(conn)
