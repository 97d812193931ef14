"""Classic chart patterns from swing pivots: double tops/bottoms, head and shoulders (and the
inverse), ascending and descending triangles.

Each detector works on the latest pivots only, with "equal" meaning within a tolerance scaled
by ATR, so a pattern means the same thing on a penny stock and on an index. A clean trend has
no equal highs or lows and yields nothing. Detectors overlap (an H&S neckline is two equal lows,
a triangle's flat side two equal highs), so the answer keeps only the patterns that point the
same way as the one completed last; see `agreeing_with_latest`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from shared.analysis.swings import Pivot, average_true_range, find_pivots
from shared.market_data.base import Bar

EQUAL_ATR = 0.75  # two swings within this many ATRs are "at the same level"
DEPTH_ATR = 2.0  # the swing between two tops must retrace at least this much
MIN_SPAN_BARS = 5
RECENT_BARS = 80  # a pattern must end this close to the last bar to be worth drawing
BEARISH = frozenset({"DOUBLE_TOP", "HEAD_AND_SHOULDERS", "DESCENDING_TRIANGLE"})


@dataclass(frozen=True, slots=True)
class Pattern:
    """A detected pattern spanning two bar times; `level` is its neckline or flat side."""

    name: str
    t1: int
    t2: int
    level: float

    @property
    def bearish(self) -> bool:
        """Whether the pattern says price turns down (tops) rather than up (bottoms)."""
        return self.name in BEARISH


Detector = Callable[[list[Pivot], list[Pivot], float], Pattern | None]


def _double(tops: list[Pivot], troughs: list[Pivot], atr: float, name: str) -> Pattern | None:
    """Two latest tops at one level with a deep enough trough between them."""
    if len(tops) < 2:
        return None
    first, second = tops[-2], tops[-1]
    between = [t for t in troughs if first.index < t.index < second.index]
    if second.index - first.index < MIN_SPAN_BARS or not between:
        return None
    if abs(first.price - second.price) > EQUAL_ATR * atr:
        return None
    sign = 1 if name == "DOUBLE_TOP" else -1
    valley = min(between, key=lambda p: sign * p.price)
    if (
        sign * (min(first.price, second.price, key=lambda p: sign * p) - valley.price)
        < DEPTH_ATR * atr
    ):
        return None
    return Pattern(name, first.time, second.time, valley.price)


def double_top(highs: list[Pivot], lows: list[Pivot], atr: float) -> Pattern | None:
    """Two equal highs with a real pullback between."""
    return _double(highs, lows, atr, "DOUBLE_TOP")


def double_bottom(highs: list[Pivot], lows: list[Pivot], atr: float) -> Pattern | None:
    """Two equal lows with a real rally between."""
    return _double(lows, highs, atr, "DOUBLE_BOTTOM")


def _head_and_shoulders(
    peaks: list[Pivot], troughs: list[Pivot], sign: int, atr: float, name: str
) -> Pattern | None:
    """Three latest peaks: a head beyond two shoulders that sit at one level, with a reaction
    on each side of the head; the neckline is the average of those two reactions."""
    if len(peaks) < 3:
        return None
    left, head, right = peaks[-3:]
    shoulders_equal = abs(left.price - right.price) <= EQUAL_ATR * 1.5 * atr
    head_beyond = sign * (head.price - max(left.price, right.price, key=lambda p: sign * p)) >= atr
    reactions = [
        [t for t in troughs if start.index < t.index < end.index]
        for start, end in ((left, head), (head, right))
    ]
    if not (shoulders_equal and head_beyond and all(reactions)):
        return None
    neckline = [min(between, key=lambda p: sign * p.price).price for between in reactions]
    return Pattern(name, left.time, right.time, sum(neckline) / 2)


def head_and_shoulders(highs: list[Pivot], lows: list[Pivot], atr: float) -> Pattern | None:
    """Top reversal: left shoulder, higher head, right shoulder."""
    return _head_and_shoulders(highs, lows, 1, atr, "HEAD_AND_SHOULDERS")


def inverse_head_and_shoulders(highs: list[Pivot], lows: list[Pivot], atr: float) -> Pattern | None:
    """Bottom reversal: the mirror image on the lows."""
    return _head_and_shoulders(lows, highs, -1, atr, "INVERSE_HEAD_AND_SHOULDERS")


def _triangle(flat: list[Pivot], sloped: list[Pivot], rising: bool, atr: float) -> bool:
    """Three flat pivots on one side, three steadily converging ones on the other."""
    if len(flat) < 3 or len(sloped) < 3:
        return False
    flat3, slope3 = flat[-3:], sloped[-3:]
    is_flat = max(p.price for p in flat3) - min(p.price for p in flat3) <= EQUAL_ATR * atr
    steps = [b.price - a.price for a, b in pairwise(slope3)]
    converging = all((s > 0.25 * atr) if rising else (s < -0.25 * atr) for s in steps)
    return is_flat and converging


def ascending_triangle(highs: list[Pivot], lows: list[Pivot], atr: float) -> Pattern | None:
    """Flat highs over rising lows."""
    if not _triangle(highs, lows, True, atr):
        return None
    start = min(highs[-3].time, lows[-3].time)
    return Pattern("ASCENDING_TRIANGLE", start, max(highs[-1].time, lows[-1].time), highs[-1].price)


def descending_triangle(highs: list[Pivot], lows: list[Pivot], atr: float) -> Pattern | None:
    """Flat lows under falling highs."""
    if not _triangle(lows, highs, False, atr):
        return None
    start = min(highs[-3].time, lows[-3].time)
    return Pattern("DESCENDING_TRIANGLE", start, max(highs[-1].time, lows[-1].time), lows[-1].price)


DETECTORS: tuple[Detector, ...] = (
    double_top,
    double_bottom,
    head_and_shoulders,
    inverse_head_and_shoulders,
    ascending_triangle,
    descending_triangle,
)
# What the detectors can find: a query naming another pattern (a bull flag) is told so. Each
# detector is named after the pattern it returns (double_top -> "DOUBLE_TOP"), so this set
# follows DETECTORS instead of being a second list to keep in step.
DETECTED = frozenset(detect.__name__.upper() for detect in DETECTORS)


def detect_patterns(bars: Sequence[Bar]) -> list[Pattern]:
    """Every pattern whose last swing is recent, most recent first."""
    if len(bars) < 20:
        return []
    atr = average_true_range(bars)
    pivots = [p for p in find_pivots(bars) if p.index >= len(bars) - RECENT_BARS * 2]
    highs = [p for p in pivots if p.kind == "high"]
    lows = [p for p in pivots if p.kind == "low"]
    recent_time = bars[max(0, len(bars) - RECENT_BARS)].time
    found = [pattern for detect in DETECTORS if (pattern := detect(highs, lows, atr))]
    return agreeing_with_latest([p for p in found if p.t2 >= recent_time])


def agreeing_with_latest(patterns: list[Pattern]) -> list[Pattern]:
    """The patterns pointing the same way as the latest one, most recent first.

    Without this a trader gets contradictions: a range draws an M and a W at once, an H&S
    neckline is also a double bottom, an ascending triangle's flat top also a double top. What
    price did last decides: the pattern completed last wins (on a tie the longer one, which
    contains the shorter), and an earlier pattern pointing the other way has failed or played
    out, so it is not drawn.
    """
    ordered = sorted(patterns, key=lambda p: (p.t2, -p.t1), reverse=True)
    return [p for p in ordered if p.bearish == ordered[0].bearish] if ordered else []
