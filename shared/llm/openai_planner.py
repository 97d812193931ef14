"""Ask OpenAI for a `ChartPlan` when the rules planner understood nothing.

Real `openai` client (its base URL comes from OPENAI_BASE_URL when set, which is how tests point
it at a local server), Structured Outputs constrained to `ChartPlan`, no client retries, and a
hard wall-clock deadline: the client's own timeout bounds each connect/read, but a server that
trickles bytes could stretch a call past it, so the call also runs under `call_with_deadline`.
Every failure — timeout, 429, 5xx, refusal, output that does not validate — returns an outcome
with a reason, and the caller falls back to the rules answer.
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError

from shared.infra.deadline import DeadlineExceeded, call_with_deadline
from shared.infra.lazy import once
from shared.infra.settings import Settings
from shared.llm.plan import ChartPlan
from shared.models.context import ChartState
from shared.planner.intent import PlannerOutcome

log = logging.getLogger("chart_control.openai")
SYSTEM_PROMPT = (
    "You turn a trader's request into a plan for a TradingView chart. Choose only from the "
    "tools and indicators in the schema; never invent prices or levels (the backend computes "
    "them). Keep symbol/timeframe null unless the user names or clearly implies them. Reply "
    "in one short sentence without any prices."
)
TIMED_OUT = PlannerOutcome(None, failure="the AI planner timed out")


class OpenAIPlanner:
    """The fallback planner: `(query, chart) -> PlannerOutcome`, one pooled client per instance
    (the process holds one instance in `shared.app.runtime`)."""

    def __init__(self, settings: Settings):
        self._settings = settings

    @once
    def client(self) -> Any:
        """The OpenAI client; max_retries=0 so the timeout is the whole budget."""
        from openai import OpenAI  # noqa: PLC0415 - only on the LLM path

        assert self._settings.openai_api_key is not None
        return OpenAI(
            api_key=self._settings.openai_api_key.get_secret_value(),
            timeout=self._settings.openai_timeout_seconds,
            max_retries=0,
        )

    def __call__(self, query: str, chart: ChartState | None) -> PlannerOutcome:
        """A validated plan, or a failure reason (never raises)."""
        return _plan(self.client, query, chart, self._settings)


def _user_message(query: str, chart: ChartState | None) -> str:
    shown = f"{chart.symbol} {chart.timeframe.value}" if chart else "unknown"
    return f"The chart currently shows: {shown}.\nRequest: {query}"


def _ask(client: Any, query: str, chart: ChartState | None, settings: Settings) -> PlannerOutcome:
    """One Structured Outputs call, its answer validated against our command models."""
    completion = client.chat.completions.parse(
        model=settings.openai_model,
        messages=[
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": _user_message(query, chart)},
        ],
        response_format=ChartPlan,
    )
    message = completion.choices[0].message if completion.choices else None
    if message is None or message.refusal or message.parsed is None:
        return PlannerOutcome(None, failure="the model declined")
    plan: ChartPlan = message.parsed
    intent = plan.to_intent()
    if not intent.recognised:
        return PlannerOutcome(None, failure="the AI planner found nothing to draw")
    return PlannerOutcome(intent, reply=plan.safe_reply())


def plan_with_openai(query: str, chart: ChartState | None, settings: Settings) -> PlannerOutcome:
    """One plan with a client of its own (tests; the functions use the runtime's planner)."""
    return OpenAIPlanner(settings)(query, chart)


def _plan(client: Any, query: str, chart: ChartState | None, settings: Settings) -> PlannerOutcome:
    """A validated plan, or a failure reason (never raises)."""
    import openai  # noqa: PLC0415

    try:
        return call_with_deadline(
            lambda: _ask(client, query, chart, settings), settings.openai_timeout_seconds
        )
    except (DeadlineExceeded, openai.APITimeoutError):
        return TIMED_OUT
    except openai.RateLimitError:
        return PlannerOutcome(None, failure="the AI planner is rate limited")
    except openai.OpenAIError as exc:  # 5xx, connection errors, length/content-filter stops
        log.warning("openai planner failed: %s", type(exc).__name__)
        return PlannerOutcome(None, failure="the AI planner is unavailable")
    except (ValidationError, ValueError) as exc:  # malformed JSON or a plan out of bounds
        log.warning("openai planner returned an invalid plan: %s", type(exc).__name__)
        return PlannerOutcome(None, failure="the AI planner's answer was invalid")
