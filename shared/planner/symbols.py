"""Finding the symbol a query names: cashtags, company names, and tickers that are not words.

Upper-case tokens count as tickers only when they are not ordinary words or trading jargon;
lower-case text maps only through the company-name table or known tickers that are not words
("tsla" yes, "low" no). A query typed all in capitals accepts known tickers only, so
"DRAW SUPPORT FOR TSLA" yields TSLA and not DRAW.
"""

from __future__ import annotations

import re
from functools import cache

from shared.models.fields import SYMBOL_PATTERN

# Common names of the most-traded US stocks, ETFs, indices and crypto -> our symbol.
COMPANY_NAMES: dict[str, str] = {
    "tesla": "TSLA", "apple": "AAPL", "microsoft": "MSFT", "nvidia": "NVDA", "amazon": "AMZN",
    "google": "GOOGL", "alphabet": "GOOGL", "meta": "META", "facebook": "META",
    "netflix": "NFLX", "amd": "AMD", "advanced micro devices": "AMD", "intel": "INTC",
    "palantir": "PLTR", "coinbase": "COIN", "jpmorgan": "JPM", "jp morgan": "JPM",
    "berkshire": "BRK.B", "berkshire hathaway": "BRK.B", "walmart": "WMT", "disney": "DIS",
    "boeing": "BA", "bank of america": "BAC", "home depot": "HD", "coca cola": "KO",
    "coca-cola": "KO", "coke": "KO", "pepsi": "PEP", "pepsico": "PEP", "mcdonalds": "MCD",
    "mcdonald's": "MCD", "nike": "NKE", "starbucks": "SBUX", "visa": "V", "mastercard": "MA",
    "paypal": "PYPL", "salesforce": "CRM", "oracle": "ORCL", "adobe": "ADBE", "ibm": "IBM",
    "cisco": "CSCO", "qualcomm": "QCOM", "broadcom": "AVGO", "micron": "MU",
    "taiwan semiconductor": "TSM", "tsmc": "TSM", "arm holdings": "ARM", "super micro": "SMCI",
    "supermicro": "SMCI", "uber": "UBER", "lyft": "LYFT", "airbnb": "ABNB", "shopify": "SHOP",
    "spotify": "SPOT", "snowflake": "SNOW", "crowdstrike": "CRWD", "zoom": "ZM",
    "robinhood": "HOOD", "sofi": "SOFI", "rivian": "RIVN", "lucid": "LCID", "nio": "NIO",
    "ford": "F", "general motors": "GM", "exxon": "XOM", "exxonmobil": "XOM", "chevron": "CVX",
    "pfizer": "PFE", "moderna": "MRNA", "johnson & johnson": "JNJ", "johnson and johnson": "JNJ",
    "eli lilly": "LLY", "lilly": "LLY", "unitedhealth": "UNH", "merck": "MRK", "abbvie": "ABBV",
    "costco": "COST", "target corp": "TGT", "goldman sachs": "GS", "goldman": "GS",
    "morgan stanley": "MS", "wells fargo": "WFC", "citigroup": "C", "citi": "C",
    "american express": "AXP", "amex": "AXP", "at&t": "T", "verizon": "VZ", "t-mobile": "TMUS",
    "comcast": "CMCSA", "caterpillar": "CAT", "3m": "MMM", "lockheed": "LMT",
    "lockheed martin": "LMT", "gamestop": "GME", "amc": "AMC", "alibaba": "BABA",
    "baidu": "BIDU", "microstrategy": "MSTR", "strategy inc": "MSTR", "dell": "DELL",
    "hp": "HPQ", "servicenow": "NOW", "palo alto networks": "PANW", "draftkings": "DKNG",
    "roblox": "RBLX", "snap": "SNAP", "snapchat": "SNAP", "pinterest": "PINS", "reddit": "RDDT",
    "marathon digital": "MARA", "riot platforms": "RIOT", "carvana": "CVNA",
    "s&p 500": "SPY", "s&p500": "SPY", "s&p": "SPY", "sp500": "SPY", "spx": "^GSPC",
    "the s&p": "SPY", "nasdaq": "QQQ", "nasdaq 100": "QQQ", "dow": "DIA", "dow jones": "DIA",
    "russell 2000": "IWM", "russell": "IWM", "small caps": "IWM", "vix": "^VIX",
    "gold": "GLD", "silver": "SLV", "oil": "USO", "crude oil": "CL=F", "natural gas": "NG=F",
    "treasuries": "TLT", "bonds": "TLT", "semiconductors": "SMH", "semis": "SMH",
    "bitcoin": "BTC-USD", "btc": "BTC-USD", "ethereum": "ETH-USD", "ether": "ETH-USD",
    "eth": "ETH-USD", "solana": "SOL-USD", "sol": "SOL-USD", "dogecoin": "DOGE-USD",
    "doge": "DOGE-USD", "xrp": "XRP-USD", "ripple": "XRP-USD", "cardano": "ADA-USD",
    "litecoin": "LTC-USD", "chainlink": "LINK-USD", "avalanche": "AVAX-USD",
    "polkadot": "DOT-USD", "shiba inu": "SHIB-USD", "bnb": "BNB-USD",
}  # fmt: skip

# Tickers also accepted in lower case ("tsla"); words that are also tickers are left out.
EXTRA_TICKERS = frozenset(
    "SPY QQQ IWM DIA VOO VTI TQQQ SQQQ SOXL SOXS ARKK XLF XLE XLK GLD SLV TLT USO SMH UVXY "
    "TSLA AAPL MSFT NVDA AMZN GOOGL GOOG META NFLX AMD INTC PLTR COIN JPM WMT DIS BAC KO PEP "
    "MCD NKE SBUX PYPL CRM ORCL ADBE IBM CSCO QCOM AVGO TSM SMCI ABNB SHOP SNOW CRWD HOOD SOFI "
    "RIVN LCID NIO XOM CVX PFE MRNA JNJ LLY UNH MRK ABBV COST TGT WFC AXP TMUS CMCSA LMT GME "
    "BABA BIDU MSTR DELL HPQ PANW DKNG RBLX PINS RDDT MARA RIOT CVNA".split()
)
LOWERCASE_TICKER_WORDS = frozenset({"cost", "low", "now", "snap", "ko", "dis", "pins", "pep"})

# Upper-case tokens that are words or jargon, never tickers on their own.
NOT_TICKERS = frozenset(
    "I A AN AM PM IT ALL AND OR NOT ON OF IN AT TO BE GO SO DO IF IS MY ME WE US UP OK TV AI "
    "BY NO YES FOR THE YOU ARE CAN HOW WHAT WHY WHO NOW NEW OUT OFF ANY BUT GET SET ADD PUT "
    "RSI MACD EMA SMA MA VWAP ATR ADX OBV BB BBANDS VOL ATH ATL USD EUR ETF IPO CEO CFO EPS "
    "PE DD YOLO FOMO IMO TA FA SR EOD EOW YTD QOQ YOY HOD LOD PT SL TP RR OTC GDP CPI FED FOMC "
    "DRAW SHOW LOAD CLEAR RESET CHART PLOT ZOOM BUY SELL LONG SHORT CALL CALLS PUT PUTS STOP "
    "HIGH LOW OPEN CLOSE TREND LINE LEVELS SUPPORT RESISTANCE FIB FIBONACCI PLEASE THANKS "
    "MIN MINS HR HRS DAY DAYS WEEK MONTH DAILY WEEKLY MONTHLY HOURLY UTC EST ET PST NY NYSE "
    "OHLC OHLCV API LOL OMG WTF BTW FYI ASAP JUST WITH THIS THAT THEN ALSO LIKE MORE LESS".split()
)

CASHTAG = re.compile(r"\$([A-Za-z][A-Za-z0-9.\-=/]{0,14})")
TICKER_TOKEN = re.compile(
    r"(?<![\w$^.])(\^[A-Z]{2,6}|[A-Z][A-Z0-9]{0,5}(?:[.\-/][A-Z]{1,4}|=F)?)(?![\w.]*\w)"
)
LOWER_TOKEN = re.compile(r"(?<![\w$])([a-z]{2,5})(?![\w])")
VALID_SYMBOL = re.compile(SYMBOL_PATTERN)


@cache
def _names_pattern() -> re.Pattern[str]:
    """One alternation of every company name, longest first, on word boundaries."""
    names = sorted(COMPANY_NAMES, key=len, reverse=True)
    alternation = "|".join(re.escape(name) for name in names)
    return re.compile(rf"(?<![\w&])({alternation})(?![\w&])")


def _known_tickers() -> frozenset[str]:
    return EXTRA_TICKERS | frozenset(COMPANY_NAMES.values())


def _mostly_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) / len(letters) > 0.8


def _candidates(query: str) -> list[tuple[int, str]]:
    """(position, symbol) for every way the query can name a symbol."""
    found = [(m.start(), m.group(1).upper()) for m in CASHTAG.finditer(query)]
    lowered = query.lower()
    found += [(m.start(), COMPANY_NAMES[m.group(1)]) for m in _names_pattern().finditer(lowered)]
    known = _known_tickers()
    shouting = _mostly_upper(query)
    for match in TICKER_TOKEN.finditer(query):
        token = match.group(1)
        if token in NOT_TICKERS:
            continue
        if token in known or (not shouting and len(token) > 1):
            found.append((match.start(), token))
    for match in LOWER_TOKEN.finditer(query):
        token = match.group(1)
        if token.upper() in EXTRA_TICKERS and token not in LOWERCASE_TICKER_WORDS:
            found.append((match.start(), token.upper()))
    return found


def find_symbol(query: str) -> str | None:
    """The first symbol the query names, normalised; None when it names none."""
    for _, symbol in sorted(_candidates(query), key=lambda c: c[0]):
        if VALID_SYMBOL.match(symbol):
            return symbol
    return None
