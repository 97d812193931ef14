"""What one clear request removes, precisely: one kind of drawing, one indicator, or a family.

Read from the clear request's own words (rules finds where it starts and ends): trend lines ->
CLEAR:TRENDLINES, levels/support/resistance -> CLEAR:LEVELS, fib/retracement ->
CLEAR:FIBONACCI, patterns/markers -> CLEAR:PATTERNS, an indicator -> CLEAR:INDICATOR:<NAME>
(every period of it), "drawings"/"lines" -> CLEAR:DRAWINGS, "indicators" -> CLEAR:INDICATORS,
"everything" -> CLEAR:ALL. Nothing named -> the coarse command rules already chose.
"""

from __future__ import annotations

import re

from shared.models.commands import ClearCommand
from shared.planner.indicators import CROSS
from shared.planner.indicators import PATTERN as INDICATOR_PATTERN
from shared.planner.indicators import name_of as indicator_name

NOT_FIB = r"(?<!fib\s)(?<!fibs\s)(?<!fibonacci\s)(?<!retracement\s)"
KINDS: tuple[tuple[ClearCommand, re.Pattern[str]], ...] = tuple(
    (ClearCommand(what=what), re.compile(rf"(?<![a-z])(?:{pattern})(?![a-z])", re.IGNORECASE))
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
        ("INDICATORS", r"indicators?|studies|overlays?|oscillators?"),
        ("ALL", r"everything|all\s+(?:of\s+)?(?:it|this|that)|the\s+(?:whole\s+)?chart"),
    )
)  # fmt: skip


def clear_kinds(scope: str, coarse: ClearCommand) -> tuple[ClearCommand, ...]:
    """The removals the scope names, in order; `(coarse,)` when it names none; `(ALL,)` when
    it names everything."""
    found: list[tuple[int, ClearCommand]] = [
        (m.start(), command) for command, pattern in KINDS for m in pattern.finditer(scope)
    ]
    if not CROSS.search(scope):
        found += [
            (m.start(), ClearCommand(what="INDICATOR", indicator=indicator_name(m.group(1))))
            for m in INDICATOR_PATTERN.finditer(scope)
        ]
    kinds = tuple(dict.fromkeys(command for _, command in sorted(found, key=lambda f: f[0])))
    if not kinds:
        return (coarse,)
    return (ClearCommand(what="ALL"),) if ClearCommand(what="ALL") in kinds else kinds
