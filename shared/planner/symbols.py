"""Finding the symbol a query names: cashtags, company names, and tickers that are not words.

Every way of naming a symbol yields a candidate at its position in the text. Candidates are
*strong* (a cashtag, a name from the table, a popular ticker, an explicit form such as BRK.B,
ES=F or ^GSPC) or *weak* (an unknown all-capitals token such as "SOUN" in "what about SOUN").
The first strong candidate wins; a weak one only when there is no strong one, so an emphasised
word the stop list misses ("what's the PRICE of tsla") cannot beat a symbol the query names.

Upper-case tokens count only when they are not words or jargon (`names.NOT_TICKERS`), have at
most five letters and no digits (so no EMA20, Q3, H4); single letters (F, T, V, C) only right
after "load"/"chart"/"ticker". A query typed all in capitals accepts known tickers only, so
"DRAW SUPPORT FOR TSLA" yields TSLA, not DRAW. Lower-case text maps only through the name table.
"""

from __future__ import annotations

import re
import string
from typing import NamedTuple

from shared.models.fields import SYMBOL_PATTERN
from shared.models.prices import CRYPTO_QUOTES
from shared.planner.names import (
    COMPANY_NAMES,
    CRYPTO_BASES,
    FUTURES_ROOTS,
    INDEX_TICKERS,
    LOWERCASE_TICKERS,
    NOT_TICKERS,
    POPULAR_TICKERS,
    SINGLE_LETTER_TICKERS,
)

# Everything typed in lower case that names a symbol: company names and non-word tickers.
NAMES: dict[str, str] = {**{t.lower(): t for t in LOWERCASE_TICKERS}, **COMPANY_NAMES}
NAMES_PATTERN = re.compile(
    r"(?<![\w&$^])("
    + "|".join(re.escape(name) for name in sorted(NAMES, key=len, reverse=True))
    + r")(?![\w&]|['’](?!s\b)\w|\.\w)"
)
CRYPTO_PAIR = re.compile(
    r"(?<![\w$^])("
    + "|".join(sorted((b.lower() for b in CRYPTO_BASES), key=len, reverse=True))
    + r")[-/]?(usdt|usdc|usd)(?![\w&])"
)
CASHTAG = re.compile(r"(?<![\w$])\$([A-Za-z^][A-Za-z0-9.=^/-]{0,14})")
# ^INDEX | ROOT with a share class/exchange/pair/futures suffix | a plain upper-case token.
TOKEN = re.compile(
    r"(?<![\w$^.&'’-])"
    r"(\^[A-Z]{2,6}"
    r"|[A-Z][A-Z0-9]{1,5}(?:\.[A-Z]{1,2}|[-/](?:USDT|USDC|USD|[A-Z])|=[FX])"
    r"|[A-Z][A-Z0-9]{0,7})"
    r"(?![\w&]|['’](?![sS]\b)\w|\.\w)"
)
SINGLE_AFTER_VERB = re.compile(
    r"(?i:\b(?:load|open|chart|ticker|symbol|switch\s+to|change\s+to|pull\s+up|show\s+me))"
    r"\s+\$?([A-Z])(?![\w&.'’-])"
)
# Bare upper-case tokens we know -> our symbol ("ES" -> ES=F, "SPX" -> SPY, "ADA" -> ADA-USD).
KNOWN_BARE: dict[str, str] = {
    **{ticker: ticker for ticker in POPULAR_TICKERS},
    **{base: f"{base}-USD" for base in CRYPTO_BASES},
    **INDEX_TICKERS,
    **FUTURES_ROOTS,
}
VALID_SYMBOL = re.compile(SYMBOL_PATTERN)
ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
MAX_TICKER_LETTERS = 5


class Candidate(NamedTuple):
    """One way the query names a symbol: where, which, and how sure we are."""

    position: int
    symbol: str
    strong: bool


def normalise_explicit(ticker: str) -> str:
    """An explicitly written ticker in our spelling: BRK-B -> BRK.B, BTC/USD or $BTC -> BTC-USD."""
    ticker = ticker.upper()
    if ticker in CRYPTO_BASES:
        return f"{ticker}-USD"
    if ticker in INDEX_TICKERS:
        return INDEX_TICKERS[ticker]
    root, sep, suffix = ticker.replace("/", "-").partition("-")
    if sep and suffix in CRYPTO_QUOTES:
        return f"{root}-{suffix}"
    if sep and len(suffix) == 1:
        return f"{root}.{suffix}"
    return ticker


def _classify(token: str, shouting: bool) -> Candidate | None:
    """A bare upper-case token as a candidate at position 0, or None when it is not a ticker."""
    if token.startswith("^") or any(c in token for c in ".-/="):
        return Candidate(0, normalise_explicit(token), True)
    if token in NOT_TICKERS or len(token) == 1:
        return None
    if token in KNOWN_BARE:
        return Candidate(0, KNOWN_BARE[token], True)
    weak = not shouting and len(token) <= MAX_TICKER_LETTERS and token.isalpha()
    return Candidate(0, token, False) if weak else None


def _shouting(text: str) -> bool:
    """True for a query typed (almost) all in capitals, where capitals say nothing."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) > 0.8 * len(letters)


def _explicit_candidates(text: str, lowered: str, shouting: bool) -> list[Candidate]:
    """Cashtags, names from the table, crypto pairs and "load F"-style single letters."""
    found = [
        Candidate(m.start(), normalise_explicit(m.group(1).rstrip(".-/=")), True)
        for m in CASHTAG.finditer(text)
    ]
    found += [
        Candidate(m.start(), NAMES[m.group(1)], True) for m in NAMES_PATTERN.finditer(lowered)
    ]
    found += [
        Candidate(m.start(), f"{m.group(1)}-{m.group(2)}".upper(), True)
        for m in CRYPTO_PAIR.finditer(lowered)
    ]
    if not shouting:
        found += [
            Candidate(m.start(1), m.group(1), True)
            for m in SINGLE_AFTER_VERB.finditer(text)
            if m.group(1) in SINGLE_LETTER_TICKERS
        ]
    return found


def candidates(text: str) -> list[Candidate]:
    """Every way the text names a symbol, valid per the `Symbol` field, in no particular order."""
    shouting = _shouting(text)
    found = _explicit_candidates(text, text.translate(ASCII_LOWER), shouting)
    for match in TOKEN.finditer(text):
        candidate = _classify(match.group(1), shouting)
        if candidate is not None:
            found.append(candidate._replace(position=match.start()))
    return [c for c in found if VALID_SYMBOL.match(c.symbol)]


def find_symbol(text: str) -> str | None:
    """The first symbol the text names (strong candidates before weak ones), or None."""
    found = candidates(text)
    strong = [c for c in found if c.strong]
    # At one position the longest reading wins: "ETH-USDT" over the name "eth".
    best = min(strong or found, key=lambda c: (c.position, -len(c.symbol)), default=None)
    return best.symbol if best else None
