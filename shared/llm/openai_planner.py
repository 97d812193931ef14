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
import threading
from typing import Any

from pydantic import ValidationError

from shared.config import Settings
from shared.deadline import DeadlineExceeded, call_with_deadline
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
_clients: dict[tuple[str, float], Any] = {}
_lock = threading.Lock()


def _client(settings: Settings) -> Any:
    """One client per key and timeout; max_retries=0 so the timeout is the whole budget."""
    from openai import OpenAI  # noqa: PLC0415 - only on the LLM path

    assert settings.openai_api_key is not None
    key = (settings.openai_api_key.get_secret_value(), settings.openai_timeout_seconds)
    with _lock:
        if key not in _clients:
            _clients[key] = OpenAI(api_key=key[0], timeout=key[1], max_retries=0)
        return _clients[key]


def _user_message(query: str, chart: ChartState | None) -> str:
    shown = f"{chart.symbol} {chart.timeframe.value}" if chart else "unknown"
    return f"The chart currently shows: {shown}.\nRequest: {query}"


def _ask(query: str, chart: ChartState | None, settings: Settings) -> PlannerOutcome:
    """One Structured Outputs call, its answer validated against our command models."""
    completion = _client(settings).chat.completions.parse(
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
    """A validated plan, or a failure reason (never raises)."""
    import openai  # noqa: PLC0415

    try:
        return call_with_deadline(
            lambda: _ask(query, chart, settings), settings.openai_timeout_seconds
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
