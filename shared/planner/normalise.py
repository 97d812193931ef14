"""Text as the planner reads it: what the user saw, in plain letters, before anything is parsed.

- NFKC first: full-width letters and digits ("ＴＳＬＡ ４ｈ"), ligatures, superscripts.
- Right-to-left overrides (U+202E ... U+202C) show their text reversed; the planner reads the
  span in the order the user saw it ("\\u202eALST" is displayed, and read, as TSLA), so a
  "Trojan source" query cannot load something other than what is on screen.
- Every other format control goes (category Cf: zero-width spaces and joiners, the word
  joiner, BOM, soft hyphen, bidi embeddings, isolates and marks), so "TS\\u200bLA" is TSLA.
- Accents are folded (NFKD, combining marks dropped): "résistance" is "resistance",
  "gráfico diário" is "grafico diario"; the word tables are written without accents.
- Curly apostrophes become straight ones; the text is capped in length first.
"""

from __future__ import annotations

import unicodedata

from shared.planner.patterns import compile_later

MAX_CHARS = 4000  # requests are capped at 2000; anything longer is cut, not parsed slowly
RLO, PDF, LRO = "\u202e", "\u202c", "\u202d"
OVERRIDE_SPAN = compile_later(f"{RLO}([^{PDF}{LRO}]*)(?:{PDF}|$)")
APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})


def _without_format_controls(text: str) -> str:
    """Drop every format control character (zero-width, bidi, soft hyphen)."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def _folded(text: str) -> str:
    """Accents off, everything else kept: NFKD, combining marks dropped, NFC again."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare)


def normalise(query: str) -> str:
    """The query in the form every planner module reads (see the module docstring)."""
    text = unicodedata.normalize("NFKC", query[:MAX_CHARS])
    if not text.isascii():
        text = OVERRIDE_SPAN.sub(lambda m: m.group(1)[::-1], text)
        text = _folded(_without_format_controls(text))
    return text.translate(APOSTROPHES)
