"""A TCP proxy in front of the Firestore emulator that cuts or holds single writes.

The Firestore client speaks gRPC (HTTP/2) to the emulator over one connection. The proxy
forwards bytes both ways and watches what the client sends: a write names its documents in
the clear (`.../chatkit_threads/<id>/items/<id>`), so a marker such as `b"/items/"` finds the
commit of an item. Two faults, each for the matching writes of a test and nothing else:

- `cut(marker, skip)`: the connection is cut before the matching bytes are forwarded, so that
  write never reaches Firestore (the client sees UNAVAILABLE and reconnects); the first `skip`
  matches pass.
- `hold(marker)`: the matching bytes and everything after them on that connection wait until
  `release()`; the client's deadline runs out meanwhile, then the write lands late.

Everything else passes unchanged, so the same server keeps working once the fault is cleared.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass
class Fault:
    marker: bytes
    mode: str  # "cut" or "hold"
    skip: int = 0
    seen: int = 0


class StoreProxy:
    """`host` (for FIRESTORE_EMULATOR_HOST) forwards to `upstream` with the current fault."""

    def __init__(self, upstream: str):
        upstream_host, _, port = upstream.rpartition(":")
        self._upstream = (upstream_host, int(port))
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(32)
        self.host = f"127.0.0.1:{self._listener.getsockname()[1]}"
        self._fault: Fault | None = None
        self._released = threading.Event()
        self._lock = threading.Lock()
        self._closed = False
        self.cuts = 0  # connections cut so far (a test can check its fault fired)
        self.held = 0
        threading.Thread(target=self._accept, daemon=True).start()

    # --- the test's controls -------------------------------------------------------------
    def cut(self, marker: bytes, skip: int = 0) -> None:
        with self._lock:
            self._fault = Fault(marker, "cut", skip)

    def hold(self, marker: bytes) -> None:
        self._released.clear()
        with self._lock:
            self._fault = Fault(marker, "hold")

    def release(self) -> None:
        """Clear the fault; held bytes go on."""
        with self._lock:
            self._fault = None
        self._released.set()

    def close(self) -> None:
        self._closed = True
        self.release()
        self._listener.close()

    # --- forwarding ----------------------------------------------------------------------
    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _matches(self, window: bytes) -> str | None:
        """The fault's mode when `window` holds its marker (and it is past its skips)."""
        with self._lock:
            fault = self._fault
            if fault is None or fault.marker not in window:
                return None
            fault.seen += 1
            return None if fault.seen <= fault.skip else fault.mode

    def _serve(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self._upstream, timeout=5)
        except OSError:
            client.close()
            return
        tail = b""  # the end of the previous chunk: a marker may straddle two reads
        holding = False
        with client, upstream:
            while not self._closed:
                readable, _, _ = select.select([client, upstream], [], [], 0.5)
                for source in readable:
                    try:
                        data = source.recv(65536)
                    except OSError:
                        return
                    if not data:
                        return
                    if source is upstream:
                        client.sendall(data)
                        continue
                    mode = self._matches(tail + data)
                    tail = data[-64:]
                    if mode == "cut":
                        self.cuts += 1
                        return
                    if mode == "hold" or holding:
                        if not holding:
                            self.held += 1
                        holding = True
                        self._released.wait()
                        holding = False
                    with contextlib.suppress(OSError):
                        upstream.sendall(data)


@contextlib.contextmanager
def store_proxy(upstream: str) -> Iterator[StoreProxy]:
    proxy = StoreProxy(upstream)
    try:
        yield proxy
    finally:
        proxy.close()
