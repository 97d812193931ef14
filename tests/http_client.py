"""A tiny HTTP helper for tests: real requests to the function servers."""

from __future__ import annotations

from typing import Any

import requests

TIMEOUT = 15


def post_json(url: str, body: Any, headers: dict[str, str] | None = None) -> requests.Response:
    """POST a JSON body."""
    return requests.post(url, json=body, headers=headers or {}, timeout=TIMEOUT)


def post_raw(url: str, data: bytes | str, content_type: str) -> requests.Response:
    """POST arbitrary bytes with a given Content-Type."""
    return requests.post(url, data=data, headers={"Content-Type": content_type}, timeout=TIMEOUT)


def new_session_id(tag: str = "") -> str:
    """A valid, unique session id."""
    import secrets  # noqa: PLC0415

    return f"test_{tag}_{secrets.token_urlsafe(16)}"[:128]
