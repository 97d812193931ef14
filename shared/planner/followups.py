"""The words that make a message a follow-up of the conversation, in the planner's languages.

The rules planner reads one message on its own; these say what a message means next to the one
before it: "the same for NVDA" (carry the analysis over), "remove it" / "undo" (the most recent
drawings), "add IWM too" (another overlay), "why?" / "when?" / "how far?" (a question about the
last answer), "the opposite trade". They are read on the normalised text (accents folded),
after the foreign phrases of `languages` are rewritten in English ("quita eso" is "remove eso"
by then), and only mean something beside a chart document (`shared.core.followups`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shared.planner.languages import to_english
from shared.planner.normalise import normalise
from shared.planner.patterns import compile_later


def _words(*patterns: str) -> re.Pattern[str]:
    return compile_later(r"(?<![\w'])(?:" + "|".join(patterns) + r")(?![\w'])", re.IGNORECASE)


SAME = _words(
    r"(?:the\s+)?same(?:\s+thing)?", r"again", r"likewise", r"lo\s+mismo", r"igual",
    r"(?:fais\s+)?pareil", r"de\s+meme", r"la\s+meme\s+chose", r"das\s+gleiche", r"dasselbe",
    r"genauso", r"o\s+mesmo", r"a\s+mesma\s+coisa",
)  # fmt: skip
TOO = _words(
    r"too", r"as\s+well", r"also", r"another(?:\s+one)?", r"one\s+more", r"tambien", r"otr[oa]",
    r"aussi", r"un\s+autre", r"une\s+autre", r"auch", r"noch\s+(?:eine?n?|dazu)", r"tambem",
    r"outr[oa]",
)  # fmt: skip
# "remove it", "delete that one", "get rid of them", "take it off", "quita eso", "supprime-le"
PRONOUN = (
    r"(?:it|that(?:\s+one)?|this(?:\s+one)?|them|those|these|the\s+last\s+(?:one|drawing|line)s?|"
    r"(?:the\s+)?last\s+one|eso|esto|esa|ese|ca|cela|ceci|-la|-le|-les|la|le|les|das|dies|"
    r"es|isso|isto)"
)
REMOVE_IT = compile_later(
    r"(?<![\w'])(?:remove|delete|erase|drop|clear|hide|get\s+rid\s+of|take|scrap|kill|lose|"
    r"supprime|enleve|retire|quita|borra|elimina|entferne|losche|apaga|remova|tira)"
    rf"\s*{PRONOUN}(?:\s+(?:off|away|please|again|too))*\s*[.!?]*\s*$",
    re.IGNORECASE,
)
UNDO = _words(
    r"undo(?:\s+(?:it|that|this|the\s+last(?:\s+(?:one|step|change))?))?", r"deshacer", r"deshaz",
    r"annule(?:r|z)?", r"defais", r"ruckgangig(?:\s+machen)?", r"desfazer", r"desfaz",
    r"take\s+(?:it|that)\s+back", r"go\s+back",
)  # fmt: skip
WHY = _words(
    r"why", r"how\s+come", r"reasons?", r"explain", r"por\s+que", r"porque", r"pourquoi",
    r"warum", r"wieso", r"weshalb", r"begrundung",
)  # fmt: skip
WHEN = _words(
    r"when", r"what\s+date", r"which\s+(?:day|date)", r"cuando", r"quand", r"wann", r"quando",
)  # fmt: skip
HOW_FAR = _words(
    r"how\s+far", r"how\s+close", r"distance", r"a\s+que\s+distancia", r"a\s+quelle\s+distance",
    r"wie\s+weit", r"wie\s+nah", r"quao\s+longe", r"a\s+que\s+distancia",
)  # fmt: skip
OPPOSITE = _words(
    r"(?:the\s+)?opposite(?:\s+(?:trade|side|way|direction))?", r"(?:the\s+)?other\s+(?:way|side|"
    r"direction)", r"reverse(?:\s+it)?", r"flip\s+it", r"contrario", r"lo\s+contrario",
    r"(?:l')?inverse", r"gegenteil", r"umgekehrt", r"andersherum", r"oposto",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class FollowUpWords:
    """What the message says about the conversation so far."""

    same: bool = False
    too: bool = False
    remove_it: bool = False
    undo: bool = False
    why: bool = False
    when: bool = False
    how_far: bool = False
    opposite: bool = False

    @property
    def any(self) -> bool:
        """The message refers to the conversation in some way."""
        return any(getattr(self, name) for name in self.__dataclass_fields__)

    @property
    def asks_about_last(self) -> bool:
        """A question about the previous answer (its reason, date or distance)."""
        return self.why or self.when or self.how_far


def follow_up_words(query: str) -> FollowUpWords:
    """The follow-up words of a message (all False for a message that stands alone)."""
    text = to_english(normalise(query))
    return FollowUpWords(
        same=bool(SAME.search(text)),
        too=bool(TOO.search(text)),
        remove_it=bool(REMOVE_IT.search(text.strip())),
        undo=bool(UNDO.search(text)),
        why=bool(WHY.search(text)),
        when=bool(WHEN.search(text)),
        how_far=bool(HOW_FAR.search(text)),
        opposite=bool(OPPOSITE.search(text)),
    )
