"""The pieces of the model's budget on their own: the gate never waits, the lane cancels a
call at its deadline (and gives its slot back), a turn draws each plan once, and the history
is trimmed to its token budget from the oldest end."""

from __future__ import annotations

import asyncio
import time

import pytest

from shared.chat.agent import trimmed
from shared.chat.turn import Turn
from shared.llm.pool import LaneTimeout, ModelGate, ModelLane
from shared.models.action import ActionData, ChartActionResponse


def test_the_gate_bounds_calls_in_flight_and_never_waits():
    gate = ModelGate(2)
    assert gate.enter() and gate.enter()
    assert not gate.enter()  # refused, not queued: a gate that waited would block here forever
    gate.leave()
    assert gate.enter() and gate.in_flight == 2


def test_the_lane_cancels_a_call_at_its_deadline_and_frees_the_slot():
    gate = ModelGate(1)
    lane = ModelLane("test-lane")
    cancelled = asyncio.Event()

    async def hangs() -> None:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    assert gate.enter()
    with pytest.raises(LaneTimeout):
        lane.run(hangs, 0.2, done=gate.leave)
    for _ in range(50):  # the cancellation runs on the lane's own thread
        if gate.in_flight == 0 and cancelled.is_set():
            break
        time.sleep(0.02)
    assert gate.in_flight == 0 and cancelled.is_set()

    async def answers() -> str:
        return "plan"

    assert lane.run(answers, 5) == "plan"


def answer(*commands: str) -> ChartActionResponse:
    data = ActionData(tools_used=[], chart_context=None)
    return ChartActionResponse(
        text="x", summary="TSLA 1D: support 174.26.", chart_commands=list(commands), data=data
    )


def test_a_turn_draws_each_plan_once():
    turn = asyncio.run(started_turn())
    assert turn.record(answer("SUPPORT:174.26")) is True
    assert turn.record(answer("SUPPORT:174.26")) is False
    assert turn.record(answer("TRENDLINE:1:2:3:4")) is True
    assert turn.our_sentence() == "TSLA 1D: support 174.26."


async def started_turn() -> Turn:
    turn = Turn.starting_now("converse", 20, 8)
    first, ends = turn.next_call()
    second, _ = turn.next_call()
    assert (first, second) == ("converse#1", "converse#2")
    assert ends <= turn.deadline  # a call never outlives its turn
    return turn


def test_history_keeps_the_newest_items_within_its_tokens():
    items = [{"role": "user", "content": "x" * 400} for _ in range(10)]  # ~100 tokens each
    kept = trimmed(items, 350)
    assert 2 <= len(kept) <= 4 and kept == items[-len(kept) :]
    assert trimmed([{"content": "y" * 10_000}], 10) == [{"content": "y" * 10_000}]  # the last
