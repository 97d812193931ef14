"""A cold start without the cycle collector.

Booting a function allocates hundreds of thousands of objects that live as long as the process
(module dicts, pydantic validators, compiled patterns, the Firestore client's protobuf
classes), and none of them is garbage. CPython's cycle collector still runs on every 700 new
allocations and walks them: about 200 collections during chart_action's imports, some 30 ms of
the first answer on this machine (`make bench`, cold start). So the collector is paused while a
function boots, and what boot built is frozen into the permanent generation, so that later
collections during requests do not walk it either (`gc.freeze`).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block (a function's imports and boot) with the cycle collector off; then freeze
    what it built and turn the collector back on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
