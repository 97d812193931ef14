"""Typo tolerance: "suport and resistence for tesal" reads as "support and resistance for tesla".

Each word of five or more letters that the planner does not know is matched against the
planner's keywords (English and the four other languages) and the one-word company names, by
optimal-string-alignment distance (`rapidfuzz`, C-accelerated: a transposition such as
"tesal" costs 1). Thresholds keep ordinary words from turning into tickers or tools:
- at most 1 edit for words of 5-7 letters, 2 for longer ones, and the first letter must agree;
- a word on the common-word lists (five languages, `wordlists`) is never corrected, nor is
  its plural ("apply" stays "apply", not Apple);
- a five-letter word is corrected for a swap of two neighbouring letters ("telsa", "dialy")
  or a dropped letter ("nvdia"), never for a changed one ("bands" stays "bands", not "bonds");
- a tie between two targets corrects nothing, unless exactly one of them is English ("suport"
  is as near "support" as Portuguese "suporte": both mean support);
- all-capitals tokens of up to five letters are left alone (they may be tickers: "TELS");
- a company name of fewer than eight letters is not reached by adding letters to its end or
  taking them off, except a plural "s" ("lowest" is not Lowe's, "modern" is not Moderna,
  "teslas" is Tesla).
The corrected word replaces the typo in place; everything downstream reads the fixed text.
"""

from __future__ import annotations

import re
from collections import defaultdict

from shared.planner.languages import PHRASES
from shared.planner.names import COMPANY_NAMES
from shared.planner.patterns import compile_later
from shared.planner.wordlists import is_common_word

# Words the rules act on, as the normaliser leaves them (lower case, no accents).
ENGLISH_KEYWORDS = frozenset(
    """
support supports resistance resistances trendline trendlines channel channels fibonacci
retracement retracements moving average averages exponential simple bollinger indicator
indicators pattern patterns formation technical technicals analysis analyze analyse weekly
daily hourly monthly minute minutes shoulders triangle triangles wedge pennant neckline
overbought oversold momentum volume relative strength compare versus levels drawings
outlook bullish bearish uptrend downtrend trending setup target targets entry
without except excluding remove delete oscillator oscillators
    """.split()
)
_TABLE_WORDS = sorted(set(re.findall(r"[a-z]{5,}", " ".join(p for p, _ in PHRASES))))
# A word the table spells whole or as a stem ("sobrecomprad" + o/a/os/as) is never a typo.
TABLE_WORD = compile_later("(?:" + "|".join(_TABLE_WORDS) + r")[a-z]{0,3}")
# Typo targets in the four languages (whole words the translation table reads).
FOREIGN_KEYWORDS = frozenset(
    """
soporte soportes resistencia resistencias tendencia suporte suportes tendance unterstutzung
widerstand widerstande trendlinie trendlinien durchschnitt gleitender gleitende moyenne
mobile semanal diario mensual mensal hebdomadaire quotidien journalier mensuel horaire
wochentlich taglich monatlich stundlich indicadores indicateurs indikatoren exponencial
exponentielle movil moviles movel moveis moyennes mobiles linea lineas ligne lignes linha
linhas niveles niveaux horas heures stunden minutos minuten semanas semaines wochen
    """.split()
)
# Real words one edit from a keyword that the common-word lists lack: never typos.
LOOKALIKES = frozenset({"remote"})
MIN_LETTERS = 5
LONG_WORD = 8  # from this length two edits are allowed
WORD = compile_later(r"(?<![\w$^.&'-])[A-Za-z]{5,}(?![\w&])")


NAMES = frozenset(n for n in COMPANY_NAMES if n.isalpha() and len(n) >= MIN_LETTERS)


def _vocabulary() -> dict[str, list[str]]:
    """Targets by first letter: keywords and one-word company names of five letters or more."""
    names = sorted(NAMES - ENGLISH_KEYWORDS - FOREIGN_KEYWORDS)
    by_letter: dict[str, list[str]] = defaultdict(list)
    for word in dict.fromkeys([*sorted(ENGLISH_KEYWORDS), *sorted(FOREIGN_KEYWORDS), *names]):
        by_letter[word[0]].append(word)
    return dict(by_letter)


VOCABULARY = _vocabulary()
KNOWN = frozenset(word for words in VOCABULARY.values() for word in words)


def _inflected(word: str, target: str) -> bool:
    """True when one is the other with letters added at the end, other than a plural "s"."""
    longer, shorter = (word, target) if len(word) > len(target) else (target, word)
    return longer.startswith(shorter) and not (longer is word and longer == shorter + "s")


def _left_alone(word: str, lowered: str) -> bool:
    """Known words, common words, the table's foreign words and possible tickers."""
    if lowered in KNOWN or lowered in LOOKALIKES or (word.isupper() and len(word) <= MIN_LETTERS):
        return True
    return is_common_word(lowered) or TABLE_WORD.fullmatch(lowered) is not None


def correction(word: str) -> str | None:
    """The keyword or name a typo stands for, or None when it is fine or too far from any."""
    lowered = word.lower()
    if _left_alone(word, lowered):
        return None
    choices = VOCABULARY.get(lowered[0])
    if not choices:
        return None
    # loaded with the first word that may be a typo: most requests have none (8 ms at a cold
    # start, `make bench`)
    from rapidfuzz import process  # noqa: PLC0415
    from rapidfuzz.distance import OSA, Levenshtein  # noqa: PLC0415

    limit = 2 if len(lowered) >= LONG_WORD else 1
    found = process.extract(lowered, choices, scorer=OSA.distance, score_cutoff=limit, limit=3)
    nearest = [target for target, distance, _ in found if distance == found[0][1]] if found else []
    if len(nearest) > 1:
        nearest = [target for target in nearest if target in ENGLISH_KEYWORDS]
    if len(nearest) != 1:
        return None
    target = nearest[0]
    if target in NAMES and len(target) < LONG_WORD and _inflected(lowered, target):
        return None
    if len(lowered) == len(target) == MIN_LETTERS and Levenshtein.distance(lowered, target) == 1:
        return None  # five letters: a swap of neighbours or a dropped letter, not a changed one
    return target


def correct_typos(text: str) -> str:
    """The text with every correctable typo replaced by the word it stands for."""
    return WORD.sub(lambda m: correction(m.group(0)) or m.group(0), text)
