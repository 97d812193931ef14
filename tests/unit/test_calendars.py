"""Trading calendars and the bar-time helpers the product computes with.

NYSE dates are the exchange's published schedules (holidays and 13:00 early closes); the rules
were also checked day by day against the `holidays` package for 2000-2040 when written.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from shared.market_data import calendars
from shared.market_data.calendars import (
    NEW_YORK,
    bar_start,
    bar_times,
    bars_between,
    calendar_for,
    easter,
    next_bar_times,
    nyse_early_closes,
    nyse_holidays,
    session_at,
    sessions_between,
)
from shared.models.fields import Timeframe
from shared.models.prices import AssetClass, asset_class, tick_size

NYSE_PUBLISHED = {
    2024: ["2024-01-01", "2024-01-15", "2024-02-19", "2024-03-29", "2024-05-27", "2024-06-19",
           "2024-07-04", "2024-09-02", "2024-11-28", "2024-12-25"],
    2025: ["2025-01-01", "2025-01-09", "2025-01-20", "2025-02-17", "2025-04-18", "2025-05-26",
           "2025-06-19", "2025-07-04", "2025-09-01", "2025-11-27", "2025-12-25"],
    2026: ["2026-01-01", "2026-01-19", "2026-02-16", "2026-04-03", "2026-05-25", "2026-06-19",
           "2026-07-03", "2026-09-07", "2026-11-26", "2026-12-25"],
    2027: ["2027-01-01", "2027-01-18", "2027-02-15", "2027-03-26", "2027-05-31", "2027-06-18",
           "2027-07-05", "2027-09-06", "2027-11-25", "2027-12-24"],
    2022: ["2022-01-17", "2022-02-21", "2022-04-15", "2022-05-30", "2022-06-20", "2022-07-04",
           "2022-09-05", "2022-11-24", "2022-12-26"],  # New Year's Day on a Saturday: not moved
}  # fmt: skip
NYSE_EARLY = {
    2024: ["2024-07-03", "2024-11-29", "2024-12-24"],
    2025: ["2025-07-03", "2025-11-28", "2025-12-24"],
    2026: ["2026-11-27", "2026-12-24"],  # 4 July on a Saturday: the 3rd is the holiday
    2027: ["2027-11-26"],  # Christmas on a Saturday: the 24th is the holiday
}


def utc(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


def ny(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=NEW_YORK).timestamp())


@pytest.mark.parametrize("year", sorted(NYSE_PUBLISHED))
def test_nyse_holidays_are_the_published_ones(year: int):
    assert sorted(d.isoformat() for d in nyse_holidays(year)) == NYSE_PUBLISHED[year]


@pytest.mark.parametrize("year", sorted(NYSE_EARLY))
def test_nyse_early_closes_are_the_published_ones(year: int):
    assert sorted(d.isoformat() for d in nyse_early_closes(year)) == NYSE_EARLY[year]
    for day in nyse_early_closes(year):
        session = calendars.NYSE.session(day)
        assert session is not None
        assert datetime.fromtimestamp(session.close, NEW_YORK).strftime("%H:%M") == "13:00"


def test_easter():
    assert [easter(y) for y in (2000, 2019, 2024, 2025, 2038)] == [
        date(2000, 4, 23), date(2019, 4, 21), date(2024, 3, 31), date(2025, 4, 20),
        date(2038, 4, 25),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("symbol", "kind", "name"),
    [("AAPL", AssetClass.STOCK, "NYSE"), ("SPY", AssetClass.INDEX, "NYSE"),
     ("^GSPC", AssetClass.INDEX, "NYSE"), ("BTC-USD", AssetClass.CRYPTO, "Crypto 24/7"),
     ("ES=F", AssetClass.FUTURES, "CME Globex"), ("EURUSD=X", AssetClass.FX, "FX 24/5"),
     ("EUR/USD", AssetClass.FX, "FX 24/5"), ("JPY=X", AssetClass.FX, "FX 24/5"),
     ("DOGE/USDT", AssetClass.CRYPTO, "Crypto 24/7")],
)  # fmt: skip
def test_each_asset_class_has_its_calendar(symbol: str, kind: AssetClass, name: str):
    assert asset_class(symbol) is kind and calendar_for(symbol).name == name


def test_fx_prices_have_pipettes():
    assert tick_size("EURUSD=X", 1.08) == 0.00001 and tick_size("USDJPY=X", 151.2) == 0.001


def test_sessions_follow_daylight_saving_in_new_york():
    winter, summer = (
        calendars.NYSE.session(date(2025, 3, 7)),
        calendars.NYSE.session(date(2025, 3, 10)),
    )
    assert winter is not None and summer is not None
    assert winter.open == utc("2025-03-07T14:30") and winter.close == utc("2025-03-07T21:00")
    assert summer.open == utc("2025-03-10T13:30") and summer.close == utc("2025-03-10T20:00")
    monday = calendars.CME_GLOBEX.session(date(2025, 3, 10))  # opens Sunday 18:00 EDT
    assert monday is not None and monday.open == utc("2025-03-09T22:00")
    assert monday.bar_time == utc("2025-03-10T00:00")


def test_session_at_knows_the_breaks_weekends_and_holidays():
    assert session_at("AAPL", ny("2025-07-03T12:59")) is not None
    assert session_at("AAPL", ny("2025-07-03T13:00")) is None  # early close
    assert session_at("AAPL", ny("2025-07-04T11:00")) is None  # Independence Day
    assert session_at("ES=F", ny("2025-07-02T17:30")) is None  # the daily break
    assert session_at("ES=F", ny("2025-07-02T18:00")).day == date(2025, 7, 3)
    assert session_at("ES=F", ny("2025-07-05T12:00")) is None  # Saturday
    assert session_at("EURUSD=X", ny("2025-07-06T17:00")).day == date(2025, 7, 7)
    assert session_at("EURUSD=X", ny("2025-07-06T16:59")) is None
    assert session_at("BTC-USD", utc("2025-07-05T12:00")).day == date(2025, 7, 5)


def test_bar_start_for_every_timeframe():
    when = ny("2025-01-22T11:47")  # a Wednesday, the week after Martin Luther King Day
    assert bar_start("AAPL", Timeframe.M1, when) == ny("2025-01-22T11:47")
    assert bar_start("AAPL", Timeframe.M15, when) == ny("2025-01-22T11:45")
    assert bar_start("AAPL", Timeframe.H1, when) == ny("2025-01-22T11:30")
    assert bar_start("AAPL", Timeframe.H4, when) == ny("2025-01-22T09:30")
    assert bar_start("AAPL", Timeframe.D1, when) == ny("2025-01-22T09:30")
    assert bar_start("AAPL", Timeframe.W1, when) == ny("2025-01-21T09:30")  # Tuesday
    assert bar_start("AAPL", Timeframe.MN1, when) == ny("2025-01-02T09:30")
    assert bar_start("AAPL", Timeframe.H1, ny("2025-01-22T08:00")) is None
    assert bar_start("ES=F", Timeframe.H4, ny("2025-01-22T01:00")) == ny("2025-01-21T22:00")


def test_next_bar_times_skip_closed_markets():
    friday_last_hour = ny("2025-04-17T15:30")  # Thursday before Good Friday
    assert next_bar_times("AAPL", Timeframe.H1, friday_last_hour, 2) == [
        ny("2025-04-21T09:30"),
        ny("2025-04-21T10:30"),
    ]
    assert next_bar_times("AAPL", Timeframe.D1, ny("2025-12-23T09:30"), 3) == [
        ny("2025-12-24T09:30"),
        ny("2025-12-26T09:30"),
        ny("2025-12-29T09:30"),
    ]
    assert next_bar_times("AAPL", Timeframe.W1, ny("2025-08-25T09:30"), 2) == [
        ny("2025-09-02T09:30"),
        ny("2025-09-08T09:30"),  # Labor Day Monday
    ]
    assert next_bar_times("AAPL", Timeframe.MN1, ny("2025-12-01T09:30"), 1) == [
        ny("2026-01-02T09:30")
    ]
    assert next_bar_times("ES=F", Timeframe.H1, ny("2025-07-02T16:00"), 1) == [
        ny("2025-07-02T18:00")
    ]
    assert next_bar_times("BTC-USD", Timeframe.D1, utc("2025-07-05T00:00"), 2) == [
        utc("2025-07-06T00:00"),
        utc("2025-07-07T00:00"),
    ]
    assert next_bar_times("AAPL", Timeframe.D1, 0, 0) == []


def test_bars_between_counts_trading_bars_not_clock_time():
    thursday, monday = ny("2025-04-17T09:30"), ny("2025-04-21T09:30")  # Good Friday between
    assert bars_between("AAPL", Timeframe.D1, thursday, monday) == 1
    assert bars_between("AAPL", Timeframe.D1, monday, thursday) == -1
    assert bars_between("AAPL", Timeframe.H1, thursday, monday) == 7
    assert (
        bars_between("BTC-USD", Timeframe.D1, utc("2025-04-17T00:00"), utc("2025-04-21T00:00")) == 4
    )


def test_bar_times_and_sessions_between():
    times = bar_times("AAPL", Timeframe.H4, ny("2025-11-26T00:00"), ny("2025-11-29T00:00"))
    assert times == [ny("2025-11-26T09:30"), ny("2025-11-26T13:30"), ny("2025-11-28T09:30")]
    sessions = sessions_between("ES=F", ny("2025-11-28T12:00"), ny("2025-12-01T12:00"))
    assert [s.day for s in sessions] == [date(2025, 11, 28), date(2025, 12, 1)]
