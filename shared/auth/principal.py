"""Who a request acts for, and how that files what it stores.

Without identity every caller is `ANONYMOUS` and a chart session's documents are keyed by the
session id itself, as before. With identity the key of a chart session's document is a hash
of (issuer, subject, session id): a user reaches only the sessions they opened, a leaked
session id is no key to anyone else's chart, and the store holds no raw subject. A user's
threads are owned by a hash of (issuer, subject), so they follow the user to any device.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from hashlib import sha256
from typing import TypeVar

from pydantic import BaseModel

from shared.auth.spender import spender_key

R = TypeVar("R", bound=BaseModel)

USER_KEY_PREFIX = "u_"  # a valid session id (SessionId: 16-128 of [A-Za-z0-9_-])


@dataclass(frozen=True, slots=True)
class Principal:
    """The verified caller: an issuer's subject, or nobody in particular (identity off)."""

    issuer: str | None = None
    subject: str | None = None
    # the client address the load balancer reports (`shared.auth.spender`): who pays for the
    # model when there is no user
    address: str = "unknown"

    @property
    def is_user(self) -> bool:
        return self.subject is not None

    def session_key(self, session_id: str) -> str:
        """The id a chart session's document is stored under for this caller."""
        if self.subject is None:
            return session_id
        digest = sha256("\0".join((self.issuer or "", self.subject, session_id)).encode())
        return USER_KEY_PREFIX + digest.hexdigest()

    def scope(self, request: R) -> R:
        """A request model with its `session_id` replaced by this caller's key for it (the
        request the layers below see; nothing below knows about identity)."""
        session_id = getattr(request, "session_id", None)
        if session_id is None or self.subject is None:
            return request
        return request.model_copy(update={"session_id": self.session_key(session_id)})

    def owner_key(self) -> str | None:
        """What the caller's threads are owned by: None means "the chart session" (identity
        off); a NUL-separated string no session id can equal (hashed by the thread store)."""
        if self.subject is None:
            return None
        return "\0".join(("user", self.issuer or "", self.subject))

    def at(self, address: str) -> Principal:
        """This caller, connecting from `address`."""
        return replace(self, address=address)

    @property
    def spender(self) -> str:
        """Whom the caller's model turns are counted against (`shared.llm.spend`)."""
        return spender_key(self.owner_key(), self.address)


ANONYMOUS = Principal()
