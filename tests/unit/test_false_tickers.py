"""False-ticker guard: common words of English, Spanish, French, German and Portuguese never
become symbols, whether lower-case, capitalised, or (unknown capitals) shouted mid-sentence.

The word lists are the planner's own data (shared/planner/words/, sources in its README), at
least 500 words per language. The few English words that are deliberately names (apple, bonds,
gold, oil, silver, visa, spy, ripple, meta, microsoft) are listed here and must stay names.
"""

from __future__ import annotations

import pytest

from shared.planner.rules import parse_query
from shared.planner.symbols import KNOWN_BARE, NAMES
from shared.planner.wordlists import LANGUAGES, WORDS_BY_LANGUAGE

# English words that name a symbol on purpose (the tables in shared/planner/names.py).
DELIBERATE_NAMES = {
    "apple", "gold", "oil", "silver", "visa", "spy", "ripple", "microsoft", "bonds",
}  # fmt: skip
# "meta", "uber", "sol", "dia", "uso", "baba" are words of other languages: capitalised they are
# the company or coin, in lower case inside a sentence of that language they are words.
TEMPLATES = {
    "en": ("show me {}", "Draw support for {}"),
    "es": ("muestra {} por favor", "Soporte y resistencia de {}"),
    "fr": ("montre-moi {} s'il te plait", "Support et résistance de {}"),
    "de": ("zeig mir {} bitte", "Unterstützung und Widerstand für {}"),
    "pt": ("mostra {} por favor", "Suporte e resistência da {}"),
}


def _words(language: str) -> list[str]:
    return sorted(WORDS_BY_LANGUAGE[language])


@pytest.mark.parametrize("language", LANGUAGES)
def test_lists_hold_at_least_500_words(language: str):
    assert len(WORDS_BY_LANGUAGE[language]) >= 500


def test_the_deliberate_names_are_names():
    assert set(NAMES) >= DELIBERATE_NAMES
    assert all(parse_query(f"show me {word}").symbol for word in DELIBERATE_NAMES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_common_words_are_not_tickers(language: str):
    lower, title = TEMPLATES[language]
    wrong: list[tuple[str, object]] = []
    for word in _words(language):
        if word in DELIBERATE_NAMES:
            continue
        for query in (lower.format(word), title.format(word.capitalize())):
            intent = parse_query(query)
            if intent.symbol or intent.compare_symbols or intent.unknown_symbols:
                if query.startswith(title[:3]) and word in NAMES:
                    continue  # a capitalised name of another language's word is the name
                wrong.append((query, intent.symbol or intent.unknown_symbols))
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_common_words_in_capitals_are_not_unknown_tickers(language: str):
    """An all-capitals word we do not know as a ticker ("what about HOLA") stays a word."""
    wrong = [
        word
        for word in _words(language)
        if 2 <= len(word) <= 5
        and word.isalpha()
        and word.upper() not in KNOWN_BARE
        and word not in NAMES
        and parse_query(f"what about {word.upper()} today").symbol is not None
    ]
    assert wrong == []
