"""The strict JSON decoder: what RFC 8259 allows decodes as `json` decodes it; the rest is a
`StrictJsonError` whose message never quotes the input (issue 17 rows 1, 2, 10)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.api.strict_json import MAX_DEPTH, MAX_INTEGER_DIGITS, StrictJsonError, loads

MARK = "QQQQ"  # in every hostile string below where it fits: must not come back in the message


@pytest.mark.parametrize(
    "raw",
    [
        b'{"a":' + b"9" * 5000 + b"}",  # over Python's 4300-digit limit
        b"-" + b"9" * (MAX_INTEGER_DIGITS + 1),
        b"[" * 5000 + b"]" * 5000,  # the C scanner's RecursionError
        b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1),
        b'{"k":' * (MAX_DEPTH + 1) + b"1" + b"}" * (MAX_DEPTH + 1),
        b"NaN",
        b'{"a":Infinity}',
        b"[-Infinity]",
        b"1e999",
        b'"QQQQ\\ud800"',
        b'{"\\udfffQQQQ":1}',
        b'["\\udc00\\ud800"]',
        b'{"a":"QQQQ\xff"}',
        b"\xef\xbb\xbf{}",  # a BOM is not JSON text (RFC 8259 8.1)
        '{"a":1}'.encode("utf-16"),
        b"{QQQQ",
        b'{"a":1} QQQQ',
        b"",
    ],
)
def test_hostile_bodies_are_refused_without_echo(raw: bytes):
    with pytest.raises(StrictJsonError) as refused:
        loads(raw)
    assert MARK not in str(refused.value) and len(str(refused.value)) < 120


def test_the_limits_themselves_are_allowed():
    assert loads(b"9" * MAX_INTEGER_DIGITS) == int("9" * MAX_INTEGER_DIGITS)
    deepest = b"[" * MAX_DEPTH + b"]" * MAX_DEPTH
    assert loads(deepest) == json.loads(deepest)
    assert loads('"\\ud83d\\ude00 ok"') == "\U0001f600 ok"  # a valid pair is one character


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.characters(exclude_categories=("Cs",))),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(alphabet=st.characters(exclude_categories=("Cs",))), inner)
    ),
    max_leaves=20,
)


@given(JSON_VALUES, st.booleans())
def test_valid_json_decodes_as_the_standard_library_does(value, ascii_only: bool):
    text = json.dumps(value, ensure_ascii=ascii_only)
    assert loads(text.encode()) == json.loads(text)
