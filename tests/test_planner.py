"""The rules planner on queries real users type: symbols, timeframes, indicators, tools, clear."""

from __future__ import annotations

import pytest

from shared.models.fields import Timeframe
from shared.planner.rules import parse_query

# query -> (symbol, timeframe, tools)
CASES: list[tuple[str, str | None, str | None, tuple[str, ...]]] = [
    ("draw support and resistance for TSLA", "TSLA", None, ("support_resistance",)),
    ("Draw support and resistance for Tesla", "TSLA", None, ("support_resistance",)),
    ("show me key levels on $NVDA", "NVDA", None, ("support_resistance",)),
    ("what are the levels for apple on the daily", "AAPL", "1D", ("support_resistance",)),
    ("s/r for msft 4h", "MSFT", "4H", ("support_resistance",)),
    ("support for spy", "SPY", None, ("support_resistance",)),
    ("resistance levels on qqq weekly", "QQQ", "1W", ("support_resistance",)),
    ("DRAW SUPPORT AND RESISTANCE FOR TSLA", "TSLA", None, ("support_resistance",)),
    ("what about AAPL?", "AAPL", None, ()),
    ("load nvidia", "NVDA", None, ()),
    ("show me google", "GOOGL", None, ()),
    ("pull up alphabet on the hourly", "GOOGL", "1H", ()),
    ("switch to facebook", "META", None, ()),
    ("bitcoin 15 minute chart", "BTC-USD", "15m", ()),
    ("show ethereum weekly", "ETH-USD", "1W", ()),
    ("dogecoin 5 min", "DOGE-USD", "5m", ()),
    ("BTC-USD daily", "BTC-USD", "1D", ()),
    ("chart BRK.B monthly", "BRK.B", "1M", ()),
    ("berkshire 1M", "BRK.B", "1M", ()),
    ("ES=F on the 1 minute", "ES=F", "1m", ()),
    ("^GSPC weekly", "^GSPC", "1W", ()),
    ("bank of america trendline", "BAC", None, ("trendline",)),
    ("home depot fib retracement", "HD", None, ("fibonacci",)),
    ("show me the 4 hour chart", None, "4H", ()),
    ("switch to weekly", None, "1W", ()),
    ("go to the 15m", None, "15m", ()),
    ("1 hour please", None, "1H", ()),
    ("daily chart", None, "1D", ()),
    ("monthly view", None, "1M", ()),
    ("30 min candles", None, "30m", ()),
    ("an hour chart", None, "1H", ()),
    ("use 60m bars", None, "1H", ()),
    ("day chart for amd", "AMD", "1D", ()),
    ("is nvidia overbought", "NVDA", None, ("indicators", "technical_analysis")),
    ("how does apple look", "AAPL", None, ("technical_analysis",)),
    ("technical analysis on coinbase", "COIN", None, ("technical_analysis",)),
    ("analyze PLTR", "PLTR", None, ("technical_analysis",)),
    ("any patterns on the spy daily?", "SPY", "1D", ("patterns",)),
    ("is there a head and shoulders on amzn", "AMZN", None, ("patterns",)),
    ("double top on netflix?", "NFLX", None, ("patterns",)),
    ("draw a trendline", None, None, ("trendline",)),
    ("trend lines for intel", "INTC", None, ("trendline",)),
    ("fibonacci on solana", "SOL-USD", None, ("fibonacci",)),
    ("fib levels on gold", "GLD", None, ("support_resistance", "fibonacci")),
    ("give me a trade setup for AMD", "AMD", None, ("trade_plan",)),
    ("where should I put my stop loss on tesla", "TSLA", None, ("trade_plan",)),
    ("entry and target for uber", "UBER", None, ("trade_plan",)),
    ("clear the chart", None, None, ("clear",)),
    ("reset", None, None, ("clear",)),
    ("start over", None, None, ("clear",)),
    ("tell me a joke", None, None, ()),
    ("hello", None, None, ()),
    ("what do you think?", None, None, ()),
    ("I think IT is ALL good AND fine", None, None, ()),
    ("OK so what now", None, None, ()),
    ("is the CEO any good at AI", None, None, ()),
    ("show RSI and MACD", None, None, ("indicators",)),
    ("USD strength today", None, None, ()),
    ("ATH soon?", None, None, ()),
    ("what's the ETF with the most volume", None, None, ("indicators",)),
    ("draw support", None, None, ("support_resistance",)),
    ("what is the low of the day", None, None, ()),
    ("compare AAPL and MSFT", "AAPL", None, ()),
    ("TSLA 1H chart with support", "TSLA", "1H", ("support_resistance",)),
    ("levels and trendline for meta 4h", "META", "4H", ("support_resistance", "trendline")),
]  # fmt: skip


@pytest.mark.parametrize(("query", "symbol", "timeframe", "tools"), CASES)
def test_realistic_queries(query: str, symbol: str | None, timeframe: str | None, tools):
    intent = parse_query(query)
    assert intent.symbol == symbol
    assert intent.timeframe == (Timeframe(timeframe) if timeframe else None)
    assert intent.tools == tools


# query -> indicator command strings
INDICATORS: list[tuple[str, list[str]]] = [
    ("add the 50 day moving average", ["INDICATOR:SMA:50"]),
    ("50 sma", ["INDICATOR:SMA:50"]),
    ("sma 200", ["INDICATOR:SMA:200"]),
    ("put the 50-day MA on", ["INDICATOR:SMA:50"]),
    ("20 ema", ["INDICATOR:EMA:20"]),
    ("add an exponential moving average", ["INDICATOR:EMA"]),
    ("ema(9) and ema(21)", ["INDICATOR:EMA:9", "INDICATOR:EMA:21"]),
    ("50 and 200 day moving averages", ["INDICATOR:SMA:50", "INDICATOR:SMA:200"]),
    ("the 200 SMA and the 21 EMA", ["INDICATOR:SMA:200", "INDICATOR:EMA:21"]),
    ("rsi", ["INDICATOR:RSI"]),
    ("14 period rsi", ["INDICATOR:RSI:14"]),
    ("relative strength index", ["INDICATOR:RSI"]),
    ("macd", ["INDICATOR:MACD"]),
    ("bollinger bands on tsla", ["INDICATOR:BBANDS"]),
    ("show vwap and volume", ["INDICATOR:VWAP", "INDICATOR:VOLUME"]),
    ("rsi on the 4 hour chart", ["INDICATOR:RSI"]),
    ("add ma50", ["INDICATOR:SMA:50"]),
    ("is it oversold", ["INDICATOR:RSI:14"]),
    ("draw support and resistance", []),
]


@pytest.mark.parametrize(("query", "expected"), INDICATORS)
def test_indicators_and_periods(query: str, expected: list[str]):
    intent = parse_query(query)
    assert [c.to_string() for c in intent.indicators] == expected
    assert ("indicators" in intent.tools) == bool(expected)


def test_indicator_periods_are_not_timeframes():
    for query in ("add the 50 day moving average", "14 day rsi", "200-day sma", "20 day high"):
        assert parse_query(query).timeframe is None, query


@pytest.mark.parametrize(
    ("query", "what", "indicators"),
    [
        ("clear the chart", "ALL", []),
        ("clear everything", "ALL", []),
        ("remove all indicators", "INDICATORS", []),
        ("remove the rsi", "INDICATORS", []),
        ("delete the drawings", "DRAWINGS", []),
        ("erase the trendlines", "DRAWINGS", []),
        ("clear the levels then add the 20 ema", "DRAWINGS", ["INDICATOR:EMA:20"]),
        ("reset and show the macd", "ALL", ["INDICATOR:MACD"]),
    ],
)
def test_clear(query: str, what: str, indicators: list[str]):
    intent = parse_query(query)
    assert intent.clear is not None and intent.clear.what == what
    assert intent.tools[0] == "clear"
    assert [c.to_string() for c in intent.indicators] == indicators


def test_first_symbol_wins_and_recognised_flag():
    assert parse_query("tesla or apple?").symbol == "TSLA"
    assert not parse_query("tell me a joke").recognised
    assert parse_query("weekly").recognised
    assert parse_query("$hood").symbol == "HOOD"


@pytest.mark.parametrize("junk", ["", " ", "\x00\x01", "🚀🚀🚀", "$", "$$$", "^", "1" * 2000,
                                  "((((", "a" * 2000, "sma " * 300, "= / - ."])  # fmt: skip
def test_junk_never_raises(junk: str):
    parse_query(junk)
