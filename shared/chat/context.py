"""What one ChatKit request knows about its caller: the chart session, and the threads it owns.

chatkit passes this object to every store call of the request. The store records the threads it
has already checked (owned, not expired) so that the several calls one turn makes (load the
thread, add the user message, add the answer) read the thread document once, not each time.
In a turn it also carries the item writes still in flight (see `defer_item_writes`), and the
thread it creates until that thread's first item is written with it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from hashlib import sha256
from typing import Any


def owner_tag(session_id: str) -> str:
    """The owner field stored on a thread: a hash, so the threads collection holds no raw
    session id (a session id is a capability: whoever has it can steer that chart)."""
    return sha256(session_id.encode()).hexdigest()


@dataclass
class ChatRequestContext:
    """One request's caller; `owned` maps thread ids checked in this request to expiry, and
    `loaded` keeps their metadata (a `chatkit.types.ThreadMetadata`) for a second load."""

    session_id: str  # the key of the chart session's document (the caller's: shared.auth)
    # With identity, the user the threads belong to (`Principal.owner_key`): their threads
    # follow them to every device and chart session. None: the chart session owns them.
    owner_key: str | None = None
    # Who the turn's model spend is counted against (`shared.auth.spender.spender_key`).
    spender: str = ""
    owned: dict[str, datetime] = field(default_factory=dict)
    loaded: dict[str, Any] = field(default_factory=dict)
    early_action: tuple[str, Any] | None = None  # (message, task) begun before chatkit's writes
    turn_plan: Any = None  # the message's `shared.core.plan.Plan`, made once per turn
    # the turn's thread, for the chart document: its id, "" for the message that creates one,
    # None outside a turn (the chart on show)
    chart_thread: str | None = None
    # Turns write items behind the stream (the chart effect need not wait for the user
    # message's write); `pending` is the last of those writes, each chained to the one before.
    # The endpoint awaits it before the stream ends (`FirestoreThreadStore.flush`).
    defer_item_writes: bool = False
    pending: asyncio.Task[None] | None = None
    # The write that stores each item written behind, by item id: the stream shows an item
    # as done only once its write has landed (`shared.chat.endpoint`).
    writes: dict[str, asyncio.Task[None]] = field(default_factory=dict)
    # A thread created in this turn, not yet written: it is written with the turn's first
    # item in one commit, so a thread never exists without its first message.
    unsaved: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Each thread's update time as read: a delete is conditioned on it (no item lands between).
    versions: dict[str, datetime] = field(default_factory=dict)

    @property
    def owner(self) -> str:
        return owner_tag(self.owner_key or self.session_id)
