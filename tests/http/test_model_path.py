"""The model path a trading app can trust (issue 28), against local servers that speak the
Responses and Chat Completions APIs (real `openai` / `openai-agents` clients), the real chatkit
and chart_action functions and the emulator.

- isolation: hung model calls never stall another session's turn nor blame the store; past
  OPENAI_MAX_CALLS the rules answer and say the assistant is busy;
- numbers: a model sentence with a number we did not compute, a forecast or advice never
  reaches the page or the thread;
- one budget: a trickling model ends the turn within its budget, per call and per turn;
- cost and data: `store` and the output cap in every request, history trimmed by tokens,
  usage per call in the log;
- diagnosis: each failure is one WARNING line with its cause, no asyncio noise, the thread
  gets its title when its first turn failed, each path's instructions match what it offers.

Every bound on time here is a generous hang bound (the hung calls would take a minute).
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from tests.chatkit_client import ChatKitClient, chart_page
from tests.fake_openai import FakeOpenAI
from tests.fake_responses import ToolCallingModel, last_user_text, relay_summary
from tests.helpers import LOG_DIR, post_json, store_context

SWING = "make it look like a swing trader's chart"
SWING_READING = {"query": SWING, "symbol": None, "timeframe": "4H", "tools": ["trendline"],
                 "indicators": [], "clear": None, "trade_direction": None}  # fmt: skip
HUNG = "hang: connect the recent swing highs"  # the rules cannot map it; the model hangs
HANG_BOUND = 20  # seconds: far below the hung calls' minute, far above a normal turn


@pytest.fixture(scope="module")
def model_api() -> Iterator[HTTPServer]:
    """One threaded fake OpenAI API for the module; each test installs its own model."""
    server = HTTPServer(threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


def serve(api: HTTPServer, model: Callable[..., Any], path: str = "/v1/responses") -> None:
    api.clear()
    api.expect_request(path, method="POST").respond_with_handler(model)


class ServerLog:
    """The chatkit server's log lines from now on (found by its unique model name)."""

    def __init__(self, model_name: str):
        self.model_name = model_name
        self.path: Path | None = None
        self.offset = 0

    def _find(self) -> Path:
        for path in sorted(LOG_DIR.glob("chatkit-*/chatkit.log")):
            if f'"model": "{self.model_name}"' in path.read_text(errors="replace"):
                return path
        raise AssertionError(f"no chatkit log names {self.model_name}")

    def mark(self) -> None:
        """Read from here on (a server not yet logging has nothing before)."""
        try:
            self.path = self.path or self._find()
        except AssertionError:
            return
        self.offset = self.path.stat().st_size

    def lines(self, until: Callable[[list[dict[str, Any]]], bool] = bool) -> list[dict[str, Any]]:
        """New JSON lines, waiting (a few seconds at most) until `until` holds for them."""
        found: list[dict[str, Any]] = []
        for _ in range(50):
            self.path = self.path or self._find()
            with self.path.open(errors="replace") as log:
                log.seek(self.offset)
                found = [json.loads(line) for line in log if line.startswith("{")]
            if until(found):
                break
            time.sleep(0.1)
        return found


def model_lines(lines: list[dict[str, Any]], severity: str | None = None) -> list[dict[str, Any]]:
    return [
        line
        for line in lines
        if line.get("logger") == "chart_control.model"
        and (severity is None or line["severity"] == severity)
    ]


def noise(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """asyncio's complaints and the SDK's own ERROR lines: none may appear."""
    return [
        line
        for line in lines
        if "Task was destroyed" in line.get("message", "")
        or "was never retrieved" in line.get("message", "")
        or (line.get("logger", "").startswith("openai") and line["severity"] == "ERROR")
        or line["severity"] == "ERROR"
    ]


def items(chat: ChatKitClient, thread_id: str) -> list[dict[str, Any]]:
    return chat.call("items.list", thread_id=thread_id, limit=20, order="asc").json()["data"]


@pytest.fixture
def chat_with(function_servers, chatkit_with, model_api, clean_firestore):
    """(page, server log) for a chatkit with this environment and a TSLA 1D chart."""

    def start(name: str, **env: str) -> tuple[ChatKitClient, ServerLog]:
        model_name = f"gpt-test-{name}"
        url = chatkit_with(
            OPENAI_API_KEY="sk-test",
            OPENAI_BASE_URL=model_api.url_for("/v1"),
            OPENAI_MODEL=model_name,
            CHATKIT_TURNS_PER_MINUTE="1000",
            **{"OPENAI_TIMEOUT_SECONDS": "10", **env},
        )
        page = chart_page(function_servers.update_context_url, url + "/api/chatkit")
        return page, ServerLog(model_name)

    return start


def another_page(chat: ChatKitClient, function_servers) -> ChatKitClient:
    return chart_page(function_servers.update_context_url, chat.url)


# --- isolation ---------------------------------------------------------------------------


def executor_size() -> int:
    """asyncio's default thread pool on this machine (what the chart action and the thread
    store run on)."""
    return min(32, (os.cpu_count() or 1) + 4)


def test_hung_model_calls_do_not_stall_another_sessions_turn(
    model_api, chat_with, function_servers
):
    hung = executor_size() + 2  # more hung calls than the pool the store's calls run on
    model = ToolCallingModel(
        "chart_control",
        lambda body: SWING_READING,
        narration=relay_summary,
        hang_when=lambda body: last_user_text(body).startswith("hang"),
        hang=60,
    )
    serve(model_api, model)
    chat, log = chat_with(
        "isolation", OPENAI_MAX_CALLS=str(hung + 1), OPENAI_TIMEOUT_SECONDS="60",
        CHATKIT_TURN_SECONDS="90",
    )  # fmt: skip
    pages = [another_page(chat, function_servers) for _ in range(hung + 1)]
    with ThreadPoolExecutor(hung + 1) as pool:
        stalled = [pool.submit(page.create, HUNG) for page in pages[:hung]]
        deadline = time.monotonic() + HANG_BOUND
        while len(model.requests) < hung and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(model.requests) == hung, "the hung turns did not all reach the model"
        try:
            started = time.monotonic()
            answer = chat.create("draw support and resistance")  # another session
            listed = chat.call("threads.list", limit=5)
            elapsed = time.monotonic() - started
            assert "error" not in answer.types(), answer.of_type("error")
            assert answer.effects() and "support" in answer.assistant_text().lower()
            assert listed.status_code == 200, listed.text
            assert elapsed < HANG_BOUND, elapsed

            # one more hung turn fills the gate: the next turn is the rules', saying busy
            stalled.append(pool.submit(pages[hung].create, HUNG))
            while len(model.requests) < hung + 2 and time.monotonic() < deadline + HANG_BOUND:
                time.sleep(0.1)
            calls = len(model.requests)
            busy = another_page(chat, function_servers).create("draw support and resistance")
            assert len(model.requests) == calls  # no model call
            assert busy.effects() and "busy" in busy.assistant_text()
            assert "error" not in busy.types()
            assert not any("store" in e["message"] for e in busy.of_type("error"))
        finally:
            model.release.set()
        for future in stalled:  # released, the hung turns end normally
            stream = future.result(timeout=HANG_BOUND)
            assert not any("store" in e.get("message", "") for e in stream.of_type("error"))
    assert not noise(log.lines())


class HangingPlanner(FakeOpenAI):
    """The Chat Completions side, holding every request until `release` is set."""

    def __init__(self, plan: dict[str, Any]):
        super().__init__("ok", plan)
        self.arrived = 0
        self.release = threading.Event()

    def __call__(self, request: Any) -> Any:
        self.arrived += 1
        self.release.wait(60)
        return super().__call__(request)


def test_hung_planner_calls_leave_the_chart_action_answering(
    model_api, servers_with, clean_firestore
):
    """chart_action's OpenAI planner runs on a lane of its own, gated: hung planner calls
    neither stall a request that needs the store nor queue the ones past the gate, which the
    rules answer at once, saying the assistant is busy."""
    fake = HangingPlanner({"tools": ["trendline"], "reply": "A trendline."})
    serve(model_api, fake, "/v1/chat/completions")
    servers = servers_with(
        OPENAI_API_KEY="sk-test", OPENAI_BASE_URL=model_api.url_for("/v1"),
        OPENAI_TIMEOUT_SECONDS="60", OPENAI_MAX_CALLS="2",
    )  # fmt: skip
    session = store_context(servers, "TSLA", tag="planner")
    ask = {"session_id": session, "query": "connect the recent swing highs"}
    with ThreadPoolExecutor(4) as pool:
        try:
            answers = [pool.submit(post_json, servers.chart_action_url, ask) for _ in range(4)]
            deadline = time.monotonic() + HANG_BOUND
            while sum(a.done() for a in answers) < 2 and time.monotonic() < deadline:
                time.sleep(0.1)
            busy = [a.result().json() for a in answers if a.done()]
            while fake.arrived < 2 and time.monotonic() < deadline:  # the two in the lane
                time.sleep(0.1)
            time.sleep(0.5)
            assert fake.arrived == 2  # and no more: the other two never reached the model
            assert len(busy) == 2 and all("the assistant is busy" in b["text"] for b in busy)
            assert all(b["data"]["planner"] == "rules" for b in busy)
            rules = post_json(servers.chart_action_url, {"session_id": session, "query": "support"})
            assert rules.status_code == 200 and rules.json()["chart_commands"]
        finally:
            fake.release.set()
        planned = [a.result(timeout=HANG_BOUND).json() for a in answers]
    assert sum(p["data"]["planner"] == "openai" for p in planned) == 2  # released, they plan


# --- every number from our analysis ---------------------------------------------------------


FOREIGN = "Support is at 238.40 and resistance at 262.90; buy now."


def test_a_narration_with_foreign_numbers_or_advice_never_reaches_page_or_thread(
    model_api, chat_with
):
    narrations = iter([
        FOREIGN,
        "Support is near 95 and resistance near 99, buy the dip.",
        "TSLA will double by Friday.",
    ])  # fmt: skip
    model = ToolCallingModel("chart_control", dict, narration=lambda body: next(narrations))
    serve(model_api, model)
    chat, log = chat_with("main")
    log.mark()
    stream = chat.create("draw support and resistance")
    thread = stream.thread_id()
    streams = [stream, chat.add(thread, "draw support and resistance"), chat.add(thread, "support")]
    ours = stream.effects()[0]["data"]["text"].split("\n", 1)[0]
    for answer in streams:
        text = answer.assistant_text()
        assert "238.40" not in text and "95" not in text and "buy" not in text.lower()
        assert "double" not in text and text.startswith("TSLA 1D")
    stored = [i for i in items(chat, thread) if i["type"] == "assistant_message"]
    assert stored[0]["content"][0]["text"] == ours
    assert not any("238.40" in json.dumps(m) or "buy" in json.dumps(m) for m in stored)
    replaced = [line for line in log.lines() if line.get("logger") == "chart_control.facts"]
    assert [line["facts"]["replaced"] for line in replaced] == [
        ["advice"],
        ["advice"],
        ["forecast"],
    ]


def test_a_narration_quoting_our_numbers_is_kept_and_followups_may_quote_them(model_api, chat_with):
    """The turn's result stays in the thread (hidden from the page): the next turn's model
    reads it, and may quote its numbers."""
    quoted: list[str] = []

    def narration(body: dict[str, Any]) -> str:
        if not quoted:
            quoted.append(re.search(r"support (\d+\.\d+)", relay_summary(body)).group(1))  # type: ignore[union-attr]
            return f"Support is at {quoted[0]}."
        return f"Earlier support was {quoted[0]}, and the chart now shows the weekly bars."

    model = ToolCallingModel("chart_control", dict, narration=narration)
    serve(model_api, model)
    chat, _ = chat_with("main")
    first = chat.create("draw support and resistance")
    level = first.effects()[0]["data"]["data"]["levels"]["support"][0]
    assert f"{level:.2f}" in first.assistant_text()
    second = chat.add(first.thread_id(), "weekly")
    assert second.assistant_text().startswith("Earlier support was")
    sent = json.dumps(model.requests[-1]["input"])
    assert "Chart result of the turn before" in sent and f"{level:.2f}" in sent
    assert all(i["type"] != "hidden_context_item" for i in items(chat, first.thread_id()))


# --- one budget per turn ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "env"),
    [
        ("call-deadline", {"OPENAI_TIMEOUT_SECONDS": "2", "CHATKIT_TURN_SECONDS": "60"}),
        ("turn-deadline", {"OPENAI_TIMEOUT_SECONDS": "30", "CHATKIT_TURN_SECONDS": "2"}),
    ],
)
def test_a_trickling_model_ends_the_turn_within_its_budget(model_api, chat_with, name, env):
    """Each event of the stream comes well within the client's read timeout, the whole would
    take half a minute: the call's deadline, or the turn's, ends it."""
    words = " ".join(["level"] * 60)
    model = ToolCallingModel("chart_control", dict, narration=words, drip=0.5)
    serve(model_api, model)
    chat, log = chat_with(name, **env)
    log.mark()
    started = time.monotonic()
    stream = chat.create("draw support and resistance")
    assert time.monotonic() - started < HANG_BOUND
    assert stream.effects(), "the effect went out before the model was asked"
    assert "did not answer in time" in stream.of_type("error")[0]["message"]
    [warning] = model_lines(log.lines(model_lines), "WARNING")
    assert warning["model_call"]["outcome"] == "timeout"
    assert warning["model_call"]["call"] == "narrate#1"
    assert not noise(log.lines())
    thread = stream.thread_id()
    assert chat.call("threads.get_by_id", thread_id=thread).json()["title"] == (
        "draw support and resistance"
    )


def test_a_looping_model_draws_each_plan_once_and_costs_at_most_two_calls(model_api, chat_with):
    model = ToolCallingModel("chart_control", lambda body: SWING_READING, narration=relay_summary)
    serve(model_api, model)
    chat, _ = chat_with("main")
    stream = chat.create(SWING)
    assert len(model.requests) == 2
    assert len(stream.effects()) == 1
    assert "TRENDLINE" in " ".join(stream.effects()[0]["data"]["commands"])


# --- cost and data -----------------------------------------------------------------------------


def test_every_request_carries_store_false_and_the_output_cap_and_usage_is_logged(
    model_api, chat_with
):
    model = ToolCallingModel("chart_control", lambda body: SWING_READING, narration=relay_summary)
    serve(model_api, model)
    chat, log = chat_with("main")
    log.mark()
    thread = chat.create("draw support and resistance").thread_id()
    chat.add(thread, SWING)
    assert len(model.requests) == 3
    for request in model.requests:
        assert request["store"] is False and request["max_output_tokens"] == 400
    calls = model_lines(log.lines(lambda lines: len(model_lines(lines)) >= 3), "INFO")
    assert [c["model_call"]["call"] for c in calls] == ["narrate#1", "converse#1", "converse#2"]
    assert [c["model_call"]["input_tokens"] for c in calls] == [
        u["input_tokens"] for u in model.usages
    ]
    assert all(c["model_call"]["output_tokens"] and c["model_call"]["latency"] >= 0 for c in calls)
    assert {c["model_call"]["model"] for c in calls} == {"gpt-test-main"}


def test_history_is_trimmed_by_tokens(model_api, chat_with):
    model = ToolCallingModel("chart_control", dict)
    serve(model_api, model)
    chat, _ = chat_with("history", CHATKIT_HISTORY_TOKENS="600")
    long = "draw support and resistance " + "please " * 250  # ~1,800 characters
    thread = chat.create(long).thread_id()
    for _ in range(3):
        chat.add(thread, long)
    history = [i for i in model.requests[-1]["input"] if i.get("role") != "developer"]
    assert len(json.dumps(history)) // 4 <= 600 + len(long) // 4 + 50
    assert len(history) < 7  # four messages, answers and results were there


# --- diagnosis ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "outcome"), [(429, "rate_limited"), (500, "status_error")])
def test_each_failure_is_one_warning_with_its_cause_and_the_thread_gets_its_title(
    model_api, chat_with, status, outcome
):
    serve(model_api, ToolCallingModel("chart_control", dict, status=status))
    chat, log = chat_with("main")
    log.mark()
    stream = chat.create(SWING)
    assert stream.of_type("error")
    lines = log.lines(lambda found: model_lines(found, "WARNING"))
    [warning] = model_lines(lines, "WARNING")
    assert warning["model_call"] | {"latency": 0} == {
        "model": "gpt-test-main", "call": "converse#1", "input_tokens": None,
        "output_tokens": None, "latency": 0, "outcome": outcome, "status": status,
        "error_type": "RateLimitError" if status == 429 else "InternalServerError",
    }  # fmt: skip
    assert not noise(lines)
    thread = chat.call("threads.get_by_id", thread_id=stream.thread_id()).json()
    assert thread["title"] == SWING


def test_each_path_offers_what_its_instructions_say(model_api, chat_with):
    model = ToolCallingModel("chart_control", lambda body: SWING_READING, narration=relay_summary)
    serve(model_api, model)
    chat, _ = chat_with("main")
    chat.create("draw support and resistance")
    chat.create(SWING)
    narrate, decide, narrate_after_tool = model.requests
    for request in (narrate, narrate_after_tool):
        assert not request.get("tools") and "chart_control" not in request["instructions"]
    assert [t["name"] for t in decide["tools"]] == ["chart_control"]
    assert "chart_control" in decide["instructions"]
    schema = decide["tools"][0]["parameters"]
    assert decide["tools"][0]["strict"] is True
    assert set(schema["required"]) == set(schema["properties"])  # the reading, every field
