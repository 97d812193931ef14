"""Indicators with their periods, and what clear/reset/remove clears."""

from __future__ import annotations

import pytest

from shared.planner.rules import parse_query

# query -> indicator command strings (no period = the page's default)
INDICATORS: list[tuple[str, list[str]]] = [
    ("add the 50 day moving average", ["INDICATOR:SMA:50"]),
    ("50 sma", ["INDICATOR:SMA:50"]),
    ("sma 200", ["INDICATOR:SMA:200"]),
    ("sma50", ["INDICATOR:SMA:50"]),
    ("put the 50-day MA on", ["INDICATOR:SMA:50"]),
    ("add ma50", ["INDICATOR:SMA:50"]),
    ("simple moving average", ["INDICATOR:SMA"]),
    ("moving averages please", ["INDICATOR:SMA"]),
    ("20 ema", ["INDICATOR:EMA:20"]),
    ("20ema", ["INDICATOR:EMA:20"]),
    ("add an exponential moving average", ["INDICATOR:EMA"]),
    ("21 period exponential moving average", ["INDICATOR:EMA:21"]),
    ("ema(9) and ema(21)", ["INDICATOR:EMA:9", "INDICATOR:EMA:21"]),
    ("Add 9 EMA and 21 EMA to the chart", ["INDICATOR:EMA:9", "INDICATOR:EMA:21"]),
    ("9, 21 and 50 ema", ["INDICATOR:EMA:9", "INDICATOR:EMA:21", "INDICATOR:EMA:50"]),
    ("20 and 50 emas", ["INDICATOR:EMA:20", "INDICATOR:EMA:50"]),
    ("50 and 200 day moving averages", ["INDICATOR:SMA:50", "INDICATOR:SMA:200"]),
    ("the 200 SMA and the 21 EMA", ["INDICATOR:SMA:200", "INDICATOR:EMA:21"]),
    ("plot the 200 day moving average on SPY", ["INDICATOR:SMA:200"]),
    ("golden cross on spy", ["INDICATOR:SMA:50", "INDICATOR:SMA:200"]),
    ("4 hour ema", ["INDICATOR:EMA"]),  # the 4 is the chart's hours, not a period
    ("show the 4h 20 ema", ["INDICATOR:EMA:20"]),
    ("rsi", ["INDICATOR:RSI"]),
    ("RSI", ["INDICATOR:RSI"]),
    ("rsi 14", ["INDICATOR:RSI:14"]),
    ("14 period rsi", ["INDICATOR:RSI:14"]),
    ("rsi(7)", ["INDICATOR:RSI:7"]),
    ("rsi 4h", ["INDICATOR:RSI"]),
    ("rsi on the 4 hour chart", ["INDICATOR:RSI"]),
    ("relative strength index", ["INDICATOR:RSI"]),
    ("is it oversold", ["INDICATOR:RSI"]),
    ("is nvidia overbought", ["INDICATOR:RSI"]),
    ("macd", ["INDICATOR:MACD"]),
    ("macd 12 26 9", ["INDICATOR:MACD"]),
    ("MACD crossover on QQQ?", ["INDICATOR:MACD"]),
    ("bollinger bands on tsla", ["INDICATOR:BBANDS"]),
    ("bbands 20 on qqq", ["INDICATOR:BBANDS:20"]),
    ("add bollinger bands and vwap", ["INDICATOR:BBANDS", "INDICATOR:VWAP"]),
    ("show vwap and volume", ["INDICATOR:VWAP", "INDICATOR:VOLUME"]),
    ("add rsi, macd and the 20 ema", ["INDICATOR:RSI", "INDICATOR:MACD", "INDICATOR:EMA:20"]),
    ("ema 20 and sma 50 on msft daily", ["INDICATOR:EMA:20", "INDICATOR:SMA:50"]),
    ("rsi and rsi again", ["INDICATOR:RSI"]),
    ("sma 0 and sma 999", ["INDICATOR:SMA"]),
    ("ma'am show tsla", []),
    ("draw support and resistance", []),
    ("what is the 52 week high", []),
    ("tsla 250 and the trendline", []),
]


@pytest.mark.parametrize(("query", "expected"), INDICATORS)
def test_indicators_and_periods(query: str, expected: list[str]):
    intent = parse_query(query)
    assert [c.to_string() for c in intent.indicators] == expected
    assert ("indicators" in intent.tools) == bool(expected)


# query -> (what is cleared, indicators added afterwards, other tools)
CLEARS: list[tuple[str, str, list[str], tuple[str, ...]]] = [
    ("clear the chart", "ALL", [], ()),
    ("clear", "ALL", [], ()),
    ("Clear!", "ALL", [], ()),
    ("clear everything", "ALL", [], ()),
    ("reset", "ALL", [], ()),
    ("start over", "ALL", [], ()),
    ("ok, start fresh", "ALL", [], ()),
    ("can you please wipe the chart", "ALL", [], ()),
    ("the chart is messy, clean up", "ALL", [], ()),
    ("remove all indicators", "INDICATORS", [], ()),
    ("remove the rsi", "INDICATORS", [], ()),
    ("remove 50 sma", "INDICATORS", [], ()),
    ("hide the volume", "INDICATORS", [], ()),
    ("take off the rsi", "INDICATORS", [], ()),
    ("take the macd off", "INDICATORS", [], ()),
    ("turn off rsi", "INDICATORS", [], ()),
    ("please switch the bollinger bands off", "INDICATORS", [], ()),
    ("drop the bollinger bands", "INDICATORS", [], ()),
    (
        "take the 50 day moving average off and add the 200 sma",
        "INDICATORS",
        ["INDICATOR:SMA:200"],
        (),
    ),
    ("Remove all drawings", "DRAWINGS", [], ()),
    ("delete the drawings", "DRAWINGS", [], ()),
    ("erase the trendlines", "DRAWINGS", [], ()),
    ("get rid of the fib", "DRAWINGS", [], ()),
    ("clear support and resistance", "DRAWINGS", [], ()),
    ("remove drawings and indicators", "ALL", [], ()),
    ("clear the trendlines but keep the indicators", "DRAWINGS", [], ()),
    ("clear the levels then add the 20 ema", "DRAWINGS", ["INDICATOR:EMA:20"], ()),
    ("clear indicators and add macd", "INDICATORS", ["INDICATOR:MACD"], ()),
    ("reset and show the macd", "ALL", ["INDICATOR:MACD"], ()),
    ("clear everything and draw support on nvda", "ALL", [], ("support_resistance",)),
    ("remove the old lines and draw new support", "DRAWINGS", [], ("support_resistance",)),
]


@pytest.mark.parametrize(("query", "what", "indicators", "tools"), CLEARS)
def test_clear(query: str, what: str, indicators: list[str], tools: tuple[str, ...]):
    intent = parse_query(query)
    assert intent.clear is not None and intent.clear.what == what
    assert intent.tools[0] == "clear"
    assert [c.to_string() for c in intent.indicators] == indicators
    assert tuple(t for t in intent.tools if t not in {"clear", "indicators"}) == tools


@pytest.mark.parametrize(
    "query",
    [
        "is the trend clear on tsla", "it's not clear to me", "will nvda clear 250",
        "tsla needs to clear resistance", "once it clears the high", "reset the zoom",
        "how do I read this", "a clear breakout above 200",
        "did tsla drop after earnings", "will nvda take off", "when does the rally take off",
        "turn the chart to weekly", "switch to 4h",
    ],
)  # fmt: skip
def test_clear_only_as_a_command(query: str):
    assert parse_query(query).clear is None
