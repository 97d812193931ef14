"""Common words of the five languages the planner reads, from the data files in `words/`.

They keep ordinary words from becoming symbols: a word on these lists is never corrected to a
company name or keyword by the typo matcher, and an unknown all-capitals token that is a word
("what about HOLA") is not taken for a ticker. Sources and licences: words/README.md. The files
hold accent-folded, case-folded words (the form `normalise` gives), so lookups are exact.
"""

from __future__ import annotations

from pathlib import Path

LANGUAGES = ("en", "es", "fr", "de", "pt")
WORDS_DIR = Path(__file__).with_name("words")


def load_words(language: str) -> frozenset[str]:
    """One language's list (comment lines start with #)."""
    lines = (WORDS_DIR / f"{language}.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


WORDS_BY_LANGUAGE: dict[str, frozenset[str]] = {lang: load_words(lang) for lang in LANGUAGES}
COMMON_WORDS: frozenset[str] = frozenset().union(*WORDS_BY_LANGUAGE.values())


def is_common_word(word: str) -> bool:
    """True for a common word of any of the five languages, in any case (or its plural)."""
    folded = word.casefold()
    return folded in COMMON_WORDS or (folded.endswith("s") and folded[:-1] in COMMON_WORDS)
