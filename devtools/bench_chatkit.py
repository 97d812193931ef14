"""The chatkit function in `make bench`: how soon the chart moves, and what a turn costs.

- **Fast path, no key**: time from POST to the `chart_commands` client effect, for a new thread
  (`threads.create`) and a follow-up (`threads.add_user_message`), beside chart_action's p50
  measured the same way in the same run (target: at most 3x).
- **With a model**: chatkit pointed at a local Responses API server that answers every call after
  a fixed 500 ms. On the fast path the effect must arrive before the model's first byte (under
  100 ms); the unmapped path shows the tool's effect after the first model call. Model calls per
  turn are counted at that server.
- **Cold import** of the chatkit bundle's `main` without a key (no Agents SDK), and what the
  agent module and the SDK add with one.

`python -m devtools.bench_chatkit` runs this part alone; `make bench` appends it to
docs/benchmarks.md.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from devtools.bench_probes import import_times
from devtools.bench_stats import Latency
from devtools.processes import REPO, start_function
from devtools.stack import function_env

QUERY = "draw support and resistance"
UNMAPPED = "make it look like a swing trader's chart"
MODEL_DELAY_S = 0.5
TURNS = 60


def user_input(text: str) -> dict[str, Any]:
    """`UserMessageInput` as the ChatKit client sends it (the tests' client uses this too)."""
    return {
        "content": [{"type": "input_text", "text": text}],
        "attachments": [],
        "inference_options": {},
    }


@dataclass
class Turn:
    """When each part of one streamed turn arrived (seconds after the POST was sent)."""

    effect_s: float | None = None
    first_delta_s: float | None = None
    total_s: float = 0.0
    thread_id: str | None = None
    kinds: list[str] = field(default_factory=list)


def turn(url: str, session: str, request: dict[str, Any]) -> Turn:
    """One ChatKit turn, timing the effect and the first text delta as they arrive."""
    started = time.perf_counter()
    result = Turn()
    headers = {"X-Chart-Session": session}
    with requests.post(url, json=request, headers=headers, stream=True, timeout=30) as response:
        response.raise_for_status()
        for line in response.iter_lines(chunk_size=None):
            if not line.startswith(b"data: "):
                continue
            event, at = json.loads(line[6:]), time.perf_counter() - started
            result.kinds.append(event["type"])
            if event["type"] == "thread.created":
                result.thread_id = event["thread"]["id"]
            elif event["type"] == "client_effect" and result.effect_s is None:
                result.effect_s = at
            elif result.first_delta_s is None and shows_text(event):
                result.first_delta_s = at
    result.total_s = time.perf_counter() - started
    return result


def shows_text(event: dict[str, Any]) -> bool:
    """The event puts the assistant's words on the page: a text delta, or (a narration is
    checked whole against our numbers before it is shown) an assistant message with text."""
    if event["type"] == "thread.item.updated":
        return str(event["update"]["type"]).endswith("text_delta")
    item = event.get("item") or {}
    return (
        event["type"] in {"thread.item.added", "thread.item.done"}
        and item.get("type") == "assistant_message"
        and any(part.get("text") for part in item.get("content") or [])
    )


def create(url: str, session: str, text: str = QUERY) -> Turn:
    return turn(url, session, {"type": "threads.create", "params": {"input": user_input(text)}})


def add(url: str, session: str, thread_id: str, text: str = QUERY) -> Turn:
    params = {"thread_id": thread_id, "input": user_input(text)}
    return turn(url, session, {"type": "threads.add_user_message", "params": params})


def chart_session(update_url: str, tag: str) -> str:
    """A stored TSLA 1D context; retried while a fresh emulator's JVM warms up (504s)."""
    session = f"bench_chatkit_{tag}_0123456789"
    body = {"session_id": session, "symbol": "TSLA", "timeframe": "1D"}
    for _ in range(10):
        if requests.post(update_url, json=body, timeout=10).status_code == 200:
            return session
        time.sleep(1)
    raise RuntimeError("update_context never stored the bench context")


def chart_action_p50(action_url: str, session: str, samples: int) -> Latency:
    """chart_action measured like the turns: one client, sequential POSTs from Python."""
    body = {"query": QUERY, "session_id": session}
    durations = []
    with requests.Session() as http:
        for _ in range(samples):
            started = time.perf_counter()
            http.post(action_url, json=body, timeout=10).raise_for_status()
            durations.append(time.perf_counter() - started)
    return Latency.from_seconds(durations)


def fast_path(chatkit_url: str, update_url: str, action_url: str) -> dict[str, Latency]:
    """POST -> chart_commands effect without a model, beside chart_action."""
    session = chart_session(update_url, "fast")
    for _ in range(5):  # warm the channel, the planner imports and the sample series
        thread_id = create(chatkit_url, session).thread_id
    created = [create(chatkit_url, session) for _ in range(TURNS)]
    assert thread_id is not None
    added = [add(chatkit_url, session, thread_id) for _ in range(TURNS)]
    return {
        "chart_action (POST -> answer)": chart_action_p50(action_url, session, TURNS * 2),
        "chatkit threads.create (POST -> effect)": _effects(created),
        "chatkit threads.add_user_message (POST -> effect)": _effects(added),
        "chatkit threads.create (POST -> stream end)": _totals(created),
    }


def _effects(turns: list[Turn]) -> Latency:
    return Latency.from_seconds([t.effect_s for t in turns if t.effect_s is not None])


def _totals(turns: list[Turn]) -> Latency:
    return Latency.from_seconds([t.total_s for t in turns])


class SlowModel:
    """A Responses API answer after MODEL_DELAY_S, streamed; counts calls. With tools offered and
    no tool output yet it calls chart_control, otherwise it answers in words."""

    def __init__(self) -> None:
        self.calls = 0
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterator[bytes]:
        from werkzeug import Request  # noqa: PLC0415

        request = Request(environ)
        body = json.loads(request.get_data())
        with self.lock:
            self.calls += 1
            number = self.calls
        time.sleep(MODEL_DELAY_S)
        start_response("200 OK", [("Content-Type", "text/event-stream")])
        return (chunk.encode() for chunk in model_events(body, number))


def model_events(body: dict[str, Any], number: int) -> Iterator[str]:
    """The stream of one Responses API answer (see tests/fake_responses.py for the format)."""
    answered = any(i.get("type") == "function_call_output" for i in body.get("input", []))
    if body.get("tools") and not answered:
        arguments = json.dumps({"query": "add the 50 day moving average and support"})
        item = {"type": "function_call", "id": f"fc_{number}", "call_id": f"call_{number}",
                "name": "chart_control", "status": "completed", "arguments": arguments}  # fmt: skip
    else:
        content = [{"type": "output_text", "text": "Done.", "annotations": []}]
        item = {"type": "message", "id": f"msg_{number}", "role": "assistant",
                "status": "completed", "content": content}  # fmt: skip
    done = {"id": f"resp_{number}", "object": "response", "created_at": 1_790_000_000,
            "status": "completed", "model": body.get("model"), "output": [item],
            "parallel_tool_calls": True, "tool_choice": "auto", "tools": body.get("tools", []),
            "usage": {"input_tokens": 1, "input_tokens_details": {"cached_tokens": 0},
                      "output_tokens": 1, "output_tokens_details": {"reasoning_tokens": 0},
                      "total_tokens": 2}}  # fmt: skip
    sequence = iter(range(100))

    def event(kind: str, **fields: Any) -> str:
        payload = {"type": kind, "sequence_number": next(sequence), **fields}
        return f"event: {kind}\ndata: {json.dumps(payload)}\n\n"

    yield event("response.created", response={**done, "status": "in_progress", "output": []})
    if item["type"] == "message":
        at = {"item_id": item["id"], "output_index": 0, "content_index": 0}
        yield event("response.output_item.added", output_index=0, item={**item, "content": []})
        yield event("response.output_text.delta", delta="Done.", logprobs=[], **at)
    yield event("response.output_item.done", output_index=0, item=item)
    yield event("response.completed", response=done)


@contextmanager
def slow_model_server() -> Iterator[tuple[str, SlowModel]]:
    """The model on a loopback port, threaded (each call sleeps on its own)."""
    from werkzeug.serving import WSGIRequestHandler, make_server  # noqa: PLC0415

    class Quiet(WSGIRequestHandler):
        def log_request(self, *_args: Any) -> None:
            return

    model = SlowModel()
    server = make_server("127.0.0.1", 0, model, threaded=True, request_handler=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/v1", model
    finally:
        server.shutdown()


def with_model(emulator_host: str, update_url: str, log_dir: Path) -> dict[str, dict[str, Any]]:
    """Both agent paths against the 500 ms model: when the effect and the first byte arrive."""
    with slow_model_server() as (base_url, model):
        env = {"OPENAI_API_KEY": "sk-bench", "OPENAI_BASE_URL": base_url,
               "CHATKIT_TURNS_PER_MINUTE": "1000"}  # fmt: skip
        process = start_function("chatkit", function_env(emulator_host, env), log_dir / "model")
        try:
            url = process.url + "/api/chatkit"
            session = chart_session(update_url, "model")
            create(url, session)  # the first turn imports the agent module: not measured
            results = {}
            for label, text in (("fast path (mapped)", QUERY), ("agent path (unmapped)", UNMAPPED)):
                before, turns = model.calls, [create(url, session, text) for _ in range(5)]
                results[label] = {
                    "effect_ms": statistics.median(t.effect_s or 0 for t in turns) * 1000,
                    "first_delta_ms": statistics.median(t.first_delta_s or 0 for t in turns) * 1000,
                    "calls_per_turn": (model.calls - before) / len(turns),
                    "errors": sum("error" in t.kinds for t in turns),
                }
            return results
        finally:
            process.stop()


def agent_import_ms(bundle: Path) -> float:
    """What a key adds at boot: the agent module, and with it the Agents SDK and openai."""
    code = (
        "import time, main; t = time.perf_counter(); import shared.chat.agent; "
        "print((time.perf_counter() - t) * 1000)"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=bundle, env={"PYTHONPATH": "", "PATH": ""},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return float(completed.stdout.strip().splitlines()[-1])


def agents_sdk_import_ms() -> float:
    """`import agents` alone, in a fresh interpreter (chatkit.server imports it at its top)."""
    code = "import time; t = time.perf_counter(); import agents; print((time.perf_counter() - t) * 1000)"  # noqa: E501
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return float(completed.stdout.strip())


def measure(
    emulator_host: str, urls: dict[str, str], log_dir: Path, bundle: Path
) -> dict[str, Any]:
    """Every chatkit number of the run."""
    env = {"CHATKIT_TURNS_PER_MINUTE": "1000"}
    process = start_function("chatkit", function_env(emulator_host, env), log_dir / "fast")
    try:
        fast = fast_path(process.url + "/api/chatkit", urls["update_context"], urls["chart_action"])
    finally:
        process.stop()
    return {
        "fast": fast,
        "model": with_model(emulator_host, urls["update_context"], log_dir),
        "import_ms": sum(import_times(bundle).values()),  # bare deps + first model + main
        "agent_import_ms": agent_import_ms(bundle),
        "agents_sdk_ms": agents_sdk_import_ms(),
    }


def render(found: dict[str, Any]) -> list[str]:
    """The chatkit section of docs/benchmarks.md."""
    fast, model = found["fast"], found["model"]
    action = fast["chart_action (POST -> answer)"].p50
    lines = [
        "", "## chatkit (ChatKit server)",
        f"Sequential turns from one Python client ({TURNS} each), no OpenAI key (rules answer),",
        "chart context stored; chart_action measured the same way in the same run.",
        "", "| what | p50 (ms) | p95 (ms) | p50 / chart_action p50 |", "| --- | --- | --- | --- |",
    ]  # fmt: skip
    lines += [f"| {name} | {lat.p50:.1f} | {lat.p95:.1f} | {lat.p50 / action:.2f}x |"
              for name, lat in fast.items()]  # fmt: skip
    effect = fast["chatkit threads.add_user_message (POST -> effect)"].p50 / action
    created = fast["chatkit threads.create (POST -> effect)"].p50 / action
    lines += [
        "", f"Target POST -> effect <= 3x chart_action p50: follow-up turn {effect:.2f}x "
        f"({'met' if effect <= 3 else 'missed'}), new thread {created:.2f}x "
        f"({'met' if created <= 3 else 'missed'}).",
        "", f"With a local Responses API server answering every call after {MODEL_DELAY_S * 1000:.0f} ms "  # noqa: E501
        "(median of 5 turns each):", "",
        "| path | effect (ms) | model's text shown (ms) | model calls per turn | error events |",
        "| --- | --- | --- | --- | --- |",
    ]  # fmt: skip
    lines += [
        f"| {path} | {m['effect_ms']:.0f} | {m['first_delta_ms']:.0f} | "
        f"{m['calls_per_turn']:g} | {m['errors']} |"
        for path, m in model.items()
    ]
    mapped = model["fast path (mapped)"]
    ahead = mapped["effect_ms"] < 100 and mapped["effect_ms"] < mapped["first_delta_ms"]
    lines += [
        "", f"Fast path: the effect arrives {mapped['effect_ms']:.0f} ms after the POST, before "
        f"the model's words are shown ({'met' if ahead else 'missed'}: under 100 ms and first).",
        "", f"Cold import of the chatkit bundle's `main` without a key: {found['import_ms']:.0f} "
        f"ms, without the Agents SDK (`import agents` alone: {found['agents_sdk_ms']:.0f} ms; "
        "chatkit.server is imported against stand-ins of the two context variables it takes "
        "from it, shared/chat/sdk.py). With a key the agent module and the SDK load at boot: "
        f"{found['agent_import_ms']:.0f} ms more.",
    ]  # fmt: skip
    return lines


def main() -> int:
    """This section alone, on a fresh local stack."""
    from devtools.build import build_bundle  # noqa: PLC0415
    from devtools.stack import local_stack  # noqa: PLC0415

    log_dir = REPO / "build" / "bench-logs"
    bundle = build_bundle("chatkit", REPO / "build")
    with local_stack(log_dir) as stack:
        urls = {"update_context": stack.update_context_url, "chart_action": stack.chart_action_url}
        found = measure(stack.emulator_host, urls, log_dir, bundle)
    print("\n".join(render(found)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
