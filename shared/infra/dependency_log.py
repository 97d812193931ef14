"""The one WARNING line for a dependency failure (the store, market data), on every route.

The JSON routes answer such a failure with 503/504 and MCP's tool call with an `isError`
result; both log this same line, so an outage shows the same in the logs whichever door the
client used. The line carries the error's code, the exception chain by type and the frames
where it was raised, but never an exception's message: the Firestore client's messages name
the document path, which holds the raw session id (and secrets never appear in frames).
"""

from __future__ import annotations

import logging
import traceback

from shared.models.errors import ChartControlError

log = logging.getLogger("chart_control.dependency")
MAX_CHAIN = 5  # causes followed (raise ... from ...), innermost last


def log_dependency_failure(error: ChartControlError, route: str) -> None:
    """Log `error` (a store or market-data failure: a 5xx rule) as one WARNING line, unless it
    says the dependency is fine (`dependency_failure = False`: a contended session,
    `StoreBusy`); the request's own log line still records its status. An error is logged
    once, however many layers see it pass (the chat's store logs where a call fails, and the
    endpoint or a later write that waited on it meet the same error again)."""
    if not getattr(error, "dependency_failure", True) or getattr(error, "logged", False):
        return
    error.logged = True  # type: ignore[attr-defined]
    code = error.code
    chain = _chain(error)
    innermost = chain[-1]
    frames = traceback.extract_tb(innermost.__traceback__)
    log.warning(
        "dependency failed: %s (%s)",
        code,
        " <- ".join(_name(exc) for exc in chain),
        extra={
            "fields": {
                "dependency": {
                    "code": code,
                    "route": route,
                    "errors": [_name(exc) for exc in chain],
                    "stack": [f"{f.filename}:{f.lineno} in {f.name}" for f in frames[-8:]],
                }
            }
        },
    )


def _chain(error: BaseException) -> list[BaseException]:
    chain = [error]
    while len(chain) < MAX_CHAIN and (cause := chain[-1].__cause__ or chain[-1].__context__):
        chain.append(cause)
    return chain


def _name(exc: BaseException) -> str:
    kind = type(exc)
    return f"{kind.__module__}.{kind.__qualname__}"
