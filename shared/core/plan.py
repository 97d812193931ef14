"""The plan of a request before any model: what the caller's fields or the rules make of it, and
the one answer to "did we understand it?".

Every door asks the same question here. The action core asks a fallback planner (OpenAI) only
when the plan is not understood; the chat sends a message to its agent only when the plan is
not understood, and otherwise answers with the chart action on this same plan (the model, if
any, only narrates). So "compare with QQQ", "zoom in" or "last 3 months" — answered by the
rules on chart_action — never cost the chat two model calls.

Understood means: the request has structured fields (the caller's plan), or a symbol or
timeframe override, or the rules understood anything in its words (a tool, an indicator, a
removal, a comparison, a range, a zoom, a question, a study the chart does not draw, a word
they could name as unknown) — and no name in it is left unplaced (a word that looked like a
ticker but named nothing, with no symbol beside it: "load rheinmetall" may be one a model
knows). A message that refers to the conversation ("why?", "remove it", "the same for NVDA")
is understood too: the chart document answers it, before any model.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.models.action import ChartActionRequest, PlannerName
from shared.planner.followups import follow_up_words
from shared.planner.intent import QueryIntent
from shared.planner.rules import parse_query
from shared.planner.structured import is_structured
from shared.planner.structured import to_intent as structured_intent


@dataclass(frozen=True, slots=True)
class Plan:
    """A request's plan before any model; `request` is the request it was made for."""

    request: ChartActionRequest
    intent: QueryIntent
    planner: PlannerName
    unmapped: bool  # nothing in the request was understood
    unplaced: bool  # a name the rules could not place, and no symbol beside it
    # the words refer to the conversation ("why?", "remove it", "the same for NVDA"): the
    # chart document resolves them (`shared.core.followups`), before any model
    follow_up: bool = False

    @property
    def understood(self) -> bool:
        """True when the answer needs no model: the one "understood" of every door."""
        return self.follow_up or not (self.unmapped or self.unplaced)


def plan_request(request: ChartActionRequest) -> Plan:
    """The caller's structured arguments when it gave them (the rules fill what they leave
    open), else the rules planner's reading of the query."""
    parsed = parse_query(request.query) if request.query is not None else QueryIntent()
    structured = is_structured(request)
    intent = structured_intent(request, parsed) if structured else parsed
    overrides = bool(request.symbol or request.timeframe)
    unmapped = not (structured or intent.understood_anything or overrides)
    unknown = intent.unknown_symbols or intent.loose_words
    unplaced = not structured and intent.symbol is None and bool(unknown)
    follow_up = not structured and request.query is not None and follow_up_words(request.query).any
    planner = "structured" if structured else "rules"
    return Plan(request, intent, planner, unmapped, unplaced, follow_up)
