"""The values in the answers are the analysis' values: recomputed here from the provider's bars
by the plainest formula (a mean of closes, a scan for a sign change), not by the code under
test, and compared with `text`, `data.analysis` and the command times."""

from __future__ import annotations

import typing
from datetime import UTC, datetime
from itertools import pairwise

import pytest

from shared.analysis.swings import average_true_range
from shared.core import render
from shared.core.action import plan_chart_action
from shared.core.outcomes import Notice, Outcome
from shared.market_data.base import Bar, UnknownSymbolError
from shared.models.action import ChartActionRequest, ChartActionResponse
from shared.models.context import StoredContext
from shared.models.fields import Timeframe
from shared.models.prices import format_price, round_price
from tests.helpers import sample_provider

SAMPLE = sample_provider()


class ListedSymbols:
    """A vendor with a fixed universe, as Alpaca is: the sample's bars for the symbols it
    lists, `UnknownSymbolError` for the rest (the sample provider itself knows every name)."""

    name = "listed"
    is_sample = True

    def __init__(self, listed: set[str]) -> None:
        self.listed = listed

    def get_bars(self, symbol: str, timeframe: Timeframe, limit: int) -> list[Bar]:
        if symbol not in self.listed:
            raise UnknownSymbolError(f"no bars for {symbol}")
        return SAMPLE.get_bars(symbol, timeframe, limit)


def ask(query: str, symbol: str = "TSLA", timeframe: str = "1D", provider=SAMPLE):
    stored = StoredContext(symbol=symbol, timeframe=timeframe, updated_at="2026-12-01T00:00:00Z")
    return plan_chart_action(ChartActionRequest(query=query), stored, provider)


def summary(answer: ChartActionResponse) -> str:
    return answer.text.splitlines()[0]


def mean(values: list[float]) -> float:
    return sum(values) / len(values)


def closes(symbol: str, timeframe: Timeframe, count: int = 1000) -> list[float]:
    return [b.close for b in SAMPLE.get_bars(symbol, timeframe, count)]


def test_every_outcome_has_words():
    kinds = typing.get_args(Outcome)
    assert set(render.WRITERS) | {Notice} == set(kinds)
    assert set(render.NOTICES) == set(Notice)


@pytest.mark.parametrize(
    ("query", "timeframe", "period", "bars_tf"),
    [
        ("where is the 50 day?", "1D", 50, Timeframe.D1),
        ("where is the 200 day?", "1W", 40, Timeframe.W1),
        ("what's the 20 sma", "1H", 20, Timeframe.H1),
    ],
)
def test_a_moving_average_answer_is_the_mean_of_the_closes(query, timeframe, period, bars_tf):
    answer = ask(query, "AAPL", timeframe)
    expected = round_price(mean(closes("AAPL", bars_tf)[-period:]), "AAPL")
    (value,) = answer.data.analysis.indicators
    assert (value.name, value.period, value.value) == ("SMA", period, expected)
    assert f"SMA {period} is {format_price(expected)}" in summary(answer)
    assert answer.chart_commands == [f"INDICATOR:SMA:{period}"]


def wilder_rsi(values: list[float], period: int = 14) -> float:
    changes = [b - a for a, b in pairwise(values)]
    gain = mean([max(c, 0) for c in changes[:period]])
    loss = mean([max(-c, 0) for c in changes[:period]])
    for change in changes[period:]:
        gain = (gain * (period - 1) + max(change, 0)) / period
        loss = (loss * (period - 1) + max(-change, 0)) / period
    return 100 - 100 / (1 + gain / loss)


def test_the_rsi_answer_is_wilders_rsi_of_the_bars():
    answer = ask("what's the RSI on META right now")
    expected = round(wilder_rsi(closes("META", Timeframe.D1, answer.data.market_data.bars)), 1)
    assert answer.data.analysis.indicators[0].value == expected
    assert f"RSI 14 is {expected:.1f}" in summary(answer)


def naive_last_cross(values: list[float], fast: int, slow: int) -> tuple[str, int] | None:
    """(kind, index) of the last bar where SMA(fast) - SMA(slow) changed sign."""
    diffs = {
        i: mean(values[i - fast + 1 : i + 1]) - mean(values[i - slow + 1 : i + 1])
        for i in range(slow - 1, len(values))
    }
    for i in range(len(values) - 1, slow - 1, -1):
        if (diffs[i - 1] <= 0 < diffs[i]) or (diffs[i - 1] >= 0 > diffs[i]):
            return ("golden" if diffs[i] > 0 else "death"), i
    return None


@pytest.mark.parametrize(
    ("symbol", "timeframe", "fast", "slow"),
    [("SPY", "1D", 50, 200), ("TSLA", "1D", 50, 200), ("NVDA", "1W", 10, 40)],
)
def test_the_cross_answer_names_the_last_cross_and_its_date(symbol, timeframe, fast, slow):
    answer = ask(f"golden cross on {symbol}?", symbol, timeframe)
    bars = SAMPLE.get_bars(symbol, Timeframe(timeframe), answer.data.market_data.bars)
    kind, index = naive_last_cross([b.close for b in bars], fast, slow)
    cross = answer.data.analysis.cross
    day = datetime.fromtimestamp(bars[index].time, UTC).strftime("%Y-%m-%d")
    assert (cross.last, cross.time, cross.date) == (kind, bars[index].time, day)
    assert (cross.fast_period, cross.slow_period) == (fast, slow)
    assert cross.bars_ago == len(bars) - 1 - index
    assert day in summary(answer)
    said = "yes, golden cross" if kind == "golden" else "no golden cross since the last death"
    assert said in summary(answer)
    assert answer.chart_commands == [f"INDICATOR:SMA:{fast}", f"INDICATOR:SMA:{slow}"]


def test_near_support_is_the_distance_to_the_drawn_level_in_atrs():
    answer = ask("is nvda near resistance?", "NVDA")
    bars = SAMPLE.get_bars("NVDA", Timeframe.D1, 300)
    close, atr = bars[-1].close, average_true_range(bars)
    level = answer.data.levels.resistance[0]
    (distance,) = [d for d in answer.data.analysis.nearest_levels if d.side == "resistance"]
    assert distance.price == level
    assert distance.distance_pct == pytest.approx((level - close) / close * 100, abs=0.01)
    assert distance.near == (abs(level - close) <= atr)
    verdict = "yes" if distance.near else "no"
    assert f"Near resistance? {verdict}: resistance {format_price(level)}" in summary(answer)


@pytest.mark.parametrize("query", ["head and shoulders on qqq?", "any double top on qqq?"])
def test_a_named_pattern_is_answered_found_or_not(query):
    answer = ask(query)
    analysis = answer.data.analysis
    found = {p.name for p in analysis.patterns}
    (check,) = analysis.patterns_asked
    assert check.found == (check.name in found)
    human = check.name.lower().replace("_", " ")
    assert (f"no {human}" in summary(answer)) != check.found
    for pattern in analysis.patterns:
        assert f"PATTERN:{pattern.name}:{pattern.t1}:{pattern.t2}" in answer.chart_commands
        if pattern.name != check.name:
            assert "found instead: " in summary(answer)
            assert render.describe_pattern(pattern) in summary(answer)
    assert "_" not in summary(answer)


def first_bar_from(bars: list[Bar], start: int) -> int:
    return next(b.time for b in bars if b.time >= start)


@pytest.mark.parametrize(
    ("query", "start"),
    [
        ("show me the last 3 months", datetime(2026, 9, 1, tzinfo=UTC)),
        ("ytd", datetime(2026, 1, 1, tzinfo=UTC)),
        ("since january", datetime(2026, 1, 1, tzinfo=UTC)),
    ],
)
def test_a_range_runs_from_the_first_bar_of_the_span_to_the_latest(query, start):
    answer = ask(query)
    bars = SAMPLE.get_bars("TSLA", Timeframe.D1, 300)
    assert answer.chart_commands == [
        f"RANGE:{first_bar_from(bars, int(start.timestamp()))}:{bars[-1].time}"
    ]


def test_a_calendar_year_ends_on_its_last_session():
    answer = ask("show me 2024")
    t1, t2 = (int(t) for t in answer.chart_commands[0].split(":")[1:])
    first, last = (datetime.fromtimestamp(t, UTC) for t in (t1, t2))
    assert (first.date().isoformat(), last.date().isoformat()) == ("2024-01-02", "2024-12-31")
    assert first.hour == 14 and first.minute == 30  # the NYSE opens 09:30 New York, EST


@pytest.mark.parametrize(("timeframe", "source"), [("1D", Timeframe.D1), ("1H", Timeframe.D1)])
def test_since_the_march_low_starts_at_the_bar_of_the_low(timeframe, source):
    answer = ask("since the March low", "TSLA", timeframe)
    daily = SAMPLE.get_bars("TSLA", source, 300)
    march = [b for b in daily if datetime.fromtimestamp(b.time, UTC).month == 3]
    low = min(march, key=lambda b: b.low)
    t1 = int(answer.chart_commands[0].split(":")[1])
    assert t1 == low.time  # on 1H the first hourly bar of that session: its open, as the day's
    assert "since the March low" in summary(answer)


def test_a_comparison_with_a_symbol_without_bars_names_it_and_draws_the_rest():
    provider = ListedSymbols({"TSLA", "RIVN"})
    answer = ask("compare TSLA to RIVN and ZZZQ", provider=provider)
    assert answer.chart_commands == ["COMPARE:RIVN"]
    assert "comparing with RIVN" in summary(answer)
    assert "ZZZQ: no market data, not compared" in summary(answer)
    assert answer.data.ignored == ["compare ZZZQ: no market data"]
    assert answer.data.tools_used == ["compare"]


def test_only_unknown_comparisons_never_say_nothing_to_change():
    answer = ask("compare with ZZZQ", provider=ListedSymbols({"TSLA"}))
    assert answer.chart_commands == []
    assert "ZZZQ" in summary(answer) and "nothing to change" not in summary(answer)


def test_an_unknown_ticker_is_not_replaced_by_the_charts_symbol():
    answer = ask("load zqxv and draw support")
    assert answer.chart_commands == []
    assert "'zqxv': not a symbol I know; nothing done, the chart stays on TSLA" in summary(answer)
    assert answer.data.ignored == ["symbol zqxv"]
    assert answer.data.market_data is None


def test_a_word_that_only_looks_like_one_is_drawn_on_the_charts_symbol_and_said():
    answer = ask("support for sunpower")
    assert answer.chart_commands and all(c.startswith("SUPPORT:") for c in answer.chart_commands)
    assert "'sunpower': not a symbol I know; used TSLA, the chart's symbol, instead" in (
        summary(answer)
    )
    assert answer.data.ignored == ["symbol sunpower"]
    assert answer.data.market_data is not None


def test_a_loose_word_beside_a_named_symbol_uses_no_substitute():
    answer = ask("load nvda then support for sunpower")
    assert answer.chart_commands[0] == "LOAD:NVDA"
    assert "'sunpower': not a symbol I know." in summary(answer)
    assert "used TSLA" not in summary(answer) and answer.data.ignored == ["symbol sunpower"]


def test_a_loose_word_beside_a_refused_ticker_is_named_too():
    answer = ask("load zqxv and support for sunpower")
    assert answer.chart_commands == []
    assert "'zqxv': not a symbol I know; nothing done" in summary(answer)
    assert "'sunpower': not a symbol I know." in summary(answer)
    assert answer.data.ignored == ["symbol zqxv", "symbol sunpower"]


def test_unsupported_requests_are_named_in_data():
    answer = ask("undo")
    assert answer.data.ignored == ["undo"] and answer.chart_commands == []


def test_prices_in_text_are_the_commands_prices():
    answer = ask("technical analysis, trendline, fibonacci and a trade plan for ES", "ES=F")
    for line in answer.chart_commands:
        verb, *args = line.split(":")
        if verb in {"SUPPORT", "RESISTANCE", "ENTRY", "TARGET", "STOPLOSS", "FIBONACCI"}:
            for price in args:
                assert float(price) % 0.25 == 0, line  # ES ticks in quarter points
                assert price in summary(answer), line


def test_currency_levels_keep_their_pips():
    """Levels are rounded once, to the pair's tick (0.00001), not to a cent first."""
    answer = ask("support and resistance, trendline and fibonacci", "EURUSD=X")
    prices = [
        price
        for line in answer.chart_commands
        if line.split(":")[0] in {"SUPPORT", "RESISTANCE", "FIBONACCI", "TRENDLINE"}
        for price in line.split(":")[1:]
        if "." in price
    ]
    assert prices and all(len(p.split(".")[1]) == 5 for p in prices)
    assert any(round(float(p), 2) != float(p) for p in prices)


def test_the_volume_answer_compares_the_last_bar_with_the_20_before():
    answer = ask("is volume rising?")
    bars = SAMPLE.get_bars("TSLA", Timeframe.D1, answer.data.market_data.bars)
    (value,) = answer.data.analysis.indicators
    assert value.value == bars[-1].volume
    assert value.average == round(mean([b.volume for b in bars[-21:-1]]))
    assert f"{bars[-1].volume / value.average:.1f}x the 20-bar average" in summary(answer)
