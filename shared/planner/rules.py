"""The rules planner: deterministic natural language -> `QueryIntent`, in microseconds.

It recognises the whole command grammar (SPEC 5): symbols, timeframes, indicators with periods,
clear/reset, technical analysis, patterns, support/resistance, trendlines, Fibonacci and trade
plans. Anything it cannot map leaves `understood_anything` False, which is where the optional
OpenAI planner takes over (`shared.core.plan` decides, for every door). Every pattern is
compiled at import; parsing is a handful of linear scans.

"Clear" is a command only as a verb at the start of a request ("clear the chart", "ok, reset",
"can you remove the rsi", "take the macd off"), not as an adjective ("is the trend clear") or
a breakout ("will it clear 250", "needs to clear resistance"); "reset the zoom" clears
nothing. What it clears is read up to the next request ("clear the levels then add the 20 ema")
or a "but keep ..."; that part asks for nothing new.

Before any of that the text is made forgiving, in this order: `normalise` (NFKC, bidi and
zero-width controls, accents), `fuzzy` (typos of keywords and company names), `languages`
(Spanish, French, German, Portuguese phrases in English), `shorthand` ("the 200 day", "200dma",
"/es"). The newer intent fields come from `views` (compare, range, zoom), `removals` (what a
clear removes precisely) and `questions`.
"""

from __future__ import annotations

import re

from shared.models.action import ToolName
from shared.models.commands import ClearCommand
from shared.planner.fuzzy import correct_typos
from shared.planner.indicators import find_indicators, find_indicators_with_units
from shared.planner.intent import BOTH_SIDES, LevelSide, QueryIntent
from shared.planner.languages import is_foreign, to_english
from shared.planner.normalise import MAX_CHARS, normalise
from shared.planner.patterns import compile_later
from shared.planner.questions import find_questions, patterns_named
from shared.planner.removals import Removal, clear_kinds, named_kinds, removal
from shared.planner.scope import Scope, blank, pick, read_scope
from shared.planner.shorthand import expand_shorthand
from shared.planner.studies import find_studies
from shared.planner.symbols import best_symbol, candidates, in_order, unknown_words
from shared.planner.timeframes import find_timeframe
from shared.planner.views import find_range, find_zoom, split_comparison

__all__ = ["MAX_CHARS", "TOOL_PATTERNS", "parse_query"]


def _words(*patterns: str) -> re.Pattern[str]:
    """One case-insensitive alternation that only matches whole words."""
    return compile_later(r"(?<![a-z])(?:" + "|".join(patterns) + r")(?![a-z])", re.IGNORECASE)


NOT_PLAN_LEVELS = (  # "fib levels", "entry levels" belong to their own tools
    r"(?<!fib\s)(?<!fibs\s)(?<!fibonacci\s)(?<!retracement\s)(?<!entry\s)(?<!stop\s)"
    r"(?<!target\s)"
)
# "bullish patterns" and "bearish flags" ask for shapes, not for the trend
NOT_SHAPE = r"(?!\s+(?:chart\s+)?(?:patterns?|formations?|flags?|pennants?))"
# In the order the page should execute their commands (after clear and indicators).
TOOL_PATTERNS: tuple[tuple[ToolName, re.Pattern[str]], ...] = (
    ("technical_analysis", _words(
        r"technicals?", r"technical\s+analysis", r"analy[sz](?:e|is|ing)", r"\bta\b",
        r"overbought", r"oversold", r"outlook", r"momentum", NOT_SHAPE.join(("bullish", "")),
        NOT_SHAPE.join(("bearish", "")),
        r"(?:up|down)?trend(?:ing)?(?!\s*-?\s*lines?)", r"sentiment",
        r"how(?:'s|’s|\s+is|\s+does|\s+do|\s+are)\s+(?:\S+\s+){0,3}?(?:look(?:s|ing)?|doing)",
        r"what(?:'s|’s|\s+is)\s+(?:going\s+on|happening|up)\s+(?:with|in)",
        r"(?:thoughts|opinion|take)\s+on", r"what\s+do\s+you\s+think\s+(?:of|about)",
        r"should\s+i\s+(?:buy|sell|short)", r"buy\s+or\s+sell", r"thoughts",
        r"is\s+(?:\S+\s+){0,3}?an?\s+(?:good\s+|strong\s+)?(?:buy|sell|short)",
    )),
    ("support_resistance", _words(
        r"supports?", r"resistances?", r"key\s+levels?", r"s\s*/\s*r", r"s\s*&\s*r",
        NOT_PLAN_LEVELS + r"levels?", r"floors?\s+and\s+ceilings?", r"pivots?(?:\s+points?)?",
        r"(?:supply|demand)\s+(?:zones?|areas?)", r"floors?\s+(?:and|y|et|und|e|&|/)\s+ceilings?",
    )),
    ("trendline", _words(r"trend\s*-?\s*lines?", r"trend\s+channels?", r"channels?")),
    ("fibonacci", _words(r"fibs?", r"fibonacci", r"retracements?", r"golden\s+pocket")),
    ("patterns", _words(
        r"patterns?", r"formations?", r"head\s+(?:and|&)\s+shoulders", r"double\s+(?:top|bottom)s?",
        r"triple\s+(?:top|bottom)s?", r"triangles?", r"wedges?", r"(?:bull|bear)\s+flags?",
        r"flags?", r"pennants?", r"cup\s+(?:and|&|with)\s+(?:a\s+)?handle", r"necklines?",
    )),
    ("trade_plan", _words(
        r"entry", r"entries", r"stop[\s-]?loss(?:es)?", r"stop[\s-]?outs?",
        r"(?:my|a|the|your|tight|trailing|hard|wide)\s+stops?",
        r"stops?\s+(?:level|at|below|above|under|placement)", r"price\s+targets?",
        r"targets?", r"take[\s-]?profits?", r"trad(?:e|ing)\s+(?:plan|setup|idea)s?",
        r"risk\s*(?:/|to|-)\s*reward", r"where\s+(?:to|should\s+i)\s+buy",
        r"(?:long|short(?:ing)?|buy(?:ing)?|sell(?:ing)?|swing)\s+"
        r"(?:setups?|plans?|trades?|entry|entries)",
    )),
)  # fmt: skip
BOTH_ZONES = r"(?:supply\s*(?:and|&|/)\s*demand|demand\s*(?:and|&|/)\s*supply)\s+(?:zones?|areas?)"
SIDE_WORDS: tuple[tuple[LevelSide, re.Pattern[str]], ...] = (
    ("support", _words(r"supports?", r"floors?", r"demand\s+(?:zones?|areas?)", BOTH_ZONES)),
    (
        "resistance",
        _words(r"resistances?", r"ceilings?", r"supply\s+(?:zones?|areas?)", BOTH_ZONES),
    ),
)
SHORT_TRADE = _words(  # "short-term", "shortly" and "short of" are not a short
    r"short(?:ing|s)?(?!\s*-?\s*term)(?!\s+of)", r"sell(?:ing)?\s+(?:setups?|plans?|trades?)",
    r"bearish\s+(?:setups?|plans?|trades?)",
)  # fmt: skip
CLEAR_VERB = compile_later(
    r"(?:^\s*|[,.;:!?]\s*|\b(?:and|then|please|pls|can\s+you|could\s+you|would\s+you|first|"
    r"now|just|also|ok(?:ay)?|let's|lets|go\s+ahead\s+and|(?:want|need|like)\s+to)\s+)"
    r"(?:please\s+)?(clear(?![a-z])(?!\s+\$?\d)|reset|remove|delete|erase|wipe|hide|"
    r"get\s+rid\s+of|clean\s+up|start\s+(?:over|fresh|again)|drop|ditch|lose|kill|scrap|nuke|"
    r"trash|dump|toss|take\s+away|do\s+away\s+with|"
    r"(?:take|turn|switch)(?:\s+(?!off\b)[\w$/&-]+){0,6}?\s+off)(?![a-z])",
    re.IGNORECASE,
)
NEXT_REQUEST = _words(
    r"then", r"add", r"show", r"draw", r"plot", r"put", r"overlay", r"display", r"load",
    r"switch", r"change", r"give", r"redraw", r"do", r"run", r"find", r"analy[sz]e", r"go",
    r"pull\s+up", r"open",
)  # fmt: skip
SENTENCE_END = compile_later(r"[.;!?]|\b(?:but|keep|except|leave)\b", re.IGNORECASE)
VIEW_ONLY = _words(r"zoom", r"scale", r"axis", r"axes")  # "reset the zoom" clears nothing
EVERYTHING = _words(r"everything", r"all\s+(?:of\s+)?(?:it|this|that)")
CLEAR_INDICATORS = _words(r"indicators?", r"studies", r"overlays?", r"oscillators?")
CLEAR_DRAWINGS = _words(
    r"drawings?", r"lines?", r"levels?", r"trend\s*lines?", r"annotations?", r"fibs?",
    r"fibonacci", r"supports?", r"resistances?", r"mark-?ups?", r"patterns?", r"shapes?",
    r"head\s+(?:and|&)\s+shoulders", r"(?:double|triple)\s+(?:tops?|bottoms?)", r"triangles?",
    r"wedges?", r"flags?", r"pennants?",
)  # fmt: skip


# "the moving averages can go": a removal said the other way round
GOES = compile_later(
    r"^\s*(?P<what>[^,.;!?]{3,80}?)\s+(?:can|could|must|should|has\s+to|have\s+to|gotta|need\s+to)"
    r"\s+go(?:\s+away)?\s*[.!]*\s*$",
    re.IGNORECASE,
)
ASKING = _words(r"add", r"draw", r"show", r"plot", r"put", r"overlay", r"display", r"give",
                r"load", r"include")  # fmt: skip
# "draw everything", "show me all of it", "the works": every drawing of an analysis
EVERY_DRAWING = compile_later(
    r"\b(?:draw|show|add|plot|give|put)\s+(?:me\s+|us\s+)?(?:everything|all\s+(?:of\s+)?(?:it|"
    r"them|the\s+(?:tools|drawings))|the\s+works)(?![a-z])",
    re.IGNORECASE,
)
ANALYSIS_DRAWINGS: tuple[ToolName, ...] = (
    "support_resistance",
    "trendline",
    "fibonacci",
    "patterns",
)
ANY_DRAWING = _words(r"anything", r"everything", r"drawings?", r"lines")
DRAWING_TOOLS: tuple[ToolName, ...] = (
    "support_resistance", "trendline", "fibonacci", "patterns", "trade_plan",
)  # fmt: skip
UNSUPPORTED = compile_later(r"(?<![a-z])(undo|redo)(?![a-z])", re.IGNORECASE)


def _clear_scope(text: str) -> tuple[int, int] | None:
    """Where the clear request is: from its verb to the next request or sentence end."""
    verb = CLEAR_VERB.search(text)
    if verb is None:
        return None
    ends = [m.start() for m in (NEXT_REQUEST.search(text, verb.end()),
                                SENTENCE_END.search(text, verb.end())) if m]  # fmt: skip
    end = min(ends, default=len(text))
    return None if VIEW_ONLY.search(text, verb.end(), end) else (verb.start(1), end)


def _clear_what(scope: str) -> ClearCommand:
    """CLEAR:INDICATORS or DRAWINGS when the object says so; both or neither mean ALL."""
    indicators = bool(CLEAR_INDICATORS.search(scope) or find_indicators(scope))
    drawings = bool(CLEAR_DRAWINGS.search(scope))
    if indicators == drawings or EVERYTHING.search(scope):
        return ClearCommand(what="ALL")
    return ClearCommand(what="INDICATORS" if indicators else "DRAWINGS")


def parse_query(query: str) -> QueryIntent:
    """What the query names and asks for. Never raises; unknown text gives an empty intent."""
    corrected = correct_typos(normalise(query))
    english = to_english(corrected)
    text = expand_shorthand(GOES.sub(r"remove \g<what>", english))
    unavailable, study_spans = find_studies(text)
    asks = blank(text, study_spans)  # a study's words ask for nothing we draw
    scope = _clear_scope(asks)
    spans = read_scope(asks, clear_at=scope[0] if scope else None)
    removing = _removal(asks, scope, spans, bool(study_spans))
    wanted = blank(asks, [*([scope] if scope else []), *spans.ruled_out, *spans.kept])
    only = pick(wanted, spans.only)
    if spans.only and _names_a_drawing(only):
        wanted = only
    ruled_out = _ruled_out(pick(asks, spans.ruled_out)) if spans.ruled_out else ()
    with_units = find_indicators_with_units(wanted)
    tools: list[ToolName] = [tool for tool, pattern in TOOL_PATTERNS if pattern.search(wanted)]
    if EVERY_DRAWING.search(wanted):  # "draw everything except the fib"
        tools += [t for t in ANALYSIS_DRAWINGS if t not in tools and t not in ruled_out]
    questions = find_questions(text)
    views = find_range(text), find_zoom(text)
    timeframe = find_timeframe(blank(text, spans.ruled_out))  # "levels, not on the daily"
    found = candidates(text, foreign=is_foreign(corrected, english))
    comparison = split_comparison(text, in_order(found))
    asks_nothing = not (
        tools
        or with_units
        or questions
        or any(views)
        or comparison
        or ASKING.search(wanted)
        or found
        or timeframe
    )
    negations = [s for s in spans.ruled_out if s not in spans.exceptions]
    if removing is None and negations and asks_nothing:
        removing = _negated_removal(pick(asks, negations))  # "no more moving averages"
    clear, kinds = (removing.clear, removing.kinds) if removing else (None, ())
    if removing and removing.redraw and "support_resistance" not in tools:
        tools.append("support_resistance")  # "remove support but keep resistance"
    if with_units:
        tools.insert(0, "indicators")
    if clear is not None:
        tools.insert(0, "clear")
    unknown = unknown_words(text, found)
    return QueryIntent(
        symbol=best_symbol(found) if comparison is None else comparison[0],
        timeframe=timeframe,
        tools=tuple(tools),
        indicators=tuple(command for command, _ in with_units),
        clear=clear,
        level_sides=(removing.redraw if removing and removing.redraw else ())  # type: ignore[arg-type]
        or tuple(s for s in _level_sides(wanted) if s not in ruled_out)
        or BOTH_SIDES,
        trade_direction="short" if SHORT_TRADE.search(wanted) else "long",
        period_units=tuple(unit for _, unit in with_units),
        clear_kinds=kinds,
        compare_symbols=comparison[1] if comparison else (),
        visible_range=views[0],
        zoom=views[1],
        questions=questions,
        patterns_named=patterns_named(text),
        unknown_symbols=unknown.tickers,
        loose_words=unknown.words,
        unsupported=tuple(dict.fromkeys(m.group(1).lower() for m in UNSUPPORTED.finditer(text))),
        ruled_out=ruled_out,
        unavailable=unavailable,
        removal_limits=removing.limits if removing else (),
    )


def _removal(
    text: str, scope: tuple[int, int] | None, spans: Scope, named_study: bool
) -> Removal | None:
    """The clear request's coarse command and precise kinds, less what it keeps; None when
    there is no clear, when it keeps everything it named, or when all it named is a study the
    chart does not draw ("remove the stochastic" must not clear everything)."""
    if scope is None:
        return None
    words = text[scope[0] : scope[1]]
    if named_study and not named_kinds(words) and not EVERYTHING.search(words):
        return None
    clear = _clear_what(words)
    return removal(clear, clear_kinds(words, clear), words, pick(text, spans.kept))


def _negated_removal(negated: str) -> Removal | None:
    """A request that only says what it does not want takes that off the chart ("no more
    moving averages", "i don't want the rsi anymore")."""
    kinds = named_kinds(negated)
    if not kinds:
        return None
    everything = ClearCommand(what="ALL")
    return removal(_clear_what(negated), (everything,) if everything in kinds else kinds, negated)


def _names_a_drawing(words: str) -> bool:
    """True when the words ask for a tool, an indicator or a side of the levels."""
    return bool(find_indicators(words)) or any(p.search(words) for _, p in TOOL_PATTERNS)


def _ruled_out(negated: str) -> tuple[str, ...]:
    """The tools, sides and indicators the ruled-out words name ("no resistance" is the side,
    not the whole levels tool)."""
    tools = [tool for tool, pattern in TOOL_PATTERNS if pattern.search(negated)]
    sides = [side for side, pattern in SIDE_WORDS if pattern.search(negated)]
    if len(sides) == 1 and "support_resistance" in tools:
        tools.remove("support_resistance")
    if ANY_DRAWING.search(negated):  # "without drawing anything"
        tools += DRAWING_TOOLS
    names = [c.name for c in find_indicators(negated)]
    return tuple(dict.fromkeys([*tools, *(sides if len(sides) == 1 else []), *names]))


def _level_sides(wanted: str) -> tuple[LevelSide, ...]:
    """The side a query names alone ("where is support"); both when it names neither or both."""
    named = tuple(side for side, pattern in SIDE_WORDS if pattern.search(wanted))
    return named if len(named) == 1 else BOTH_SIDES
