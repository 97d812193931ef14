"""Chart studies traders ask for that this chart does not draw: named, so never dropped.

"support and resistance and the stochastic" draws the levels and says the stochastic is not
available; "add the ichimoku cloud" answers that, instead of "could not map". The names are
the English ones (`languages` rewrites "estocástico", "stochastique", "Stochastik"). A study's
words are taken out of what the request asks for, so "stochastic rsi" adds no RSI, "volume
profile" no volume and "keltner channels" no trend channel.
"""

from __future__ import annotations

import re

from shared.planner.patterns import compile_later
from shared.planner.scope import Span

# (name as the answer says it, pattern)
STUDIES: tuple[tuple[str, str], ...] = (
    ("stochastic rsi", r"stoch(?:astic)?\s*rsi"),
    ("stochastic", r"stochastics?(?:\s+oscillator)?|stoch"),
    ("ichimoku", r"ichimoku(?:\s+(?:cloud|kinko\s+hyo))?|kumo"),
    ("atr", r"atr|average\s+true\s+range"),
    ("adx", r"adx|dmi|directional\s+(?:movement\s+)?index"),
    ("obv", r"obv|on[\s-]?balance\s+volume"),
    ("cci", r"cci|commodity\s+channel\s+index"),
    ("williams %r", r"williams\s*%?\s*r"),
    ("parabolic sar", r"parabolic\s+sar|psar"),
    ("supertrend", r"super\s*trend"),
    ("keltner channels", r"keltner(?:\s+channels?)?"),
    ("donchian channels", r"donchian(?:\s+channels?)?"),
    ("volume profile", r"volume\s+profile|vpvr|vrvp"),
    ("money flow index", r"money\s+flow(?:\s+index)?|mfi"),
    ("heikin ashi", r"heikin[\s-]?ashi"),
    ("elliott waves", r"elliott?\s+waves?"),
)
ANY = compile_later(
    r"(?<![a-z%])(?:" + "|".join(p for _, p in STUDIES) + r")(?![a-z])", re.IGNORECASE
)
EACH = [(name, compile_later(rf"(?:{p})$", re.IGNORECASE)) for name, p in STUDIES]


def find_studies(text: str) -> tuple[tuple[str, ...], tuple[Span, ...]]:
    """The studies named (in order, without repeats) and where their words are."""
    matches = list(ANY.finditer(text))
    names = [next(name for name, p in EACH if p.match(m.group(0))) for m in matches]
    return tuple(dict.fromkeys(names)), tuple(m.span() for m in matches)
