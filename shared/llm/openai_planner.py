"""Ask OpenAI for a `ChartPlan` when the rules planner understood nothing.

Real `openai` client (its base URL comes from OPENAI_BASE_URL when set, which is how tests point
it at a local server), Structured Outputs constrained to `ChartPlan`, no client retries, the
output capped (OPENAI_PLANNER_MAX_TOKENS), `store` as OPENAI_STORE says (off by default).

The call runs on the planner's own `ModelLane` (an event loop on its own thread, with its own
connection pool), never on the thread pools the store uses, and under a gate of
OPENAI_MAX_CALLS calls in flight: a request that finds the gate full is answered by the rules
at once, saying the assistant is busy. OPENAI_TIMEOUT_SECONDS is a wall-clock deadline: a server
that trickles bytes is cancelled at it (its connection closed). Every failure — timeout, 429,
5xx, refusal, output that does not validate — returns an outcome with a reason, logs one
WARNING line with its cause, and the caller falls back to the rules answer.
"""

from __future__ import annotations

import time
from typing import Any

from pydantic import ValidationError

from shared.infra.lazy import once
from shared.infra.settings import Settings
from shared.llm.calls import Failure, failure_of, log_call
from shared.llm.plan import ChartPlan
from shared.llm.pool import LaneTimeout, ModelGate, ModelLane, connection_limits
from shared.models.context import ChartState
from shared.planner.intent import PlannerOutcome

SYSTEM_PROMPT = (
    "You turn a trader's request into a plan for a TradingView chart. Choose only from the "
    "tools and indicators in the schema; never invent prices or levels (the backend computes "
    "them). Keep symbol/timeframe null unless the user names or clearly implies them. Reply "
    "in one short sentence about what will be drawn, with no prices, no forecast and no advice "
    "to buy or sell (a sentence that has them is not shown)."
)
CALL = "planner"
TIMED_OUT = PlannerOutcome(None, failure="the AI planner timed out")
BUSY = PlannerOutcome(None, failure="the assistant is busy")
FAILURES = {
    "timeout": TIMED_OUT,
    "rate_limited": PlannerOutcome(None, failure="the AI planner is rate limited"),
    "invalid": PlannerOutcome(None, failure="the AI planner's answer was invalid"),
}
UNAVAILABLE = PlannerOutcome(None, failure="the AI planner is unavailable")


class OpenAIPlanner:
    """The fallback planner: `(query, chart) -> PlannerOutcome`, one client, lane and gate per
    instance (the process holds one planner in `shared.app.runtime`)."""

    def __init__(self, settings: Settings, gate: ModelGate | None = None):
        self._settings = settings
        self._gate = gate or ModelGate(settings.openai_max_calls)
        self._lane = ModelLane("planner-lane")

    @once
    def client(self) -> Any:
        """The async OpenAI client (used on the lane only); max_retries=0 so the deadline is
        the whole budget, and no more connections than the gate lets calls run."""
        from openai import AsyncOpenAI, DefaultAsyncHttpxClient  # noqa: PLC0415 - LLM path

        assert self._settings.openai_api_key is not None
        return AsyncOpenAI(
            api_key=self._settings.openai_api_key.get_secret_value(),
            timeout=self._settings.openai_timeout_seconds,
            max_retries=0,
            http_client=DefaultAsyncHttpxClient(limits=connection_limits(self._gate)),
        )

    def __call__(self, query: str, chart: ChartState | None) -> PlannerOutcome:
        """A validated plan, or a failure reason (never raises, never waits for a slot)."""
        import openai  # noqa: PLC0415 - loaded with the client

        settings = self._settings
        if not self._gate.enter():
            log_call(settings.openai_model, CALL, 0.0, failure=Failure("busy", None, "busy"))
            return BUSY
        client = self.client
        started = time.perf_counter()
        try:
            outcome, usage = self._lane.run(
                lambda: _ask(client, query, chart, settings),
                settings.openai_timeout_seconds,
                done=self._gate.leave,
            )
        except (ValidationError, ValueError) as exc:  # malformed JSON or a plan out of bounds
            return _failed(settings, started, Failure("invalid", None, type(exc).__name__))
        except (openai.OpenAIError, LaneTimeout) as exc:  # timeout, 429, 5xx, a cut answer
            return _failed(settings, started, failure_of(exc))
        log_call(settings.openai_model, CALL, time.perf_counter() - started, usage)
        return outcome


def _failed(settings: Settings, started: float, failure: Failure) -> PlannerOutcome:
    log_call(settings.openai_model, CALL, time.perf_counter() - started, failure=failure)
    return FAILURES.get(failure.outcome, UNAVAILABLE)


def _user_message(query: str, chart: ChartState | None) -> str:
    shown = f"{chart.symbol} {chart.timeframe.value}" if chart else "unknown"
    return f"The chart currently shows: {shown}.\nRequest: {query}"


async def _ask(
    client: Any, query: str, chart: ChartState | None, settings: Settings
) -> tuple[PlannerOutcome, Any]:
    """One Structured Outputs call, its answer validated against our command models; with the
    usage the API reported."""
    completion = await client.chat.completions.parse(
        model=settings.openai_model,
        messages=[
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": _user_message(query, chart)},
        ],
        response_format=ChartPlan,
        max_tokens=settings.openai_planner_max_tokens,
        store=settings.openai_store,
    )
    usage = completion.usage
    message = completion.choices[0].message if completion.choices else None
    if message is None or message.refusal or message.parsed is None:
        return PlannerOutcome(None, failure="the model declined"), usage
    plan: ChartPlan = message.parsed
    intent = plan.to_intent()
    if not intent.understood_anything:
        return PlannerOutcome(None, failure="the AI planner found nothing to draw"), usage
    return PlannerOutcome(intent, reply=plan.safe_reply()), usage


def plan_with_openai(query: str, chart: ChartState | None, settings: Settings) -> PlannerOutcome:
    """One plan with a client of its own (tests; the functions use the runtime's planner)."""
    return OpenAIPlanner(settings)(query, chart)
