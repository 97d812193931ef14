"""`once`: the one way a long-lived object is built lazily and shared across request threads.

Used by `shared.app.runtime` for the process's objects and by objects that hold a client of
their own (the Alpaca provider's HTTP pool).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")


class once(Generic[T]):
    """A lazily built attribute: built once per instance under a lock, then a plain read.

    `functools.cached_property` no longer locks (Python 3.12), so two request threads could
    each build a Firestore client; this one does not.
    """

    def __init__(self, build: Callable[[Any], T]):
        self._build = build
        self._lock = threading.Lock()
        self.__doc__ = build.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> once[T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> T | once[T]:
        if instance is None:
            return self
        values = instance.__dict__
        if self._name not in values:  # after the first build the instance dict answers
            with self._lock:
                if self._name not in values:
                    values[self._name] = self._build(instance)
        return values[self._name]  # type: ignore[no-any-return]
