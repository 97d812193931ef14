"""What one clear request removes, precisely: one kind of drawing, one indicator, or a family.

Read from the clear request's own words (rules finds where it starts and ends): trend lines ->
CLEAR:TRENDLINES, levels/support/resistance -> CLEAR:LEVELS, fib/retracement ->
CLEAR:FIBONACCI, patterns/markers -> CLEAR:PATTERNS, an indicator -> CLEAR:INDICATOR:<NAME>
(every period of it), "drawings"/"lines" -> CLEAR:DRAWINGS, "indicators" -> CLEAR:INDICATORS,
"everything" -> CLEAR:ALL. Nothing named -> the coarse command rules already chose.

Families name several indicators: "the moving averages" (plural, no period) are the SMA and the
EMA, "the oscillators" the RSI and the MACD. A clear that keeps something ("clear everything
but keep the levels") removes the rest, kind by kind (`without`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import get_args

from shared.models.commands import ClearCommand, IndicatorName
from shared.planner.indicators import CROSS, find_indicators
from shared.planner.indicators import PATTERN as INDICATOR_PATTERN
from shared.planner.indicators import name_of as indicator_name
from shared.planner.patterns import compile_later

NOT_FIB = r"(?<!fib\s)(?<!fibs\s)(?<!fibonacci\s)(?<!retracement\s)"
KINDS: tuple[tuple[ClearCommand, re.Pattern[str]], ...] = tuple(
    (ClearCommand(what=what), compile_later(rf"(?<![a-z])(?:{pattern})(?![a-z])", re.IGNORECASE))
    for what, pattern in (
        ("TRENDLINES", r"trend\s*-?\s*lines?|trend\s+channels?|channels?"),
        ("FIBONACCI", r"fibs?|fibonacci|retracements?|golden\s+pocket"),
        ("LEVELS", rf"{NOT_FIB}(?:key\s+|price\s+|horizontal\s+)?levels?|supports?|"
                   r"resistances?|s\s*/\s*r|s\s*&\s*r|price\s+lines?|pivots?"),
        ("PATTERNS", r"patterns?|formations?|markers?|necklines?|head\s+(?:and|&)\s+shoulders|"
                     r"(?:double|triple)\s+(?:tops?|bottoms?)|triangles?|wedges?|flags?|"
                     r"pennants?|cup\s+(?:and|&)\s+handle"),
        ("DRAWINGS", r"drawings?|(?<!trend\s)(?<!trend)(?<!support\s)(?<!resistance\s)"
                     r"(?<!price\s)(?<!level\s)lines?|annotations?|mark-?ups?|shapes?"),
        ("INDICATORS", r"indicators?|studies|overlays?"),
        ("ALL", r"everything|all\s+(?:of\s+)?(?:it|this|that)|the\s+(?:whole\s+)?chart"),
    )
)  # fmt: skip


FAMILIES: tuple[tuple[re.Pattern[str], tuple[IndicatorName, ...]], ...] = tuple(
    (compile_later(rf"(?<![a-z])(?:{pattern})(?![a-z])", re.IGNORECASE), names)
    for pattern, names in (
        (r"(?<!\d\s)(?<!\d)(?<!day\s)(?<!simple\s)(?<!exponential\s)moving\s+averages|"
         r"(?<!\d\s)(?<!\d)averages|ma's|mas(?!['’])", ("SMA", "EMA")),
        (r"(?:momentum\s+)?oscillators?|momentum\s+indicators?", ("RSI", "MACD")),
    )
)  # fmt: skip
DRAWING_KINDS = tuple(
    ClearCommand(what=w) for w in ("TRENDLINES", "LEVELS", "FIBONACCI", "PATTERNS")
)
INDICATOR_NAMES: tuple[IndicatorName, ...] = get_args(IndicatorName)
ALL, DRAWINGS, INDICATORS = (ClearCommand(what=w) for w in ("ALL", "DRAWINGS", "INDICATORS"))
COMPARISONS = compile_later(r"(?<![a-z])(?:compar\w*|overlay\w*|vs)(?![a-z])", re.IGNORECASE)


def one_indicator(name: IndicatorName) -> ClearCommand:
    return ClearCommand(what="INDICATOR", indicator=name)


def named_kinds(scope: str) -> tuple[ClearCommand, ...]:
    """The removals the words name, in order of appearance, without repeats."""
    found: list[tuple[int, ClearCommand]] = [
        (m.start(), command) for command, pattern in KINDS for m in pattern.finditer(scope)
    ]
    families = [(m.span(), names) for pattern, names in FAMILIES for m in pattern.finditer(scope)]
    found += [(span[0], one_indicator(name)) for span, names in families for name in names]
    if not CROSS.search(scope):
        found += [
            (m.start(), one_indicator(indicator_name(m.group(1))))
            for m in INDICATOR_PATTERN.finditer(scope)
            if not any(start <= m.start() < end for (start, end), _ in families)
        ]
    return tuple(dict.fromkeys(command for _, command in sorted(found, key=lambda f: f[0])))


def clear_kinds(scope: str, coarse: ClearCommand) -> tuple[ClearCommand, ...]:
    """The removals the scope names, in order; `(coarse,)` when it names none; `(ALL,)` when
    it names everything."""
    kinds = named_kinds(scope)
    if not kinds:
        return (coarse,)
    return (ALL,) if ALL in kinds else kinds


def without(kinds: tuple[ClearCommand, ...], kept_words: str) -> tuple[ClearCommand, ...]:
    """The removals `kinds` make less what the kept words name ("clear everything but keep the
    levels" -> the trendlines, Fibonacci, patterns and indicators): a coarse removal is split
    into its kinds only when something inside it is kept."""
    kept = set(named_kinds(kept_words))
    comparisons = bool(COMPARISONS.search(kept_words))  # only ALL takes the comparisons
    out: list[ClearCommand] = []
    for kind in kinds:
        out += _less(kind, kept, comparisons)
    return tuple(dict.fromkeys(out))


def _less(kind: ClearCommand, kept: set[ClearCommand], comparisons: bool) -> list[ClearCommand]:
    if kind in kept or (kind.what == "INDICATOR" and INDICATORS in kept):
        return []
    if kind == ALL:
        parts = [*_less(DRAWINGS, kept, comparisons), *_less(INDICATORS, kept, comparisons)]
        return parts if kept or comparisons else [ALL]
    if kind == DRAWINGS:
        return [k for k in DRAWING_KINDS if k not in kept] if kept & {*DRAWING_KINDS} else [kind]
    if kind == INDICATORS:
        named = {k.indicator for k in kept if k.what == "INDICATOR"}
        return [one_indicator(n) for n in INDICATOR_NAMES if n not in named] if named else [kind]
    return [kind]


SIDES = (
    ("support", compile_later(r"(?<![a-z])supports?(?![a-z])", re.IGNORECASE)),
    ("resistance", compile_later(r"(?<![a-z])resistances?(?![a-z])", re.IGNORECASE)),
)
LEVEL_WORDS = compile_later(r"(?<![a-z])(?:levels?|s\s*[/&]\s*r)(?![a-z])", re.IGNORECASE)
LEVELS = ClearCommand(what="LEVELS")


@dataclass(frozen=True, slots=True)
class Removal:
    """A clear request: the coarse command, the precise kinds, what it cannot do exactly
    (`limits`, said in the answer and listed in `data.ignored`), and the side of the levels
    it draws again because the request kept it ("remove support but keep resistance")."""

    clear: ClearCommand
    kinds: tuple[ClearCommand, ...]
    limits: tuple[str, ...] = ()
    redraw: tuple[str, ...] = ()


def _sides(words: str) -> list[str]:
    return [side for side, pattern in SIDES if pattern.search(words)]


def removal(
    clear: ClearCommand, kinds: tuple[ClearCommand, ...], words: str, kept: str = ""
) -> Removal | None:
    """The removal the clear's `words` ask for, less what the `kept` words keep; None when it
    keeps all it named. The page removes both sides of the levels together and every period
    of an indicator: "remove the resistance" takes support too (a limit, said), "remove
    support but keep resistance" removes the levels and draws resistance again, "clear
    everything but the 200 day" keeps every SMA (a limit, said)."""
    limits: list[str] = []
    redraw: list[str] = []
    removed_sides = _sides(words) if LEVELS in kinds and not LEVEL_WORDS.search(words) else []
    if len(removed_sides) == 1:
        other = "resistance" if removed_sides[0] == "support" else "support"
        if other in _sides(kept):
            redraw.append(other)
            kept = SIDES[0][1].sub(" ", SIDES[1][1].sub(" ", kept))
        else:
            limits.append(f"remove {removed_sides[0]} only")
    whole = {k.indicator for k in kinds if k.what == "INDICATOR"}
    takes_all = any(k.what in ("ALL", "INDICATORS") for k in kinds)
    limits += [
        f"keep {c.name} {c.period} only"
        for c in find_indicators(kept)
        if c.period is not None and (takes_all or c.name in whole)
    ]
    left = without(kinds, kept) if kept.strip() else kinds
    if not left:
        return None
    return Removal(clear, left, tuple(dict.fromkeys(limits)), tuple(redraw))
