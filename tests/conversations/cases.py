"""Conversations of 2-4 turns on one chart, written before the chart document was built
(issue 22): follow-ups of every kind (carry the analysis to a new symbol or timeframe, "the
same for ...", remove "it", undo, "another one too", the reason, the date, the distance, the
opposite trade), page changes between turns, in English, Spanish, French, German and
Portuguese.

Each turn says what the user types and what the answer must hold: `want` are command patterns
(fnmatch) each matching at least one command line, `avoid` patterns match none, `text` are
phrases (case-insensitive, any of the `|`-separated alternatives) the human sentence holds, and
`quiet` says the answer changes nothing on the chart (no command at all). A `Page` step is what
the user does on the page between turns, sent to update_context exactly as the web kit sends it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LEVELS = ("SUPPORT:*", "RESISTANCE:*")
NEVER = ("could not map", "could not resolve")  # no turn of these conversations is unmapped


@dataclass(frozen=True)
class Turn:
    say: str
    want: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    text: tuple[str, ...] = ()
    quiet: bool = False


@dataclass(frozen=True)
class Page:
    """The user's own change on the page: switch symbol/timeframe, remove the most recent
    drawing (by its id, as the kit reports it), or press clear."""

    symbol: str | None = None
    timeframe: str | None = None
    remove_last_drawing: bool = False
    clear: bool = False


Step = Turn | Page


@dataclass(frozen=True)
class Conversation:
    name: str
    language: str
    steps: tuple[Step, ...]
    symbol: str = "TSLA"
    timeframe: str = "1D"
    kinds: tuple[str, ...] = field(default=())


def turn(say: str, *want: str, avoid: tuple[str, ...] = (), text: tuple[str, ...] = (),
         quiet: bool = False) -> Turn:  # fmt: skip
    return Turn(say, tuple(want), avoid, text, quiet)


CONVERSATIONS: tuple[Conversation, ...] = (
    # --- carrying the analysis over -------------------------------------------------------
    Conversation(
        "levels then weekly",
        "en",
        (
            turn("draw support and resistance", *LEVELS),
            turn("now switch to the weekly", "TIMEFRAME:1W", *LEVELS, avoid=("LOAD:*",)),
        ),
        kinds=("carry",),
    ),
    Conversation(
        "levels then the same for NVDA",
        "en",
        (
            turn("draw support and resistance for TSLA", *LEVELS),
            turn("do the same for NVDA", "LOAD:NVDA", *LEVELS, text=("NVDA",)),
        ),
        kinds=("carry", "same"),
    ),
    Conversation(
        "pattern scan then the weekly",
        "en",
        (
            turn("scan for chart patterns", "ANALYZE:PATTERNS"),
            turn("same on the weekly", "TIMEFRAME:1W", "ANALYZE:PATTERNS"),
        ),
        kinds=("carry", "same"),
    ),
    Conversation(
        "bare ticker carries the levels",
        "en",
        (
            turn("show me support and resistance", *LEVELS),
            turn("AAPL", "LOAD:AAPL", *LEVELS),
        ),
        kinds=("carry",),
    ),
    Conversation(
        "bare timeframe carries the trendline",
        "en",
        (
            turn("draw a trendline", "TRENDLINE:*"),
            turn("4h", "TIMEFRAME:4H", "TRENDLINE:*"),
        ),
        kinds=("carry",),
    ),
    Conversation(
        "fibonacci the same for the hourly",
        "en",
        (
            turn("draw the fibonacci retracement", "FIBONACCI:*"),
            turn("same for the hourly", "TIMEFRAME:1H", "FIBONACCI:*"),
        ),
        kinds=("carry", "same"),
    ),
    Conversation(
        "three charts in a row",
        "en",
        (
            turn("support and resistance for MSFT", "LOAD:MSFT", *LEVELS),
            turn("weekly", "TIMEFRAME:1W", *LEVELS),
            turn("what about NVDA?", "LOAD:NVDA", *LEVELS, avoid=("TIMEFRAME:*",)),
        ),
        kinds=("carry",),
    ),
    Conversation(
        "technical analysis follows to AMD",
        "en",
        (
            turn("technical analysis please", "ANALYZE:TECHNICAL", *LEVELS),
            turn("and for AMD?", "LOAD:AMD", "ANALYZE:TECHNICAL"),
        ),
        kinds=("carry",),
    ),
    Conversation(
        "lo mismo para NVDA",
        "es",
        (
            turn("dibuja soporte y resistencia para TSLA", *LEVELS),
            turn("lo mismo para NVDA", "LOAD:NVDA", *LEVELS),
        ),
        kinds=("carry", "same"),
    ),
    Conversation(
        "pareil en hebdomadaire",
        "fr",
        (
            turn("trace les supports et résistances", *LEVELS),
            turn("pareil en hebdomadaire", "TIMEFRAME:1W", *LEVELS),
        ),
        kinds=("carry", "same"),
    ),
    Conversation(
        "das gleiche für AAPL",
        "de",
        (
            turn("zeichne Unterstützung und Widerstand für MSFT", "LOAD:MSFT", *LEVELS),
            turn("das gleiche für AAPL", "LOAD:AAPL", *LEVELS),
        ),
        kinds=("carry", "same"),
    ),
    Conversation(
        "o mesmo para NVDA",
        "pt",
        (
            turn("desenhe suporte e resistência para TSLA", *LEVELS),
            turn("o mesmo para NVDA", "LOAD:NVDA", *LEVELS),
        ),
        kinds=("carry", "same"),
    ),
    # --- removing "it", undo --------------------------------------------------------------
    Conversation(
        "trendline then delete it",
        "en",
        (
            turn("draw support and resistance", *LEVELS),
            turn("add a trendline", "TRENDLINE:*"),
            turn(
                "delete it",
                avoid=("CLEAR:ALL", "CLEAR:LEVELS", "CLEAR:DRAWINGS", "SUPPORT:*"),
                text=("removed|removing",),
            ),
        ),
        kinds=("remove",),
    ),
    Conversation(
        "rsi then remove it",
        "en",
        (
            turn("add the RSI", "INDICATOR:RSI*"),
            turn("remove it", "CLEAR:INDICATOR:RSI", avoid=("CLEAR:ALL", "CLEAR:INDICATORS")),
        ),
        kinds=("remove",),
    ),
    Conversation(
        "two averages, remove the last",
        "en",
        (
            turn("add the 50 day moving average", "INDICATOR:SMA:50"),
            turn("add the 200 day moving average", "INDICATOR:SMA:200"),
            turn("remove that one", "REMOVE:*", avoid=("CLEAR:*",)),
        ),
        kinds=("remove",),
    ),
    Conversation(
        "undo the trendline only",
        "en",
        (
            turn("draw the fibonacci retracement", "FIBONACCI:*"),
            turn("draw a trendline", "TRENDLINE:*"),
            turn(
                "undo",
                "CLEAR:TRENDLINES",
                avoid=("CLEAR:ALL", "CLEAR:FIBONACCI", "CLEAR:DRAWINGS"),
                text=("removed|removing",),
            ),
        ),
        kinds=("undo",),
    ),
    Conversation(
        "undo the levels",
        "en",
        (
            turn("draw support and resistance", *LEVELS),
            turn("undo that", "CLEAR:LEVELS", avoid=("CLEAR:ALL",)),
        ),
        kinds=("undo",),
    ),
    Conversation(
        "quita eso",
        "es",
        (
            turn("dibuja una línea de tendencia", "TRENDLINE:*"),
            turn("quita eso", "CLEAR:TRENDLINES", avoid=("CLEAR:ALL",)),
        ),
        kinds=("remove",),
    ),
    Conversation(
        "entferne das",
        "de",
        (
            turn("zeichne Unterstützung und Widerstand", *LEVELS),
            turn("füge den RSI hinzu", "INDICATOR:RSI*"),
            turn("entferne das", "CLEAR:INDICATOR:RSI", avoid=("CLEAR:ALL", "CLEAR:LEVELS")),
        ),
        kinds=("remove",),
    ),
    Conversation(
        "supprime ça",
        "fr",
        (
            turn("trace une ligne de tendance", "TRENDLINE:*"),
            turn("supprime ça", "CLEAR:TRENDLINES", avoid=("CLEAR:ALL",)),
        ),
        kinds=("remove",),
    ),
    # --- adding another overlay -----------------------------------------------------------
    Conversation(
        "compare then add IWM too",
        "en",
        (
            turn("compare with QQQ", "COMPARE:QQQ"),
            turn("add IWM too", "COMPARE:IWM", avoid=("LOAD:*", "CLEAR:*")),
        ),
        kinds=("another",),
    ),
    Conversation(
        "compare then SPY as well",
        "en",
        (
            turn("compare TSLA with RIVN", "COMPARE:RIVN"),
            turn("and SPY as well", "COMPARE:SPY", avoid=("LOAD:*",)),
        ),
        kinds=("another",),
    ),
    Conversation(
        "compara y también QQQ",
        "es",
        (
            turn("compara con SPY", "COMPARE:SPY"),
            turn("también QQQ", "COMPARE:QQQ", avoid=("LOAD:*",)),
        ),
        kinds=("another",),
    ),
    # --- questions about the last answer --------------------------------------------------
    Conversation(
        "trade plan then why",
        "en",
        (
            turn("give me a trade plan"),
            turn("why?", quiet=True, text=("stop|no long plan|no trade plan",)),
        ),
        kinds=("reason",),
    ),
    Conversation(
        "trade plan then why that stop",
        "en",
        (
            turn("long setup please"),
            turn("why that stop?", quiet=True, text=("stop|no long plan|no trade plan",)),
        ),
        kinds=("reason",),
    ),
    Conversation(
        "golden cross then when",
        "en",
        (
            turn("is there a golden cross?"),
            turn(
                "when was that?", quiet=True, text=("20[0-9][0-9]-|no cross|not crossed|have not",)
            ),
        ),
        kinds=("date",),
    ),
    Conversation(
        "levels then how far",
        "en",
        (
            turn("draw support and resistance", *LEVELS),
            turn("how far is it?", quiet=True, text=("%",)),
        ),
        kinds=("distance",),
    ),
    Conversation(
        "pourquoi après un plan",
        "fr",
        (
            turn("point d'entrée et stop loss pour AAPL", "LOAD:AAPL"),
            turn("pourquoi ?", quiet=True, text=("stop|no long plan|no trade plan",)),
        ),
        kinds=("reason",),
    ),
    Conversation(
        "cuándo fue el cruce",
        "es",
        (
            turn("¿hay un cruce dorado?"),
            turn("¿cuándo fue?", quiet=True, text=("20[0-9][0-9]-|no cross|not crossed|have not",)),
        ),
        kinds=("date",),
    ),
    # --- the opposite trade ---------------------------------------------------------------
    Conversation(
        "long then the opposite trade",
        "en",
        (
            turn("long trade plan for NVDA", "LOAD:NVDA"),
            turn("and the opposite trade?", text=("short",), avoid=("LOAD:*",)),
        ),
        kinds=("opposite",),
    ),
    Conversation(
        "short then the other way",
        "en",
        (
            turn("short setup for TSLA"),
            turn("now the other way", text=("long",), avoid=("LOAD:*",)),
        ),
        kinds=("opposite",),
    ),
    # --- page changes between turns -------------------------------------------------------
    Conversation(
        "page switches symbol, then a trendline",
        "en",
        (
            turn("draw support and resistance", *LEVELS),
            Page(symbol="AAPL"),
            turn("draw a trendline", "TRENDLINE:*", avoid=("LOAD:*",), text=("AAPL",)),
        ),
        kinds=("page",),
    ),
    Conversation(
        "page clears, then remove it",
        "en",
        (
            turn("draw a trendline", "TRENDLINE:*"),
            Page(clear=True),
            turn("remove it", avoid=("CLEAR:ALL",), quiet=True, text=("nothing",)),
        ),
        kinds=("page", "remove"),
    ),
    Conversation(
        "page removes the trendline, then undo",
        "en",
        (
            turn("draw support and resistance", *LEVELS),
            turn("draw a trendline", "TRENDLINE:*"),
            Page(remove_last_drawing=True),
            turn("the same for NVDA", "LOAD:NVDA", *LEVELS, avoid=("TRENDLINE:*",)),
        ),
        kinds=("page", "same"),
    ),
)
