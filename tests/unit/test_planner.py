"""The rules planner on queries real users type: symbol, timeframe and tools together.

Focused tables live next to this file: symbols (test_planner_symbols.py), timeframes
(test_planner_timeframes.py), indicators and clear (test_planner_indicators.py).
"""

from __future__ import annotations

import dataclasses
import random
import string
import time

import pytest
from pydantic import TypeAdapter

from shared.models.fields import Symbol, Timeframe
from shared.planner.intent import QueryIntent
from shared.planner.rules import TOOL_PATTERNS, parse_query

SR, TL, FIB, TA, PAT, PLAN, IND, CLR = (
    "support_resistance", "trendline", "fibonacci", "technical_analysis", "patterns",
    "trade_plan", "indicators", "clear",
)  # fmt: skip

# query -> (symbol, timeframe, tools)
CASES: list[tuple[str, str | None, str | None, tuple[str, ...]]] = [
    # support / resistance
    ("draw support and resistance for TSLA", "TSLA", None, (SR,)),
    ("Draw support and resistance for Tesla", "TSLA", None, (SR,)),
    ("show me key levels on $NVDA", "NVDA", None, (SR,)),
    ("what are the levels for apple on the daily", "AAPL", "1D", (SR,)),
    ("s/r for msft 4h", "MSFT", "4H", (SR,)),
    ("support for spy", "SPY", None, (SR,)),
    ("resistance levels on qqq weekly", "QQQ", "1W", (SR,)),
    ("DRAW SUPPORT AND RESISTANCE FOR TSLA", "TSLA", None, (SR,)),
    ("Hey, can you pull up Microsoft on the weekly and draw the key levels?", "MSFT", "1W", (SR,)),
    ("what are the key support levels for bitcoin right now", "BTC-USD", None, (SR,)),
    ("can u show me where the resistance is on amzn", "AMZN", None, (SR,)),
    ("Coca-Cola daily support", "KO", "1D", (SR,)),
    ("where's support on the 5 min", None, "5m", (SR,)),
    ("draw support", None, None, (SR,)),
    ("s&p 500 levels", "SPY", None, (SR,)),
    ("/ES levels", "ES=F", None, (SR,)),
    ("supply and demand zones on eth", "ETH-USD", None, (SR,)),
    ("TSLA 1H chart with support", "TSLA", "1H", (SR,)),
    ("hourly levels on nvda", "NVDA", "1H", (SR,)),
    # load / switch only
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
    ("show me the 4 hour chart", None, "4H", ()),
    ("switch to weekly", None, "1W", ()),
    ("go to the 15m", None, "15m", ()),
    ("daily chart", None, "1D", ()),
    ("day chart for amd", "AMD", "1D", ()),
    ("switch from daily to weekly", None, "1W", ()),
    ("what about Home Depot", "HD", None, ()),
    ("bank of america 30 min chart", "BAC", "30m", ()),
    ("show nasdaq daily", "QQQ", "1D", ()),
    ("chart of the VIX", "^VIX", None, ()),
    ("show me NQ 5m", "NQ=F", "5m", ()),
    ("what about SOUN", "SOUN", None, ()),
    ("draw KEY levels for nvda", "NVDA", None, (SR,)),
    ("show the S&P on the 1 hour", "SPY", "1H", ()),
    ("Show me Nvidia on the 1 min", "NVDA", "1m", ()),
    ("Can you draw a trendline on the BTC 4h chart", "BTC-USD", "4H", (TL,)),
    ("I bought TSLA at 250, where should my stop be", "TSLA", None, (PLAN,)),
    ("compare AAPL and MSFT", "AAPL", None, ()),
    ("Compare Nvidia and AMD", "NVDA", None, ()),
    ("QQQ vs SPY", "QQQ", None, ()),
    ("tsla in 15m", "TSLA", "15m", ()),
    # technical analysis
    ("is nvidia overbought", "NVDA", None, (IND, TA)),
    ("how does apple look", "AAPL", None, (TA,)),
    ("how's tsla looking on the daily?", "TSLA", "1D", (TA,)),
    ("technical analysis on coinbase", "COIN", None, (TA,)),
    ("analyze PLTR", "PLTR", None, (TA,)),
    ("what do you think of amd", "AMD", None, (TA,)),
    ("Is Tesla a buy here?", "TSLA", None, (TA,)),
    ("TSLA earnings next week — thoughts?", "TSLA", None, (TA,)),
    ("is the trend clear on tsla", "TSLA", None, (TA,)),
    ("bullish or bearish on sofi?", "SOFI", None, (TA,)),
    ("buy or sell tsla?", "TSLA", None, (TA,)),
    ("what's the outlook for the Dow", "DIA", None, (TA,)),
    ("how is the market doing", None, None, (TA,)),
    ("what's going on with bitcoin", "BTC-USD", None, (TA,)),
    ("what is happening in nvda on the 4h", "NVDA", "4H", (TA,)),
    # patterns
    ("any patterns on the spy daily?", "SPY", "1D", (PAT,)),
    ("is there a head and shoulders on amzn", "AMZN", None, (PAT,)),
    ("double top on netflix?", "NFLX", None, (PAT,)),
    ("is there a bull flag on COIN 15m", "COIN", "15m", (PAT,)),
    ("chart patterns for xrp", "XRP-USD", None, (PAT,)),
    ("draw the neckline on meta", "META", None, (PAT,)),
    # trendlines and fibonacci
    ("draw a trendline", None, None, (TL,)),
    ("trend lines for intel", "INTC", None, (TL,)),
    ("bank of america trendline", "BAC", None, (TL,)),
    ("draw trend lines on crude oil", "USO", None, (TL,)),
    ("fibonacci on solana", "SOL-USD", None, (FIB,)),
    ("home depot fib retracement", "HD", None, (FIB,)),
    ("fib levels on gold", "GLD", None, (FIB,)),
    ("fibonacci retracement levels for spy", "SPY", None, (FIB,)),
    ("draw fib from the recent high to low", None, None, (FIB,)),
    # trade plans
    ("give me a trade setup for AMD", "AMD", None, (PLAN,)),
    ("where should I put my stop loss on tesla", "TSLA", None, (PLAN,)),
    ("entry and target for uber", "UBER", None, (PLAN,)),
    ("entry levels for tsla", "TSLA", None, (PLAN,)),
    ("give me an entry, stop and target for AMD on the 1 hour", "AMD", "1H", (PLAN,)),
    ("what's a good trade setup for nflx", "NFLX", None, (PLAN,)),
    ("upside targets for coinbase", "COIN", None, (PLAN,)),
    # several tools, in page order
    ("levels and trendline for meta 4h", "META", "4H", (SR, TL)),
    ("support, resistance and fib on amd", "AMD", None, (SR, FIB)),
    ("full technical analysis with patterns and a trade plan for nvda daily",
     "NVDA", "1D", (TA, PAT, PLAN)),
    ("add the 50 sma and draw trendlines on tsla", "TSLA", None, (IND, TL)),
    ("remove everything and load MSFT weekly with 20 EMA", "MSFT", "1W", (CLR, IND)),
    ("give me the technicals on $AMD 15min", "AMD", "15m", (TA,)),
    # clear
    ("clear the chart", None, None, (CLR,)),
    ("reset", None, None, (CLR,)),
    ("start over", None, None, (CLR,)),
    ("start over with apple", "AAPL", None, (CLR,)),
    ("please clear the chart and show ethereum 4h", "ETH-USD", "4H", (CLR,)),
    ("reset and do technical analysis", None, None, (CLR, TA)),
    ("clear everything and draw support on nvda", "NVDA", None, (CLR, SR)),
    # nothing to do with charts, or nothing the rules can map
    ("tell me a joke", None, None, ()),
    ("hello", None, None, ()),
    ("what do you think?", None, None, ()),
    ("make the chart look like a swing trader's setup", None, None, ()),
    ("it's not clear to me", None, None, ()),
    ("reset the zoom", None, None, ()),
    ("stop drawing on the chart", None, None, ()),
    ("what is the 52 week high for meta", "META", None, ()),
    ("last 3 days", None, None, ()),
]  # fmt: skip


@pytest.mark.parametrize(("query", "symbol", "timeframe", "tools"), CASES)
def test_realistic_queries(query: str, symbol: str | None, timeframe: str | None, tools):
    intent = parse_query(query)
    assert intent.symbol == symbol
    assert intent.timeframe == (Timeframe(timeframe) if timeframe else None)
    assert intent.tools == tools


@pytest.mark.parametrize(
    ("query", "sides"),
    [
        ("where is support on tesla", ("support",)),
        ("S&P 500 weekly support", ("support",)),
        ("show me the demand zones on amd", ("support",)),
        ("draw resistance only", ("resistance",)),
        ("any overhead resistance levels for nvda?", ("resistance",)),
        ("draw support and resistance for TSLA", ("support", "resistance")),
        ("key levels for apple", ("support", "resistance")),
        ("floors and ceilings on spy", ("support", "resistance")),
        ("s/r on btc", ("support", "resistance")),
    ],
)
def test_a_level_request_names_its_sides(query: str, sides: tuple[str, ...]):
    intent = parse_query(query)
    assert "support_resistance" in intent.tools
    assert intent.level_sides == sides


def test_first_symbol_wins_and_understood_flag():
    assert parse_query("tesla or apple?").symbol == "TSLA"
    assert parse_query("apple or tesla?").symbol == "AAPL"
    assert not parse_query("tell me a joke").understood_anything
    assert parse_query("weekly").understood_anything
    assert parse_query("$hood").understood_anything
    assert parse_query("draw support").understood_anything
    assert parse_query("reset").understood_anything


def test_intent_is_an_immutable_value():
    intent = parse_query("support for tsla")
    assert intent == parse_query("support for tsla")
    with pytest.raises(dataclasses.FrozenInstanceError):
        intent.symbol = "AAPL"  # type: ignore[misc]
    assert QueryIntent() == parse_query("hello")


def test_tools_follow_one_stable_order_without_duplicates():
    order = [CLR, IND, *(tool for tool, _ in TOOL_PATTERNS)]
    query = (
        "clear everything then add rsi, trade plan, patterns, fib, trendline, levels, support "
        "and technical analysis, patterns again"
    )
    tools = parse_query(query).tools
    assert list(tools) == sorted(set(tools), key=order.index)
    assert tools == (CLR, IND, TA, SR, TL, FIB, PAT, PLAN)


def _junk(seed: int) -> str:
    rng = random.Random(seed)
    alphabet = string.printable + "é€🚀’‘$^=/.-ＴＳＬＡ\u200b\u0301İ"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 2000)))


JUNK = [
    "", " ", "\x00\x01", "🚀🚀🚀", "$", "$$$", "^", "^^^", "1" * 2000, "((((", "a" * 2000,
    "A" * 2000, "sma " * 500, "= / - .", "$-", "$^", "$.", "ma50 " * 400, "4h " * 600,
    "9," * 1000, "clear " * 400, "AAPL " * 400, "İstanbul TSLA", "ＴＳＬＡ", "tesla\u200b",
    "\n\n\t", "50 and " * 300, "$A" * 1000, "rsi(" * 500, "from " * 400, *map(_junk, range(40)),
]  # fmt: skip
SYMBOL: TypeAdapter[str] = TypeAdapter(Symbol)


@pytest.mark.parametrize("junk", JUNK)
def test_junk_never_raises_and_gives_valid_values(junk: str):
    intent = parse_query(junk)
    assert isinstance(intent.understood_anything, bool)
    if intent.symbol is not None:
        assert SYMBOL.validate_python(intent.symbol) == intent.symbol
    assert len(set(intent.tools)) == len(intent.tools)
    assert ("indicators" in intent.tools) == bool(intent.indicators)
    assert ("clear" in intent.tools) == (intent.clear is not None)


def test_full_width_text_is_read():
    assert parse_query("ＴＳＬＡ ４ｈ").symbol == "TSLA"
    assert parse_query("ＴＳＬＡ ４ｈ").timeframe == Timeframe.H4


def test_junk_cannot_make_the_parser_backtrack():
    """Hang bound, not a speed test (the planner's p50/p95 are in `make bench`): a pattern that
    backtracks catastrophically on hostile input takes seconds to hours, far past this bound."""
    for junk in JUNK:
        start = time.perf_counter()
        parse_query(junk)
        assert time.perf_counter() - start < 1.0, junk[:40]
