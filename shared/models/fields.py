"""Constrained field types shared by requests and responses (SPEC 3).

Normalisation lives here, once: symbols are trimmed and upper-cased, timeframe aliases map to
the canonical set. Everything else just annotates a field with these types.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, StrictInt, StringConstraints

from shared.models.prices import MAX_DECIMALS


class Timeframe(StrEnum):
    """Canonical chart timeframes. `1M` (month) and `1m` (minute) differ only by case."""

    M1 = "1m"
    M5 = "5m"
    M15 = "15m"
    M30 = "30m"
    H1 = "1H"
    H4 = "4H"
    D1 = "1D"
    W1 = "1W"
    MN1 = "1M"

    @property
    def seconds(self) -> int:
        """Nominal bar length, used to lay out sample bars and scale cache windows."""
        return TIMEFRAME_SECONDS[self]


TIMEFRAME_SECONDS: dict[Timeframe, int] = {
    Timeframe.M1: 60,
    Timeframe.M5: 300,
    Timeframe.M15: 900,
    Timeframe.M30: 1800,
    Timeframe.H1: 3600,
    Timeframe.H4: 14400,
    Timeframe.D1: 86400,
    Timeframe.W1: 7 * 86400,
    Timeframe.MN1: 30 * 86400,
}

# Case-insensitive aliases; `1m`/`1M` are resolved before this table is consulted.
_TIMEFRAME_ALIASES: dict[str, Timeframe] = {
    **{alias: Timeframe.M1 for alias in ("1min", "1minute", "minute", "1 minute")},
    **{alias: Timeframe.M5 for alias in ("5min", "5minute", "5 minute", "5 minutes")},
    **{alias: Timeframe.M15 for alias in ("15min", "15minute", "15 minute", "15 minutes")},
    **{alias: Timeframe.M30 for alias in ("30min", "30minute", "30 minute", "30 minutes")},
    **{alias: Timeframe.H1 for alias in ("1h", "60m", "60min", "1hour", "1 hour", "hourly")},
    **{alias: Timeframe.H4 for alias in ("4h", "240m", "4hour", "4 hour", "4 hours")},
    **{alias: Timeframe.D1 for alias in ("1d", "d", "day", "1day", "1 day", "daily")},
    **{alias: Timeframe.W1 for alias in ("1w", "w", "week", "1week", "1 week", "weekly")},
    **{alias: Timeframe.MN1 for alias in ("1mo", "1mth", "month", "1month", "1 month", "monthly")},
}


def parse_timeframe(value: object) -> Timeframe:
    """Map a canonical value or a known alias to a `Timeframe`; raise ValueError otherwise."""
    if isinstance(value, Timeframe):
        return value
    if not isinstance(value, str):
        raise ValueError("timeframe must be a string")
    text = value.strip()
    if text in Timeframe._value2member_map_:
        return Timeframe(text)
    alias = _TIMEFRAME_ALIASES.get(re.sub(r"\s+", " ", text.lower()))
    if alias is None:
        canonical = ", ".join(t.value for t in Timeframe)
        raise ValueError(f"unknown timeframe; use one of {canonical} or a common alias")
    return alias


SYMBOL_PATTERN = r"^[A-Z0-9^][A-Z0-9.^=/-]{0,14}$"


def _normalise_symbol(value: object) -> object:
    """Trimmed and upper-cased, only if ASCII: `str.upper` folds "ſpy" to SPY, "ıbm" to IBM
    and "ß" to SS, so a symbol is checked as ASCII before any case change (and refused by
    the pattern when it is not)."""
    if isinstance(value, str) and value.isascii():
        return value.strip().upper()
    return value


Symbol = Annotated[
    str,
    BeforeValidator(_normalise_symbol),
    StringConstraints(pattern=SYMBOL_PATTERN),
    Field(description="Ticker, trimmed and upper-cased: TSLA, BRK.B, BTC-USD, ES=F, ^GSPC."),
]

TimeframeField = Annotated[
    Timeframe,
    BeforeValidator(parse_timeframe),
    Field(description="Canonical timeframe; aliases such as 1d, daily, 60m, weekly accepted."),
]

SESSION_ID_PATTERN = r"^[A-Za-z0-9_-]{16,128}$"
# Firestore reserves document ids matching __.*__; such an id would fail only at the store
# call (a 503 the page retries), so it is refused as a client error before any store call.
_RESERVED_ID = re.compile(r"__.*__")


def _not_reserved(value: str) -> str:
    if _RESERVED_ID.fullmatch(value):
        raise ValueError("must not both start and end with '__' (reserved by Firestore)")
    return value


# Ids are never trimmed (the models strip other strings): "id" and "id\n" must not be two
# spellings of one document, so whitespace anywhere in an id fails its pattern.
SessionId = Annotated[
    str,
    StringConstraints(strip_whitespace=False, pattern=SESSION_ID_PATTERN),
    AfterValidator(_not_reserved),
    Field(
        description="Unguessable id made by the page; 16-128 chars of [A-Za-z0-9_-], "
        "not both starting and ending with '__'."
    ),
]

SnapshotId = Annotated[
    str,
    StringConstraints(strip_whitespace=False, pattern=r"^[A-Za-z0-9_.:-]{1,128}$"),
    Field(description="Opaque id of the chart snapshot the page shows."),
]

DrawingId = Annotated[
    str,
    StringConstraints(strip_whitespace=False, pattern=r"^[a-z][0-9]{1,9}$"),
    Field(description="The chart document's id of a drawing, indicator or overlay, e.g. d7."),
]

ThreadId = Annotated[
    str,
    StringConstraints(strip_whitespace=False, pattern=r"^[A-Za-z0-9_-]{1,128}$"),
    Field(description="A ChatKit thread id, as the chatkit function made it."),
]


def _readable(value: str) -> str:
    """At least one visible character: a query of only whitespace, control or zero-width
    characters (all non-printable or space) has nothing for the planner to read."""
    if not any(char.isprintable() and not char.isspace() for char in value):
        raise ValueError("must contain at least one visible character")
    return value


QUERY_MAX_LENGTH = 2000  # chart_action's query, and a chat message (the same words)
Query = Annotated[
    str,
    Field(
        min_length=1,
        max_length=QUERY_MAX_LENGTH,
        description='What the user asked, e.g. "draw support and resistance for TSLA".',
    ),
    AfterValidator(_readable),
]

Seq = Annotated[
    StrictInt,
    Field(ge=0, lt=2**63, description="Monotonic counter; older updates never overwrite newer."),
]
DocumentVersion = Annotated[
    StrictInt,
    Field(ge=0, lt=2**63, description="A version of the session's chart document."),
]


def _finite_positive_rounded(value: float) -> float:
    """Prices drop float noise on the way in, so a model equals its parsed string form; a price
    that rounds to zero is rejected like any non-positive one."""
    rounded = round(value, MAX_DECIMALS) if value != float("inf") else value
    if not rounded > 0 or rounded == float("inf"):
        raise ValueError("price must be a finite positive number of at least 1e-8")
    return rounded


Price = Annotated[
    float,
    AfterValidator(_finite_positive_rounded),
    Field(description="Plain positive price, rounded to the instrument's precision."),
]
UnixTime = Annotated[int, Field(ge=0, description="Bar time, unix seconds.")]
