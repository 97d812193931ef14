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

An unknown capital token that is a common word of one of the five languages ("what about
HOLA") is no ticker, and in a query written in another language a name that is a common word
of that language only counts capitalised ("día" is not DIA, "Meta" still is META). A symbol
needs a letter or a digit ("$^" is none). Words that look like a ticker but name nothing we
accept ("load $^", "chart BLORPCO", "load zqxv") are returned by `unknown_words`, so the
answer can name them instead of quietly keeping the chart's symbol; a lower-case word ending
the request that only looks like an ordinary word ("support for sunpower") is returned apart,
so the request can still be drawn on the chart's symbol, saying so. Trader jargon and platform
names ("intraday", "on tradingview", `names.TRADING_JARGON`) are words, never symbols.
"""

from __future__ import annotations

import re
import string
from typing import NamedTuple

from shared.models.fields import SYMBOL_PATTERN
from shared.models.prices import CRYPTO_QUOTES, FIAT
from shared.planner.fuzzy import KNOWN as PLANNER_KEYWORDS
from shared.planner.names import (
    COMPANY_NAMES,
    CRYPTO_BASES,
    FUTURES_ROOTS,
    INDEX_TICKERS,
    LOWERCASE_TICKERS,
    NOT_TICKERS,
    POPULAR_TICKERS,
    SINGLE_LETTER_TICKERS,
    TRADING_JARGON,
)
from shared.planner.patterns import compile_later
from shared.planner.wordlists import WORDS_BY_LANGUAGE, is_common_word

# Everything typed in lower case that names a symbol: company names and non-word tickers.
NAMES: dict[str, str] = {**{t.lower(): t for t in LOWERCASE_TICKERS}, **COMPANY_NAMES}
NAMES_PATTERN = compile_later(
    r"(?<![\w&$^])("
    + "|".join(re.escape(name) for name in sorted(NAMES, key=len, reverse=True))
    + r")(?![\w&]|['’](?!s\b)\w|\.\w)"
)
CRYPTO_PAIR = compile_later(
    r"(?<![\w$^])("
    + "|".join(sorted((b.lower() for b in CRYPTO_BASES), key=len, reverse=True))
    + r")[-/]?(usdt|usdc|usd)(?![\w&])"
)
# A currency pair in any case, with or without a separator ("eur/usd", "gbpusd"): both sides
# ISO codes of the fiat currencies `shared.models.prices` prices as FX.
FX_TEXT_PAIR = compile_later(
    r"(?<![\w$^])("
    + "|".join(sorted(c.lower() for c in FIAT))
    + r")[-/]?("
    + "|".join(sorted(c.lower() for c in FIAT))
    + r")(?![\w&])"
)
CASHTAG = compile_later(r"(?<![\w$])\$([A-Za-z^][A-Za-z0-9.=^/-]{0,14})")
# ^INDEX | ROOT with a share class/exchange/pair/futures suffix | a plain upper-case token.
TOKEN = compile_later(
    r"(?<![\w$^.&'’-])"
    r"(\^[A-Z]{2,6}"
    r"|[A-Z][A-Z0-9]{1,5}(?:\.[A-Z]{1,2}|[-/](?:USDT|USDC|USD|[A-Z])|=[FX])"
    r"|[A-Z][A-Z0-9]{0,7})"
    r"(?![\w&]|['’](?![sS]\b)\w|\.\w)"
)
SINGLE_AFTER_VERB = compile_later(
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
VALID_SYMBOL = compile_later(SYMBOL_PATTERN)
# Names that are common words of another language but not English ones: "dia", "sol", "uber".
FOREIGN_WORD_NAMES = frozenset(
    name
    for name in NAMES
    if name not in WORDS_BY_LANGUAGE["en"]
    and any(name in WORDS_BY_LANGUAGE[lang] for lang in ("es", "fr", "de", "pt"))
)
# After these words the next one is meant as a symbol ("load zqxv" names an unknown ticker).
LOAD_WORD = compile_later(
    r"(?i:\b(?:load|chart|open|ticker|symbol|switch\s+to|change\s+to|pull\s+up|bring\s+up|"
    r"show\s+me|look\s+at|what\s+about|how\s+about|compare(?:\s+(?:it|this))?\s+(?:with|to|"
    r"against)|versus|vs\.?|against|overlay)\s+(?:the\s+)?)"
    r"(\$?[A-Za-z^][A-Za-z0-9.^=-]{0,11})(?![\w$^'])"
)
# The last word of a request after a preposition: where a company is named ("levels for X").
LAST_NAME = compile_later(
    r"(?i:\b(?:for|on|of|in|da|de|do|para|pour|fur|von)\s+(?:the\s+)?)([A-Za-z]{3,12})"
    r"\s*[?.!]*\s*$"
)
NOT_SYMBOL_WORDS = (
    PLANNER_KEYWORDS
    | TRADING_JARGON
    | {t.lower() for t in NOT_TICKERS}
    | frozenset(
        "rsi macd vwap sma ema ma bb bbands fib fibs ta chart charts graph levels trendline "
        "trendlines technicals volume indicators drawings patterns".split()
    )
)
# Before a platform's name it is where the trader looks ("levels on robinhood"), not a symbol.
PLATFORM_BEFORE = compile_later(r"\b(?:on|in|using|via|with)\s+(?:the\s+)?$")
# What makes an unknown lower-case word look like an ordinary word rather than a name: English
# words joined ("daytrading", "sunpower"), behind a prefix ("intraday") or with a suffix.
WORD_PREFIXES = frozenset("pre post intra inter after over under day multi mid non".split())
WORD_SUFFIXES = ("ing", "ers", "er", "ed")
ENGLISH = WORDS_BY_LANGUAGE["en"]
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
    return Candidate(0, token, False) if weak and not is_common_word(token) else None


def _shouting(text: str) -> bool:
    """True for a query typed (almost) all in capitals, where capitals say nothing."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) > 0.8 * len(letters)


def _explicit_candidates(text: str, lowered: str, shouting: bool, foreign: bool) -> list[Candidate]:
    """Cashtags, names from the table, crypto pairs and "load F"-style single letters."""
    found = [
        Candidate(m.start(), normalise_explicit(m.group(1).rstrip(".-/=")), True)
        for m in CASHTAG.finditer(text)
    ]
    found += [
        Candidate(m.start(), NAMES[m.group(1)], True)
        for m in NAMES_PATTERN.finditer(lowered)
        if not (foreign and m.group(1) in FOREIGN_WORD_NAMES and text[m.start(1)].islower())
        and not (m.group(1) in TRADING_JARGON and PLATFORM_BEFORE.search(lowered, 0, m.start(1)))
    ]
    found += [
        Candidate(m.start(), f"{m.group(1)}-{m.group(2)}".upper(), True)
        for m in CRYPTO_PAIR.finditer(lowered)
    ]
    found += [
        Candidate(m.start(), f"{m.group(1)}-{m.group(2)}".upper(), True)
        for m in FX_TEXT_PAIR.finditer(lowered)
        if m.group(1) != m.group(2)
    ]
    if not shouting:
        found += [
            Candidate(m.start(1), m.group(1), True)
            for m in SINGLE_AFTER_VERB.finditer(text)
            if m.group(1) in SINGLE_LETTER_TICKERS
        ]
    return found


def _valid(symbol: str) -> bool:
    return VALID_SYMBOL.match(symbol) is not None and any(c.isalnum() for c in symbol)


def candidates(text: str, foreign: bool = False) -> list[Candidate]:
    """Every way the text names a symbol, valid per the `Symbol` field, in no particular order.
    `foreign`: the query is in another language (see the module docstring)."""
    shouting = _shouting(text)
    found = _explicit_candidates(text, text.translate(ASCII_LOWER), shouting, foreign)
    for match in TOKEN.finditer(text):
        candidate = _classify(match.group(1), shouting)
        if candidate is not None:
            found.append(candidate._replace(position=match.start()))
    return [c for c in found if _valid(c.symbol)]


def best_symbol(found: list[Candidate]) -> str | None:
    """The first symbol among the candidates (strong ones before weak ones), or None."""
    strong = [c for c in found if c.strong]
    # At one position the longest reading wins: "ETH-USDT" over the name "eth".
    best = min(strong or found, key=lambda c: (c.position, -len(c.symbol)), default=None)
    return best.symbol if best else None


def find_symbol(text: str, foreign: bool = False) -> str | None:
    """The first symbol the text names (strong candidates before weak ones), or None."""
    return best_symbol(candidates(text, foreign))


def in_order(found: list[Candidate]) -> list[Candidate]:
    """One candidate per position (the longest reading) and per symbol, by position."""
    by_position: dict[int, Candidate] = {}
    for candidate in sorted(found, key=lambda c: (c.position, -len(c.symbol))):
        by_position.setdefault(candidate.position, candidate)
    seen: dict[str, Candidate] = {}
    for candidate in by_position.values():
        seen.setdefault(candidate.symbol, candidate)
    return list(seen.values())


class UnknownWords(NamedTuple):
    """Words that name no symbol: `tickers` were written as one (the chart's symbol must not
    stand in for them), `words` are lower-case words ending a request that only look like
    ordinary words ("support for sunpower"), so the rest of the request may go on."""

    tickers: tuple[str, ...]
    words: tuple[str, ...]


def unknown_words(text: str, found: list[Candidate]) -> UnknownWords:
    """Words written as a ticker that name no symbol we accept, as written, in order: a
    cashtag that is no symbol ("$^"), or the word after "load"/"chart"/"show me" & co that is
    neither a symbol, a common word nor one of the planner's words ("load zqxv"), or such a word
    ending the request after "for"/"on"/"of" ("support for blorpco", "... da petrobras"). A
    lower-case word in that last place that looks like an ordinary word (`looks_like_a_word`)
    is one of `words` instead: a trader's jargon the lists miss, more likely than a ticker."""
    unknown = [
        (m.start(), m.group(0))
        for m in CASHTAG.finditer(text)
        if not _valid(normalise_explicit(m.group(1).rstrip(".-/=")))
    ]
    loose: list[tuple[int, str]] = []
    named_at = {c.position for c in found}
    after_verb = {m.start(1) for m in LOAD_WORD.finditer(text)}
    for match in (*LOAD_WORD.finditer(text), *LAST_NAME.finditer(text)):
        word = match.group(1)
        lowered = word.lower()
        if word.startswith("$") or match.start(1) in named_at or match.start(1) - 1 in named_at:
            continue
        if len(word) < 2 or lowered in NOT_SYMBOL_WORDS or is_common_word(lowered):
            continue
        if not word.isalpha():
            continue
        ordinary = match.start(1) not in after_verb and looks_like_a_word(word)
        (loose if ordinary else unknown).append((match.start(1), word))
    return UnknownWords(
        tuple(dict.fromkeys(word for _, word in sorted(unknown))),
        tuple(dict.fromkeys(word for _, word in sorted(loose))),
    )


def looks_like_a_word(word: str) -> bool:
    """True for a lower-case word built from English words: one with a suffix ("scalpers"),
    two joined ("daytrading", "tradingview") or one behind a prefix ("intraday"). A name
    ("blorpco", "rheinmetall"), a typo of one ("teslaa") or a word in capitals is not."""
    if not (word.isascii() and word.isalpha() and word.islower()):
        return False
    return _english(word) or any(
        (word[:i] in WORD_PREFIXES or _english_root(word[:i])) and _english(word[i:])
        for i in range(3, len(word) - 2)
    )


def _english_root(part: str) -> bool:
    """A common English word of three letters or more, or its plural."""
    return len(part) >= 3 and (part in ENGLISH or (part.endswith("s") and part[:-1] in ENGLISH))


def _english(part: str) -> bool:
    """`_english_root`, or one with an English suffix ("scalp" + "ers")."""
    return _english_root(part) or any(
        part.endswith(suffix) and _english_root(part[: -len(suffix)]) for suffix in WORD_SUFFIXES
    )
