"""The sample market: one path per symbol across timeframes, on its calendar, with realistic
volatility and volume, deterministic per (symbol, day).

The clock is pinned (2026-01-01 and 2025-12-01), so every assertion sees the same market
whatever day the suite runs.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from shared.market_data import calendars
from shared.market_data.base import Bar
from shared.market_data.calendars import NEW_YORK, bar_start, bar_times, calendar_for, session_at
from shared.market_data.sample import SampleProvider
from shared.market_data.sample_market import annual_volatility
from shared.models.fields import Timeframe

NEW_YEAR = 1_767_225_600  # 2026-01-01 00:00 UTC
DECEMBER = 1_764_547_200  # 2025-12-01 00:00 UTC
ONE_PER_CLASS = ("AAPL", "SPY", "BTC-USD", "ES=F", "EURUSD=X")
FINER = {  # each timeframe and the one just finer, which aggregates into it
    Timeframe.M5: Timeframe.M1, Timeframe.M15: Timeframe.M5, Timeframe.M30: Timeframe.M15,
    Timeframe.H1: Timeframe.M30, Timeframe.H4: Timeframe.H1, Timeframe.D1: Timeframe.H4,
    Timeframe.W1: Timeframe.D1, Timeframe.MN1: Timeframe.D1,
}  # fmt: skip


def market(now: int = NEW_YEAR) -> SampleProvider:
    return SampleProvider(clock=lambda: now)


def aggregate(bars: list[Bar]) -> tuple[float, float, float, float, float]:
    return (bars[0].open, max(b.high for b in bars), min(b.low for b in bars), bars[-1].close,
            sum(b.volume for b in bars))  # fmt: skip


def ohlcv(bar: Bar) -> tuple[float, float, float, float, float]:
    return (bar.open, bar.high, bar.low, bar.close, bar.volume)


def new_york(when: int) -> datetime:
    return datetime.fromtimestamp(when, NEW_YORK)


# --- one path: finer bars aggregate exactly into coarser ones --------------------------------


@pytest.mark.parametrize("symbol", ONE_PER_CLASS)
@pytest.mark.parametrize("coarse", list(FINER))
def test_finer_bars_aggregate_exactly_into_each_coarser_bar(symbol: str, coarse: Timeframe):
    fine = market().get_bars(symbol, FINER[coarse], 5000)
    groups: dict[int, list[Bar]] = defaultdict(list)
    for bar in fine:
        groups[bar_start(symbol, coarse, bar.time)].append(bar)
    coarse_bars = {b.time: b for b in market().get_bars(symbol, coarse, 5000)}
    complete = sorted(groups)[1:]  # the oldest group may have begun before the fine window
    assert len(complete) >= 3
    for start in complete:
        assert ohlcv(coarse_bars[start]) == aggregate(groups[start]), (symbol, coarse, start)


@pytest.mark.parametrize("symbol", ONE_PER_CLASS)
def test_every_timeframe_ends_on_the_same_close_and_the_1m_bars_make_the_day(symbol: str):
    last = {tf: market().get_bars(symbol, tf, 300)[-1] for tf in Timeframe}
    assert len({bar.close for bar in last.values()}) == 1, last
    session = session_at(symbol, last[Timeframe.M1].time)
    assert session is not None and last[Timeframe.M1].time + 60 == session.close
    minutes = [b for b in market().get_bars(symbol, Timeframe.M1, 5000) if b.time >= session.open]
    assert minutes[0].time == session.open
    assert aggregate(minutes) == ohlcv(last[Timeframe.D1])


def test_the_last_bars_are_the_sessions_closed_before_the_days_start():
    last_day = market().get_bars("AAPL", Timeframe.D1, 1)[0]
    assert new_york(last_day.time).strftime("%Y-%m-%d %H:%M") == "2025-12-31 09:30"
    btc = market().get_bars("BTC-USD", Timeframe.M1, 1)[0]
    assert btc.time == NEW_YEAR - 60
    es = market().get_bars("ES=F", Timeframe.H1, 1)[0]  # Wednesday 16:00-17:00 New York
    assert new_york(es.time).strftime("%a %H:%M") == "Wed 16:00"


# --- calendars: no bar outside its sessions ---------------------------------------------------


@pytest.mark.parametrize("symbol", ONE_PER_CLASS)
@pytest.mark.parametrize("timeframe", list(Timeframe))
def test_bar_times_are_the_calendars_bar_times(symbol: str, timeframe: Timeframe):
    bars = market().get_bars(symbol, timeframe, 2000)
    expected = bar_times(symbol, timeframe, bars[0].time, bars[-1].time + 1)
    assert [b.time for b in bars] == expected


def test_stock_bars_sit_inside_nyse_sessions():
    bars = market().get_bars("AAPL", Timeframe.M5, 5000)
    holidays = {d for y in (2025,) for d in calendars.nyse_holidays(y)}
    for bar in bars:
        local = new_york(bar.time)
        assert local.weekday() < 5 and local.date() not in holidays, local
        minutes = local.hour * 60 + local.minute
        closes = 13 * 60 if local.date() in calendars.nyse_early_closes(local.year) else 16 * 60
        assert minutes >= 9 * 60 + 30 and minutes + 5 <= closes, local
    days = {new_york(b.time).date() for b in bars}
    assert datetime(2025, 12, 25).date() not in days and datetime(2025, 12, 24).date() in days


def test_a_stocks_early_close_and_daylight_saving():
    hours = market().get_bars("AAPL", Timeframe.H1, 5000)
    black_friday = [new_york(b.time).strftime("%H:%M") for b in hours
                    if new_york(b.time).date() == datetime(2025, 11, 28).date()]  # fmt: skip
    assert black_friday == ["09:30", "10:30", "11:30", "12:30"]
    opens = {new_york(b.time).date(): b.time for b in market().get_bars("AAPL", Timeframe.D1, 400)}
    winter, summer = opens[datetime(2025, 3, 7).date()], opens[datetime(2025, 3, 10).date()]
    assert datetime.fromtimestamp(winter, UTC).hour == 14  # 09:30 EST
    assert datetime.fromtimestamp(summer, UTC).hour == 13  # 09:30 EDT


def test_crypto_trades_every_minute_of_every_day():
    minutes = market().get_bars("BTC-USD", Timeframe.M1, 5000)
    assert {b.time - a.time for a, b in pairwise(minutes)} == {60}
    days = market().get_bars("ETH-USD", Timeframe.D1, 400)
    assert {b.time - a.time for a, b in pairwise(days)} == {86400}
    assert {datetime.fromtimestamp(b.time, UTC).weekday() for b in days} == set(range(7))


@pytest.mark.parametrize(("symbol", "opens_at"), [("ES=F", 18), ("EURUSD=X", 17)])
def test_futures_and_fx_trade_24_5_with_their_breaks(symbol: str, opens_at: int):
    for bar in market().get_bars(symbol, Timeframe.M15, 5000):
        local = new_york(bar.time)
        weekday, hour = local.weekday(), local.hour
        assert not (
            weekday == 5 or (weekday == 4 and hour >= 17) or (weekday == 6 and hour < opens_at)
        )
        if symbol == "ES=F":
            assert hour != 17, local  # the daily 17:00-18:00 break
    days = market().get_bars(symbol, Timeframe.D1, 300)
    assert {datetime.fromtimestamp(b.time, UTC).weekday() for b in days} == set(range(5))
    assert {datetime.fromtimestamp(b.time, UTC).hour for b in days} == {0}  # the trade date


# --- weekly and monthly bars start with the period's first session ----------------------------


def test_weekly_and_monthly_bars_start_on_the_first_session():
    weeks = {new_york(b.time).date() for b in market().get_bars("AAPL", Timeframe.W1, 60)}
    assert datetime(2025, 1, 21).date() in weeks  # Monday 20 January was Martin Luther King Day
    assert datetime(2025, 12, 29).date() in weeks
    assert all(d.weekday() == 0 for d in weeks if d - timedelta(days=d.weekday())
               not in calendars.nyse_holidays(d.year))  # fmt: skip
    months = [new_york(b.time) for b in market().get_bars("AAPL", Timeframe.MN1, 24)]
    assert months[-4].date() == datetime(2025, 9, 2).date()  # 1 September was Labor Day
    assert months[-4].strftime("%H:%M") == "09:30"
    for symbol in ("BTC-USD", "ES=F"):
        starts = [
            datetime.fromtimestamp(b.time, UTC)
            for b in market().get_bars(symbol, Timeframe.MN1, 24)
        ]
        assert all(s.hour == 0 for s in starts)
        assert all(s.day == 1 or s.weekday() == 0 for s in starts), symbol
        firsts = [s for s in starts if s.day == 1]
        assert symbol != "BTC-USD" or len(firsts) == len(starts)


# --- realistic volatility and volume -------------------------------------------------------------

CLASS_RANGES = {
    ("AAPL", "MSFT", "TSLA", "NVDA", "KO", "XOM", "ABCD", "QRST"): (0.25, 0.45),
    ("SPY", "QQQ", "IWM", "DIA", "^GSPC", "ES=F"): (0.15, 0.20),
    ("BTC-USD", "ETH-USD", "SOL-USD", "DOGE-USD", "FOO-USDT"): (0.50, 0.80),
    ("EURUSD=X", "USDJPY=X", "GBPUSD=X", "AUDUSD=X", "EUR/CHF"): (0.05, 0.10),
}


def realised_volatility(symbol: str, now: int) -> float:
    """Annualised standard deviation of a year of daily log returns."""
    bars = [
        b for b in market(now).get_bars(symbol, Timeframe.D1, 400) if b.time >= now - 365 * 86400
    ]
    returns = [math.log(b.close / a.close) for a, b in pairwise(bars)]
    return statistics.stdev(returns) * math.sqrt(len(bars))


@pytest.mark.parametrize(("symbols", "bounds"), list(CLASS_RANGES.items()))
@pytest.mark.parametrize("now", [NEW_YEAR, DECEMBER - 365 * 86400 * 3])
def test_a_years_realised_volatility_is_in_its_asset_class_range(symbols, bounds, now: int):
    low, high = bounds
    for symbol in symbols:
        assert low <= annual_volatility(symbol) <= high, symbol
        assert low <= realised_volatility(symbol, now) <= high, symbol


def test_stock_volume_is_higher_at_the_open_and_the_close():
    by_minute: dict[int, list[float]] = defaultdict(list)
    for bar in market().get_bars("MSFT", Timeframe.M5, 5000):
        local = new_york(bar.time)
        by_minute[local.hour * 60 + local.minute].append(bar.volume)
    mean = {minute: statistics.mean(v) for minute, v in by_minute.items()}
    midday = statistics.mean(mean[m] for m in range(12 * 60, 14 * 60, 5))
    assert mean[9 * 60 + 30] > 2 * midday and mean[15 * 60 + 55] > 1.5 * midday


def test_futures_are_busiest_in_the_us_cash_session():
    hours: dict[int, list[float]] = defaultdict(list)
    for bar in market().get_bars("ES=F", Timeframe.H1, 2000):
        hours[new_york(bar.time).hour].append(bar.volume)
    assert statistics.mean(hours[10]) > 2 * statistics.mean(hours[2])


# --- deterministic for a (symbol, day), and the past does not change ----------------------------


def test_same_day_same_bars_and_the_next_day_adds_sessions_without_rewriting_history():
    morning, evening = market(NEW_YEAR + 60), market(NEW_YEAR + 86399)
    for tf in (Timeframe.M5, Timeframe.H1, Timeframe.D1, Timeframe.W1):
        assert morning.get_bars("AAPL", tf, 500) == evening.get_bars("AAPL", tf, 500)
    # 1 January is a holiday: the 2nd's bars need the 3rd's clock.
    assert market(NEW_YEAR + 86400).get_bars("AAPL", Timeframe.D1, 50) == morning.get_bars(
        "AAPL", Timeframe.D1, 50
    )
    later = market(NEW_YEAR + 2 * 86400).get_bars("AAPL", Timeframe.D1, 51)
    assert later[:-1] == morning.get_bars("AAPL", Timeframe.D1, 50)
    assert new_york(later[-1].time).date() == datetime(2026, 1, 2).date()
    two_days_on = market(NEW_YEAR + 2 * 86400).get_bars("BTC-USD", Timeframe.H1, 400)
    assert two_days_on[:-48] == morning.get_bars("BTC-USD", Timeframe.H1, 352)


def test_bars_are_valid_on_the_tick_grid_with_whole_volumes():
    for symbol in ONE_PER_CLASS:
        calendar = calendar_for(symbol)
        assert calendar is calendars.CALENDARS[calendars.asset_class(symbol)]
        for tf in Timeframe:
            for bar in market().get_bars(symbol, tf, 300):
                assert (
                    0 < bar.low <= min(bar.open, bar.close) <= max(bar.open, bar.close) <= bar.high
                )
                assert bar.volume >= 1 and bar.volume == int(bar.volume)
