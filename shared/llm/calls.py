"""One structured log line per model call, so spend and failures read from Cloud Logging.

Every call (the planner's, each of the chat agent's) ends in `log_call`: an INFO line
`model call` with the model, which call it was (`planner`, `narrate#1`, `converse#2`),
input and output tokens, latency and outcome; a failed call is instead one WARNING line
with its cause (outcome, HTTP status, error type). Never the prompt, the answer or a key.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("chart_control.model")
CHARS_PER_TOKEN = 4  # OpenAI's rule of thumb for English; no tokenizer ships offline


def estimated_tokens(value: Any) -> int:
    """About how many tokens `value` costs as model input (to trim history by)."""
    return len(json.dumps(value, default=str)) // CHARS_PER_TOKEN + 1


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a call failed, as the log and the user's sentence need it."""

    outcome: str  # timeout, rate_limited, status_error, connection_error, busy, invalid, error
    status: int | None
    error_type: str


def failure_of(exc: BaseException) -> Failure:
    """Classify an exception from a model call (the openai client's, a timeout, ours)."""
    import openai  # noqa: PLC0415 - only on the model path

    kind = type(exc).__name__
    if isinstance(exc, TimeoutError | openai.APITimeoutError) or kind in {
        "LaneTimeout",
        "DeadlineExceeded",
    }:
        return Failure("timeout", None, kind)
    if isinstance(exc, openai.RateLimitError):
        return Failure("rate_limited", exc.status_code, kind)
    if isinstance(exc, openai.APIStatusError):
        return Failure("status_error", exc.status_code, kind)
    if isinstance(exc, openai.APIConnectionError):
        return Failure("connection_error", None, kind)
    return Failure("error", None, kind)


def log_call(
    model: str,
    call: str,
    latency: float,
    usage: Any = None,
    failure: Failure | None = None,
) -> None:
    """The line for one model call; `usage` has input/output tokens under either API's names."""
    tokens_in = _tokens(usage, "input_tokens", "prompt_tokens")
    tokens_out = _tokens(usage, "output_tokens", "completion_tokens")
    fields = {
        "model": model,
        "call": call,
        "input_tokens": tokens_in,
        "output_tokens": tokens_out,
        "latency": round(latency, 3),
        "outcome": "ok" if failure is None else failure.outcome,
    }
    if failure is None:
        log.info("model call %s: ok", call, extra={"fields": {"model_call": fields}})
        return
    fields |= {"status": failure.status, "error_type": failure.error_type}
    status = f" {failure.status}" if failure.status else ""
    log.warning(
        "model call %s failed: %s%s (%s)",
        call,
        failure.outcome,
        status,
        failure.error_type,
        extra={"fields": {"model_call": fields}},
    )


def _tokens(usage: Any, *names: str) -> int | None:
    for name in names:
        value = usage.get(name) if isinstance(usage, dict) else getattr(usage, name, None)
        if isinstance(value, int):
            return value
    return None
