"""One strict JSON decoder for every route (the JSON routes and MCP alike).

Python's `json` accepts more than RFC 8259 and fails in ways a route cannot answer cleanly:
`NaN` and `Infinity` are extensions, `1e999` becomes infinity, `"\\ud800"` becomes a lone
surrogate that cannot be encoded back to UTF-8 (so echoing or storing it raises later), an
integer literal over 4300 digits raises a bare `ValueError`, and nesting a few thousand deep
raises `RecursionError`, and a key given twice silently keeps its last value (so a filter in
front that reads the first `session_id` and this function would act on different ones). Each
of those must be a client's 400 `invalid_json` (JSON-RPC -32700
on MCP), never a 500, so this module decodes with hooks that refuse them up front and walks
the result once for what the hooks cannot see (depth, lone surrogates).

Error messages name the rule that was broken and where (line and column), never the input;
a duplicate key is named when it is a plain field name (short, letters, digits and `_.-`).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

MAX_DEPTH = 32  # arrays/objects inside each other; the deepest real body is 4
MAX_INTEGER_DIGITS = 64  # far above any field (seq < 2**63 has 19) and cheap to convert
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # a valid pair decodes to one astral char
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_.-]{1,64}")


class StrictJsonError(ValueError):
    """The body is not strict JSON; the message is safe to show (it never quotes the input)."""


def _integer(literal: str) -> int:
    if len(literal.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise StrictJsonError(f"an integer literal has more than {MAX_INTEGER_DIGITS} digits")
    return int(literal)


def _number(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise StrictJsonError("a number is too large to represent")
    return value


def _constant(_name: str) -> Any:
    raise StrictJsonError("a non-finite number constant is not JSON (RFC 8259)")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object whose keys are each given once."""
    value: dict[str, Any] = {}
    for key, item in pairs:
        if key in value:
            named = f"'{key}'" if _PLAIN_KEY.fullmatch(key) else "(a key)"
            raise StrictJsonError(f"duplicate key {named}: each key may appear once per object")
        value[key] = item
    return value


_DECODER = json.JSONDecoder(
    parse_int=_integer, parse_float=_number, parse_constant=_constant, object_pairs_hook=_object
)


def loads(raw: bytes | str) -> Any:
    """Decode a request body as strict RFC 8259 JSON in UTF-8, or raise `StrictJsonError`."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise StrictJsonError(f"the body is not UTF-8 (byte {exc.start})") from None
    try:
        value = _DECODER.decode(text)
    except json.JSONDecodeError as exc:  # before ValueError: it is one
        raise StrictJsonError(f"{exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise StrictJsonError(f"nesting deeper than {MAX_DEPTH} levels") from None
    except StrictJsonError:
        raise
    except ValueError:  # int() limits the decoder reaches before our hook (defensive)
        raise StrictJsonError("a number is out of range") from None
    _check_tree(value)
    return value


def _check_tree(value: Any) -> None:
    """Depth and lone surrogates, iteratively (the tree may be as deep as the decoder allowed)."""
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, str):
            if _LONE_SURROGATE.search(node):
                raise StrictJsonError("a string holds a lone UTF-16 surrogate escape")
            continue
        if not isinstance(node, dict | list):
            continue
        if depth > MAX_DEPTH:
            raise StrictJsonError(f"nesting deeper than {MAX_DEPTH} levels")
        if isinstance(node, dict):
            pending.extend((key, depth) for key in node)
            pending.extend((item, depth + 1) for item in node.values())
        else:
            pending.extend((item, depth + 1) for item in node)
