"""Trading calendars: when each kind of market trades, and the bar times that follow from it.

One calendar per asset class (`asset_class` in shared.models.prices):

- **NYSE** (US stocks and ETFs, indices): weekdays 09:30-16:00 America/New_York, closed on the
  exchange's holidays, closing at 13:00 on its early-close days. Times go through `zoneinfo`,
  so daylight saving moves the UTC times (14:30 UTC in winter, 13:30 in summer).
- **CME Globex** (futures): Sunday 18:00 to Friday 17:00 New York time with the daily
  17:00-18:00 break, so the session of a trade date opens at 18:00 the evening before.
- **FX 24/5**: Sunday 17:00 to Friday 17:00 New York time; the trade date rolls at 17:00.
- **Crypto 24/7**: UTC days.

NYSE holidays follow the exchange's published rules (Rule 7.2: New Year's Day is not moved to a
Friday when it falls on a Saturday; other holidays on a Saturday move to the Friday, on a Sunday
to the Monday) plus its unscheduled closures since 2000, and early closes at 13:00 on July 3 (when
July 4 falls Tuesday to Friday), the day after Thanksgiving and Christmas Eve (when Christmas
falls Tuesday to Friday). Why not a library: `holidays` (which ships this calendar) costs about
0.12 s on a cold start, since its `holidays.financial` package imports every country's module,
and caps python-dateutil below 3; `exchange_calendars` and `pandas_market_calendars` pull in
pandas (0.7 s). These rules cost nothing; when written they matched `holidays` 0.108 day by day
for 2000-2040 (closures and early closes), and the tests pin the NYSE's published schedules.

Bars follow the sessions. An intraday bar starts at the session open plus a multiple of its
length and ends at the next one or at the session close, so the last bar of a session may be
short (15:30-16:00 on 1H) and every timeframe nests in the next (1m in 5m, ..., 4H in the day).
A day's bar is its session; a week's bar holds the sessions of an ISO week and a month's bar those
of a calendar month (by trade date), each starting with its first session. A daily-or-longer bar's
time is its first session's open, or 00:00 UTC of the trade date when that session opens the
evening before (futures, FX): still a moment of the session, and the chart then labels the bar
with its trading day as exchange data does, not with Sunday. Bar times are unix seconds.

The functions at the end are what the product computes on bar times: the bar containing a time,
the bar times in a range, the next bar times (extending a trendline into the future) and the
number of bars between two times (its slope per bar).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import islice
from typing import NamedTuple
from zoneinfo import ZoneInfo

from shared.models.fields import Timeframe
from shared.models.prices import AssetClass, asset_class

DAY = 86_400
EPOCH = date(1970, 1, 1)
NEW_YORK = ZoneInfo("America/New_York")
WEEKDAYS = frozenset(range(5))
MAX_SCAN_YEARS = 60  # bound on any walk through sessions (no calendar is closed that long)
MAX_BAR_TIMES = 100_000
INTRADAY = frozenset(
    {Timeframe.M1, Timeframe.M5, Timeframe.M15, Timeframe.M30, Timeframe.H1, Timeframe.H4}
)

# NYSE closures outside the yearly rules (national days of mourning, 9/11, Hurricane Sandy).
NYSE_SPECIAL_CLOSURES = frozenset(
    {
        date(2001, 9, 11), date(2001, 9, 12), date(2001, 9, 13), date(2001, 9, 14),
        date(2004, 6, 11), date(2007, 1, 2), date(2012, 10, 29), date(2012, 10, 30),
        date(2018, 12, 5), date(2025, 1, 9),
    }
)  # fmt: skip
NYSE_SPECIAL_EARLY_CLOSES = frozenset({date(2002, 7, 5), date(2003, 12, 26)})
NYSE_EARLY_CLOSE = timedelta(hours=13)


class Session(NamedTuple):
    """One trading session: its trade date and its open and close (unix seconds, close
    exclusive). A named tuple: years of them are made per calendar, and cheaply."""

    day: date
    open: int
    close: int

    @property
    def bar_time(self) -> int:
        """Time of a daily-or-longer bar starting with this session (see the module doc)."""
        return max(self.open, (self.day - EPOCH).days * DAY)


@dataclass(frozen=True, slots=True, eq=False)
class Calendar:
    """A market's weekly schedule: trade-date weekdays and the open and close as offsets from
    local midnight of the trade date (negative: the evening before). Compared and hashed by
    identity: there is one of each, and they key per-year caches."""

    name: str
    zone: ZoneInfo
    weekdays: frozenset[int]
    opens: timedelta
    closes: timedelta
    sessions_per_year: int  # to annualise daily volatility
    nyse_rules: bool = False

    def session(self, day: date) -> Session | None:
        """The session of trade date `day`, or None when the market does not trade that day."""
        return _year_sessions(self, day.year)[1].get(day)


NYSE = Calendar("NYSE", NEW_YORK, WEEKDAYS, timedelta(hours=9, minutes=30), timedelta(hours=16),
                252, nyse_rules=True)  # fmt: skip
CME_GLOBEX = Calendar("CME Globex", NEW_YORK, WEEKDAYS, timedelta(hours=-6), timedelta(hours=17),
                      260)  # fmt: skip
FX_24_5 = Calendar("FX 24/5", NEW_YORK, WEEKDAYS, timedelta(hours=-7), timedelta(hours=17), 260)
CRYPTO_24_7 = Calendar("Crypto 24/7", ZoneInfo("UTC"), frozenset(range(7)), timedelta(0),
                       timedelta(days=1), 365)  # fmt: skip
CALENDARS: dict[AssetClass, Calendar] = {
    AssetClass.STOCK: NYSE,
    AssetClass.INDEX: NYSE,
    AssetClass.FUTURES: CME_GLOBEX,
    AssetClass.FX: FX_24_5,
    AssetClass.CRYPTO: CRYPTO_24_7,
}


def calendar_for(symbol: str) -> Calendar:
    """The calendar the symbol trades on (by its asset class)."""
    return CALENDARS[asset_class(symbol.strip().upper())]


# --- NYSE rules -------------------------------------------------------------------------------


def easter(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th `weekday` (0 = Monday) of the month; n = -1 for the last one."""
    if n < 0:
        after = date(year + month // 12, month % 12 + 1, 1)
        return after - timedelta(days=(after.weekday() - weekday - 1) % 7 + 1)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _observed(day: date) -> date:
    """Saturday holidays close the Friday before, Sunday ones the Monday after."""
    return day + timedelta(days={5: -1, 6: 1}.get(day.weekday(), 0))


@lru_cache(maxsize=128)
def nyse_holidays(year: int) -> frozenset[date]:
    """Weekdays of `year` the NYSE is closed (rules valid from 2000)."""
    new_year = date(year, 1, 1)
    days = {
        _nth_weekday(year, 1, 0, 3),  # Martin Luther King Jr. Day
        _nth_weekday(year, 2, 0, 3),  # Washington's Birthday
        easter(year) - timedelta(days=2),  # Good Friday
        _nth_weekday(year, 5, 0, -1),  # Memorial Day
        _observed(date(year, 7, 4)),
        _nth_weekday(year, 9, 0, 1),  # Labor Day
        _nth_weekday(year, 11, 3, 4),  # Thanksgiving
        _observed(date(year, 12, 25)),
    }
    if new_year.weekday() != 5:  # a Saturday New Year's Day is not moved back into December
        days.add(_observed(new_year))
    if year >= 2022:
        days.add(_observed(date(year, 6, 19)))  # Juneteenth
    days.update(d for d in NYSE_SPECIAL_CLOSURES if d.year == year)
    return frozenset(days)


@lru_cache(maxsize=128)
def nyse_early_closes(year: int) -> frozenset[date]:
    """Days of `year` the NYSE closes at 13:00."""
    days = {_nth_weekday(year, 11, 3, 4) + timedelta(days=1)}  # the day after Thanksgiving
    if date(year, 7, 4).weekday() in (1, 2, 3, 4) and year != 2002:
        days.add(date(year, 7, 3))
    if date(year, 12, 25).weekday() in (1, 2, 3, 4):
        days.add(date(year, 12, 24))
    days.update(d for d in NYSE_SPECIAL_EARLY_CLOSES if d.year == year)
    return frozenset(days)


# --- sessions ---------------------------------------------------------------------------------


@lru_cache(maxsize=512)
def _year_sessions(
    calendar: Calendar, year: int
) -> tuple[tuple[Session, ...], dict[date, Session]]:
    """The sessions of the trade dates in `year`, in order and by date (cached per year)."""
    closed = nyse_holidays(year) if calendar.nyse_rules else frozenset()
    early = nyse_early_closes(year) if calendar.nyse_rules else frozenset()
    sessions = []
    day = date(year, 1, 1)
    while day.year == year:
        if day.weekday() in calendar.weekdays and day not in closed:
            midnight = datetime(day.year, day.month, day.day, tzinfo=calendar.zone)
            closes = NYSE_EARLY_CLOSE if day in early else calendar.closes
            # Aware datetime + timedelta is wall-clock arithmetic: 18:00 stays 18:00 local.
            opened, closed_at = midnight + calendar.opens, midnight + closes
            sessions.append(Session(day, int(opened.timestamp()), int(closed_at.timestamp())))
        day += timedelta(days=1)
    return tuple(sessions), {s.day: s for s in sessions}


def year_sessions(calendar: Calendar, year: int) -> tuple[Session, ...]:
    """The sessions whose trade dates fall in `year`, oldest first."""
    return _year_sessions(calendar, year)[0]


def sessions_from(calendar: Calendar, first_day: date) -> Iterator[Session]:
    """Sessions with trade dates on or after `first_day`, oldest first (bounded)."""
    for year in range(first_day.year, first_day.year + MAX_SCAN_YEARS):
        for session in year_sessions(calendar, year):
            if session.day >= first_day:
                yield session


def utc_day(when: int) -> date:
    """The UTC calendar date of a unix time."""
    return EPOCH + timedelta(days=when // DAY)


def session_at(symbol: str, when: int) -> Session | None:
    """The session trading at unix time `when`, or None when the market is closed then."""
    calendar = calendar_for(symbol)
    day = utc_day(when)
    for candidate in (day, day + timedelta(days=1), day - timedelta(days=1)):
        session = calendar.session(candidate)
        if session is not None and session.open <= when < session.close:
            return session
    return None


def sessions_between(symbol: str, start: int, end: int) -> list[Session]:
    """Sessions overlapping [start, end), oldest first."""
    found = []
    for session in sessions_from(calendar_for(symbol), utc_day(start) - timedelta(days=1)):
        if session.open >= end:
            break
        if session.close > start:
            found.append(session)
    return found


# --- bars -------------------------------------------------------------------------------------


def intraday_starts(session: Session, timeframe: Timeframe) -> range:
    """Start times of the session's bars of an intraday timeframe."""
    return range(session.open, session.close, timeframe.seconds)


def period_key(session: Session, timeframe: Timeframe) -> tuple[int, int] | date:
    """Which bar of a daily-or-longer timeframe the session belongs to."""
    if timeframe is Timeframe.W1:
        year, week, _ = session.day.isocalendar()
        return (year, week)
    if timeframe is Timeframe.MN1:
        return (session.day.year, session.day.month)
    return session.day


def period_start(day: date, timeframe: Timeframe) -> date:
    """First calendar day of the week or month holding `day` (the day itself otherwise)."""
    if timeframe is Timeframe.W1:
        return day - timedelta(days=day.weekday())
    if timeframe is Timeframe.MN1:
        return day.replace(day=1)
    return day


def _bar_times_from(calendar: Calendar, timeframe: Timeframe, first_day: date) -> Iterator[int]:
    """Bar times in order, from the bar holding trade date `first_day` on."""
    if timeframe in INTRADAY:
        for session in sessions_from(calendar, first_day):
            yield from intraday_starts(session, timeframe)
        return
    key = None
    for session in sessions_from(calendar, period_start(first_day, timeframe)):
        if (new_key := period_key(session, timeframe)) != key:
            key = new_key
            yield session.bar_time


def bar_times(symbol: str, timeframe: Timeframe, start: int, end: int) -> list[int]:
    """Times of the bars that start in [start, end), oldest first (at most MAX_BAR_TIMES)."""
    found = []
    first_day = utc_day(start) - timedelta(days=1)
    for when in _bar_times_from(calendar_for(symbol), timeframe, first_day):
        if when >= end or len(found) >= MAX_BAR_TIMES:
            break
        if when >= start:
            found.append(when)
    return found


def next_bar_times(symbol: str, timeframe: Timeframe, after_time: int, count: int) -> list[int]:
    """The times of the `count` bars that start after `after_time`, in the symbol's sessions:
    where a trendline drawn up to bar `after_time` lands on the bars still to come."""
    count = max(0, min(count, MAX_BAR_TIMES))
    times = _bar_times_from(
        calendar_for(symbol), timeframe, utc_day(after_time) - timedelta(days=1)
    )
    return list(islice((t for t in times if t > after_time), count))


def bars_between(symbol: str, timeframe: Timeframe, start: int, end: int) -> int:
    """How many bars later `end` falls than `start` (negative when earlier): the number of bar
    times in (start, end]. Two bar times of one series are that many bars apart, whatever
    weekends, holidays and breaks lie between them."""
    if end < start:
        return -bars_between(symbol, timeframe, end, start)
    return len(bar_times(symbol, timeframe, start + 1, end + 1))


def bar_start(symbol: str, timeframe: Timeframe, when: int) -> int | None:
    """Time of the bar that trades at `when`, or None when the market is closed then."""
    session = session_at(symbol, when)
    if session is None:
        return None
    if timeframe in INTRADAY:
        step = timeframe.seconds
        return session.open + (when - session.open) // step * step
    # The first session on or after the week's Monday (the month's 1st) is in the same period.
    first = next(sessions_from(calendar_for(symbol), period_start(session.day, timeframe)))
    return first.bar_time
