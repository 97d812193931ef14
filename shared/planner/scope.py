"""What a request rules out and what it limits itself to, read on the English text.

- **Ruled out**: "but no trendlines", "support but not resistance", "without the moving
  averages", "except the fib", "don't draw any levels", "skip the rsi", "i don't want the
  moving averages". The span runs from the word that negates to the next request ("... , just
  fibonacci", "... and add the rsi") or the end of the sentence; its words ask for nothing.
- **Kept**, after a clear: "clear everything but keep the levels", "remove all drawings except
  the trendline", "clear the chart but leave the indicators", "don't remove the levels". The
  clear removes the rest; the kept words ask for nothing either.
- **Only**: "only support", "just the 50 day", "nothing but fibonacci", "draw support and
  resistance only". When an only-span names something to draw, the request draws that alone.

The other languages reach this in English (`languages` writes "sin", "sans", "ohne", "sem" as
"without", "solo", "seulement", "nur", "só" as "only", and so on). Spans are character ranges
of the text the planner reads, so the caller can blank them out of what is asked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shared.planner.patterns import compile_later

Span = tuple[int, int]

# Words that may sit between the negation and its object: the verb and its articles.
SKIP = (
    r"(?:\s+(?:want|need|wanna|like|to|me|see|use|bother|with|draw|add|show|plot|put|include|"
    r"display|give|any|the|a|an|those|these|my|more|anymore)(?![\w']))*"
)
REMOVAL_VERB = compile_later(
    r"\s*(?:remove|delete|clear|erase|wipe|hide|drop|get\s+rid\s+of|take\b|turn\s+off)",
    re.IGNORECASE,
)
NEGATION = compile_later(
    r"(?<![\w'])(?:but\s+not|not|no(?:\s+more)?(?!\s*[,.;:!?]|\s+(?:matter|idea|problem|worries|"
    r"thanks|way|doubt)\b)|none\s+of|without|except(?:\s+for)?|excluding|exclude|other\s+than|"
    r"apart\s+from|minus|skip(?:ping)?|leave\s+out|no\s+need\s+for|never|"
    r"(?:do|does|did)\s*n'?t|dont)(?![\w'])" + SKIP,
    re.IGNORECASE,
)
ARTICLES = r"(?:\s+(?:the|a|an|my|those|these|all|of|on|in)(?![\w']))*"
EXCEPTION = compile_later(
    r"(?:except|excluding|exclude|other|apart|minus|skip|leave)", re.IGNORECASE
)
KEEP = compile_later(
    r"(?<![\w'])(?:but\s+)?(?:keep(?:ing)?|leave|leaving|save|retain|but)(?![\w'])" + ARTICLES,
    re.IGNORECASE,
)
ONLY = compile_later(
    r"(?<![\w'])(?:only|solely|exclusively|nothing\s+but|"
    r"just(?!\s+(?:now|above|below|under|over|about|broke|crossed|hit|in\s+case)\b))(?![\w'])"
    + SKIP,
    re.IGNORECASE,
)
TRAILING_ONLY = compile_later(r"\s+only\s*(?=$|[,.;!?])", re.IGNORECASE)
CLAUSE_START = compile_later(r"[,.;!?]|\bbut\b", re.IGNORECASE)
# Where a ruled-out, kept or only span ends: the sentence, the next request, a contrast.
END = compile_later(
    r"[.;!?]|,(?=\s*(?:just|only|but|then|and|add|show|draw|plot|put|display|give|load|please|"
    r"instead)\b)|\b(?:but|just|only|then|instead|rather|keep|leave|except|without|not|no|"
    r"add|show|draw|plot|put|overlay|display|load|switch|change|give|redraw|run|find|"
    r"analy[sz]e|go|pull\s+up|open)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Scope:
    """The spans of a request that rule something out, keep something, or say "only"."""

    ruled_out: tuple[Span, ...] = ()
    kept: tuple[Span, ...] = ()
    only: tuple[Span, ...] = ()
    # the ruled-out spans an exception opens ("everything except the fib"): they leave
    # something out of a request, and never make one ("no more moving averages" does)
    exceptions: tuple[Span, ...] = ()


NOTHING = Scope()
# One search that most requests fail: none of the words any span starts with.
ANY_WORD = compile_later(
    r"(?<![\w'])(?:not?|none|without|except\w*|exclud\w*|other|apart|minus|skip\w*|leave\w*|"
    r"never|do\w*n'?t|dont|did\w*|keep\w*|save|retain|but|only|solely|exclusively|nothing|"
    r"just)(?![\w'])",
    re.IGNORECASE,
)


def _span(text: str, start: int) -> Span:
    """From `start` to where the span ends (the next request or the sentence end)."""
    end = END.search(text, start)
    return (start, end.start() if end else len(text))


def read_scope(text: str, clear_at: int | None = None) -> Scope:
    """The spans of `text`; `clear_at` is where the request's clear verb is, if it has one
    (a "keep" or an exception after it keeps, not rules out)."""
    if not ANY_WORD.search(text):
        return NOTHING
    ruled_out: list[Span] = []
    kept: list[Span] = []
    exceptions: list[Span] = []
    for match in NEGATION.finditer(text):
        span = _span(text, match.end())
        if span[0] == span[1]:
            continue
        after_clear = clear_at is not None and match.start() > clear_at
        keeps = after_clear or bool(REMOVAL_VERB.match(text, match.end()))
        (kept if keeps else ruled_out).append(span)
        if not keeps and EXCEPTION.match(match.group(0)):
            exceptions.append(span)
    if clear_at is not None:
        keeps = [m for m in KEEP.finditer(text, clear_at) if m.start() > clear_at]
        kept += [_span(text, m.end()) for m in keeps]
    only = [_span(text, m.end()) for m in ONLY.finditer(text)]
    for match in TRAILING_ONLY.finditer(text):
        starts = [m.end() for m in CLAUSE_START.finditer(text, 0, match.start())]
        only.append((max(starts, default=0), match.start()))
    return Scope(
        tuple(s for s in ruled_out if s[1] > s[0]),
        tuple(s for s in kept if s[1] > s[0]),
        tuple(s for s in only if s[1] > s[0]),
        tuple(exceptions),
    )


def blank(text: str, spans: tuple[Span, ...] | list[Span]) -> str:
    """The text with the spans written as spaces (positions kept)."""
    if not spans:
        return text
    out = list(text)
    for start, end in spans:
        out[start:end] = " " * (end - start)
    return "".join(out)


def pick(text: str, spans: tuple[Span, ...] | list[Span]) -> str:
    """Only the spans' words, the rest written as spaces."""
    out = [" "] * len(text)
    for start, end in spans:
        out[start:end] = text[start:end]
    return "".join(out)
