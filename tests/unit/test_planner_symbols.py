"""Which symbol a query names: tickers, cashtags, company names, and no false tickers."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter

from shared.models.fields import Symbol
from shared.planner.names import (
    COMPANY_NAMES,
    INDEX_TICKERS,
    LOWERCASE_TICKERS,
    NOT_TICKERS,
    POPULAR_TICKERS,
)
from shared.planner.rules import parse_query
from shared.planner.symbols import NAMES, find_symbol, normalise_explicit

SYMBOL: TypeAdapter[str] = TypeAdapter(Symbol)

NAMED: list[tuple[str, str]] = [
    # tickers as written, in any of the SPEC 3 forms
    ("TSLA", "TSLA"), ("BRK.B levels", "BRK.B"), ("BTC-USD", "BTC-USD"), ("ES=F", "ES=F"),
    ("^GSPC", "^GSPC"), ("^VIX daily", "^VIX"), ("show me BRK-B", "BRK.B"), ("BRK/B", "BRK.B"),
    ("BTC/USD", "BTC-USD"), ("ETH-USDT 4h", "ETH-USDT"), ("BTCUSD 1h", "BTC-USD"),
    ("btc/usd", "BTC-USD"), ("what about AAPL?", "AAPL"), ("TSLA's support", "TSLA"),
    ("show me SOUN", "SOUN"), ("SHOW ME SOUN", "SOUN"), ("load IONQ", "IONQ"),
    ("is RKLB breaking out", "RKLB"), ("WSB loves GME", "GME"), ("DD on PLTR", "PLTR"),
    ("show me ARM", "ARM"), ("load CAT", "CAT"), ("check SOFI", "SOFI"),
    ("what's the IV on TSLA", "TSLA"), ("EPS beat for AAPL", "AAPL"), ("P/E of AAPL", "AAPL"),
    ("Q3 earnings for NVDA", "NVDA"), ("EMA20 on TSLA", "TSLA"), ("SPY/QQQ ratio", "SPY"),
    ("ES levels", "ES=F"), ("/NQ 5m", "NQ=F"), ("SPX", "SPY"), ("NDX", "QQQ"),
    ("I want to see BTC", "BTC-USD"), ("ADA weekly", "ADA-USD"), ("XRP", "XRP-USD"),
    # cashtags, in any case
    ("$TSLA", "TSLA"), ("$tsla to the moon", "TSLA"), ("$hood", "HOOD"), ("$BRK.B", "BRK.B"),
    ("look at $PLTR.", "PLTR"), ("$BTC weekly", "BTC-USD"), ("$spx", "SPY"), ("load $F", "F"),
    ("$DOT", "DOT-USD"), ("$now", "NOW"), ("$LOW earnings", "LOW"),
    # lower-case tickers that are not words
    ("support for spy", "SPY"), ("tsla 4h", "TSLA"), ("nvda", "NVDA"), ("qqq weekly", "QQQ"),
    # company names
    ("Tesla", "TSLA"), ("is nvidia overbought", "NVDA"), ("Show me Apple", "AAPL"),
    ("microsoft", "MSFT"), ("amazon", "AMZN"), ("alphabet", "GOOGL"), ("facebook", "META"),
    ("netflix", "NFLX"), ("AMD", "AMD"), ("intel", "INTC"), ("palantir", "PLTR"),
    ("coinbase", "COIN"), ("jpmorgan", "JPM"), ("JP Morgan", "JPM"),
    ("berkshire hathaway weekly", "BRK.B"), ("walmart", "WMT"), ("disney", "DIS"),
    ("boeing", "BA"), ("bank of america", "BAC"), ("Home Depot", "HD"),
    ("Coca-Cola", "KO"), ("mcdonald's", "MCD"), ("lowe's", "LOW"), ("servicenow", "NOW"),
    ("at&t", "T"), ("ford daily", "F"), ("visa weekly", "V"), ("citi", "C"),
    ("goldman sachs", "GS"), ("eli lilly", "LLY"), ("nvidia's earnings", "NVDA"),
    ("nvidia’s earnings", "NVDA"), ("under the hood of nvda", "NVDA"),
    # ETFs, indices, commodities: words name the tracking ETF
    ("the S&P 500", "SPY"), ("s&p", "SPY"), ("spx daily", "SPY"), ("nasdaq", "QQQ"),
    ("dow jones weekly", "DIA"), ("russell 2000", "IWM"), ("small caps", "IWM"),
    ("gold price chart", "GLD"), ("silver", "SLV"), ("crude oil", "USO"), ("bonds", "TLT"),
    ("semis", "SMH"), ("the vix", "^VIX"),
    # crypto
    ("bitcoin", "BTC-USD"), ("btc", "BTC-USD"), ("ethereum", "ETH-USD"), ("eth", "ETH-USD"),
    ("solana", "SOL-USD"), ("dogecoin to the moon?", "DOGE-USD"), ("xrp", "XRP-USD"),
    ("ripple", "XRP-USD"), ("cardano", "ADA-USD"), ("shiba inu", "SHIB-USD"),
    # currency pairs in any case, with or without a separator
    ("eur/usd 4h", "EUR-USD"), ("load eurusd", "EUR-USD"), ("gbp-usd support", "GBP-USD"),
    ("usd/jpy weekly", "USD-JPY"), ("chart EUR/USD", "EUR-USD"),
    # single letters only right after a load verb
    ("load F", "F"), ("show me T", "T"), ("chart V", "V"),
    # several named: the first wins, known symbols before unknown capitals
    ("compare AAPL and MSFT", "AAPL"), ("Compare Nvidia and AMD", "NVDA"),
    ("tesla or apple?", "TSLA"), ("what's the PRICE of tsla", "TSLA"),
    ("NEW HIGHS for MSFT?", "MSFT"), ("GOLDEN cross on AAPL", "AAPL"),
]  # fmt: skip


@pytest.mark.parametrize(("query", "symbol"), NAMED)
def test_named_symbols(query: str, symbol: str):
    assert parse_query(query).symbol == symbol


NOT_NAMED = [
    # the brief's list of words and jargon
    "I think IT is ALL good AND fine", "OK so what now", "is the CEO any good at AI",
    "USD strength today", "ATH soon?", "what's the ETF with the most volume",
    "show RSI and MACD", "EMA SMA VWAP", "I AM ON IT", "BE there OR be square", "GO UP",
    "going DOWN NOW", "SO good", "TV time", "DD later", "8 AM or 9 PM", "US markets",
    # lower case never maps except through the name table
    "draw support", "draw support and resistance", "what is the low of the day",
    "show me the 4 hour chart", "compare", "is it a good time to buy", "which coin should I buy",
    "zoom in", "snap back rally", "show the 3m chart", "all in", "it's now or never",
    "what about it?", "cost basis", "run it", "the main event", "dis is nice", "shop around",
    # capitals people use for emphasis, greetings and acronyms
    "I need HELP reading this chart", "This is SO confusing, what does the MACD say",
    "Can you PLEASE draw support", "DRAW SUPPORT AND RESISTANCE", "SHOW ME THE 4 HOUR CHART",
    "buy the DIP?", "CPI came in hot", "my PnL is bad", "OK show me the daily", "USA markets",
    "HODL", "NFA but look at this", "LFG", "GOOD MORNING", "what's the TREND",
    "HIGH and LOW of the day", "I DON'T KNOW", "is this a V bottom", "draw S/R",
    "R/R is 3 to 1", "TP/SL please", "FOMC and FED today", "Q3 results", "H4 and D1",
    "EMA20 crossing SMA50", "RSI14", "this is A+ setup", "SEC filing", "NYSE open",
    "GDP print", "IPO next week", "EOD levels", "YTD performance", "is the VWAP holding",
    "the ETH vs the RTH session", "$250 target", "$", "^", "U.S. stocks", "P/E ratio",
    "we use cad software", "usd strength vs eur", "try the chf trade",
]  # fmt: skip


@pytest.mark.parametrize("query", NOT_NAMED)
def test_no_false_tickers(query: str):
    """Ordinary words, jargon and emphasis never become a symbol."""
    symbol = parse_query(query).symbol
    allowed = {"the ETH vs the RTH session": "ETH-USD"}  # "ETH" is Ethereum before jargon
    assert symbol == allowed.get(query), query


def test_every_table_symbol_is_valid_and_every_name_is_found():
    for name, symbol in NAMES.items():
        assert SYMBOL.validate_python(symbol) == symbol, name
        assert name == name.lower() and name.strip() == name, name
        assert find_symbol(f"show me {name} please") == symbol, name
        assert find_symbol(f"{name.title()}?") == symbol, name
    assert len(COMPANY_NAMES) >= 150


def test_every_stop_word_is_not_a_ticker_but_every_popular_ticker_is():
    for word in NOT_TICKERS:
        assert find_symbol(f"is {word} really ok") is None, word
    for ticker in sorted(POPULAR_TICKERS - NOT_TICKERS):
        assert find_symbol(f"what about {ticker} today") == ticker, ticker
        assert find_symbol(f"WHAT ABOUT {ticker} TODAY") == ticker, ticker
    assert not LOWERCASE_TICKERS & NOT_TICKERS


def test_shouted_queries_accept_known_tickers_only():
    assert parse_query("DRAW SUPPORT FOR TSLA").symbol == "TSLA"
    assert parse_query("PLEASE HELP ME WITH TSLA").symbol == "TSLA"
    assert parse_query("SHOW ME XYZQ NOW").symbol is None
    assert parse_query("show me XYZQ now").symbol == "XYZQ"
    assert parse_query("SHOW ME BRK.B").symbol == "BRK.B"  # explicit forms always count


@pytest.mark.parametrize(
    ("written", "ours"),
    [("BRK-B", "BRK.B"), ("brk/b", "BRK.B"), ("btc", "BTC-USD"), ("BTC/USDT", "BTC-USDT"),
     ("spx", "SPY"), ("VIX", "^VIX"), ("^GSPC", "^GSPC"), ("ES=F", "ES=F"), ("tsla", "TSLA")],
)  # fmt: skip
def test_explicit_tickers_are_normalised(written: str, ours: str):
    assert normalise_explicit(written) == ours


def test_index_words_and_index_tickers_agree():
    """One decision for the S&P 500 & co: the tracking ETF, whichever way it is named."""
    for ticker, symbol in INDEX_TICKERS.items():
        assert find_symbol(ticker) == symbol
        assert find_symbol(f"${ticker}") == symbol
    assert {find_symbol(q) for q in ("s&p 500", "S&P", "spx", "$SPX", "SPX", "sp500")} == {"SPY"}
