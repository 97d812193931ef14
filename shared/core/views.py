"""What part of the chart to look at: symbols to compare, a visible range, the zoom.

COMPARE is sent only for a symbol whose bars exist at the same market-data port the chart uses
(a name that has none is said, not drawn). A RANGE's times are bar times: the first bar at or
after the span's start and the last bar before its end (or the latest bar), from the symbol's
trading calendar (`shared.market_data.calendars`), so the page's view lands on real bars on
any timeframe. "The last 5 days" are the last five sessions (a 5D chart), "the last 30 days"
calendar days (about a month). "Since the March low" needs prices: the low of the latest
March in the bars (daily bars when the chart is intraday, whose few hundred bars reach back
only weeks).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from shared.core.outcomes import Compared, RangeNotShown, RangeShown, Zoomed
from shared.core.result import ActionResult
from shared.core.target import Target
from shared.market_data.base import (
    Bar,
    MarketDataError,
    MarketDataProvider,
    UnknownSymbolError,
)
from shared.market_data.calendars import (
    DAY,
    INTRADAY,
    bar_start,
    bar_times,
    next_bar_times,
    sessions_between,
)
from shared.models.commands import CompareCommand, RangeCommand, ZoomCommand, ZoomMode
from shared.models.fields import Timeframe
from shared.planner.intent import VisibleRange

OPEN_END = re.compile(r"\b(?:to|until|till|through)\b", re.IGNORECASE)
SESSION_DAYS = 10  # up to this many "days" count sessions; more count calendar days
ANCHOR_BARS = 300  # daily bars searched for "since the March low" under an intraday chart
LAST_BAR_WINDOW = {True: 7 * DAY, False: 45 * DAY}  # intraday or not: holds the bar before end


def add_comparisons(
    symbols: Sequence[str], target: Target, provider: MarketDataProvider, result: ActionResult
) -> None:
    """COMPARE each symbol that has bars on the chart's timeframe; name those that have none,
    and those whose market data failed (timeout, outage): an overlay is an extra, so its
    failure is said and the rest of the action goes on (the chart's own bars failing is still
    a 503/504). After one such failure the others are not asked: the same source would make
    each of them wait out its timeout again."""
    shown: list[str] = []
    unknown: list[str] = []
    unavailable: list[str] = []
    for symbol in symbols:
        if symbol == target.symbol:
            continue
        if unavailable:
            unavailable.append(symbol)
            continue
        try:
            has_bars = bool(provider.get_bars(symbol, target.timeframe, 1))
        except UnknownSymbolError:
            has_bars = False
        except MarketDataError:
            unavailable.append(symbol)
            continue
        (shown if has_bars else unknown).append(symbol)
    if not shown and not unknown and not unavailable:
        return
    if shown:
        result.add("compare", *(CompareCommand(symbol=s) for s in shown))
    result.ignored += [f"compare {s}: no market data" for s in unknown]
    result.ignored += [f"compare {s}: market data unavailable" for s in unavailable]
    result.say(Compared(tuple(shown), tuple(unknown), tuple(unavailable)))


def add_zoom(mode: ZoomMode, result: ActionResult) -> None:
    result.add("zoom", ZoomCommand(mode=mode))
    result.say(Zoomed(mode))


def add_range(
    visible: VisibleRange,
    target: Target,
    bars: Sequence[Bar],
    provider: MarketDataProvider,
    result: ActionResult,
) -> None:
    """RANGE for the span asked, or a sentence saying why the view stays as it is."""
    assert target.symbol is not None
    timeframe = target.timeframe
    span = visible_span(visible, target.symbol, timeframe, bars, provider)
    if isinstance(span, str):
        result.ignored.append(f"range {visible.phrase}")
        result.say(RangeNotShown(visible.phrase, span, timeframe))
        return
    t1, t2 = span
    result.add("visible_range", RangeCommand(t1=t1, t2=t2))
    phrase = visible.phrase
    if visible.kind == "calendar" and visible.end is None and not OPEN_END.search(phrase):
        phrase = f"since {phrase}"  # the planner keeps the year, not its "since"
    result.say(RangeShown(phrase, t1, t2, timeframe in INTRADAY))


def visible_span(
    visible: VisibleRange,
    symbol: str,
    timeframe: Timeframe,
    bars: Sequence[Bar],
    provider: MarketDataProvider,
) -> tuple[int, int] | str:
    """(first bar time, last bar time) of the span, or why there is none ("future", "short",
    "no_anchor", "impossible")."""
    if visible.kind == "impossible":
        return "impossible"
    last = bars[-1].time
    if visible.kind == "since":
        start = _anchor_time(visible, symbol, timeframe, bars, provider)
        if start is None:
            return "no_anchor"
        end = None
    else:
        start, end = _calendar_span(visible, symbol, last)
    if start > last:
        return "future"
    first = next_bar_times(symbol, timeframe, start - 1, 1)
    t1 = first[0] if first else last
    t2 = last if end is None or end > last else _last_bar_before(symbol, timeframe, end)
    if t2 is None or t2 <= t1:
        return "short"
    return t1, t2


def _calendar_span(visible: VisibleRange, symbol: str, last: int) -> tuple[int, int | None]:
    """[start, end) in unix seconds of a look-back, calendar or to-date span."""
    if visible.kind == "calendar":
        assert visible.start is not None
        return visible.start, visible.end
    day = datetime.fromtimestamp(last, UTC).date()
    if visible.kind == "to_date":
        return _to_date_start(visible, day), None
    count, unit = visible.count or 1, visible.unit or "day"
    if unit == "hour":
        return last - count * 3600 + 1, None
    if unit == "day" and count <= SESSION_DAYS:  # "last 5 days": sessions, as a 5D chart
        sessions = sessions_between(symbol, last - (2 * count + 10) * DAY, last + 1)
        return (sessions[-count].open if len(sessions) >= count else last - count * DAY), None
    if unit in ("day", "week"):  # "last 30 days": the calendar's, about a month
        return _midnight(day - timedelta(days=count * (7 if unit == "week" else 1))), None
    months = count * (12 if unit == "year" else 1)
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return _midnight(date(year, month + 1, min(day.day, 28))), None


def _to_date_start(visible: VisibleRange, day: date) -> int:
    """Start of the year, week (Monday) or month holding `day`."""
    if visible.unit == "year":
        return _midnight(date(day.year, 1, 1))
    if visible.unit == "week":
        return _midnight(day - timedelta(days=day.weekday()))
    return _midnight(date(day.year, day.month, 1))


def _midnight(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def _last_bar_before(symbol: str, timeframe: Timeframe, end: int) -> int | None:
    times = bar_times(symbol, timeframe, end - LAST_BAR_WINDOW[timeframe in INTRADAY], end)
    return times[-1] if times else None


def _anchor_time(
    visible: VisibleRange,
    symbol: str,
    timeframe: Timeframe,
    bars: Sequence[Bar],
    provider: MarketDataProvider,
) -> int | None:
    """The chart bar holding the low (high) of the latest month `anchor_month`, or that
    month's first bar; daily bars find the day when the chart is intraday."""
    source = bars
    if timeframe in INTRADAY:
        source = provider.get_bars(symbol, Timeframe.D1, ANCHOR_BARS)
    if not source:
        return None
    month = visible.anchor_month or datetime.fromtimestamp(source[-1].time, UTC).month
    by_month: dict[tuple[int, int], list[Bar]] = {}
    for bar in source:
        moment = datetime.fromtimestamp(bar.time, UTC)
        if moment.month == month:
            by_month.setdefault((moment.year, moment.month), []).append(bar)
    if not by_month:
        return None
    chosen = by_month[max(by_month)]
    if visible.anchor == "low":
        pick = min(chosen, key=lambda b: b.low)
    elif visible.anchor == "high":
        pick = max(chosen, key=lambda b: b.high)
    else:
        pick = chosen[0]
    if source is bars:
        return pick.time
    return bar_start(symbol, timeframe, pick.time) or pick.time
