"""The chart document (issue 22) against the real Firestore emulator and the real functions:
the version guard keeps both of two concurrent edits (in the store, and from two doors at
once), it expires with the context, a page change through update_context is in the next
answer, a question writes nothing, and the document route reads it back."""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from threading import Barrier

import pytest

from shared.models.chart import ChartMemory
from shared.models.chart_edits import Chart, Stamp, apply_answer
from shared.models.commands import IndicatorCommand, LevelCommand
from shared.models.context import ChartState
from shared.models.fields import Timeframe
from shared.store.firestore import new_client
from shared.store.sessions import SessionRead, SessionStore
from tests.chatkit_client import ChatKitClient
from tests.helpers import new_session_id, post_json
from tests.mcp_client import McpClient

TSLA = ChartState(symbol="TSLA", timeframe=Timeframe.D1)
HERE = Chart("TSLA", Timeframe.D1)


@pytest.fixture
def store(clean_firestore: str) -> SessionStore:
    client = new_client(os.environ["GOOGLE_CLOUD_PROJECT"], "(default)")
    return SessionStore(lambda: client, "chart_sessions", ttl_seconds=60, timeout=5.0)


def adds(command):
    """An edit that adds one command to whatever the document holds when it is applied."""

    def edit(read: SessionRead):
        memory = apply_answer(read.memory, [command], HERE, Stamp("test"), None)
        return TSLA, memory

    return edit


def test_two_edits_from_one_stale_read_keep_both(store: SessionStore):
    """The second write was conditioned on a read the first one made stale: it reads again and
    applies its own edit on top, so neither edit is lost and the version counts both."""
    session = new_session_id("guard")
    store.save(session, TSLA, seq=1)
    stale = store.read(session)
    store.edit(session, stale, adds(LevelCommand(verb="SUPPORT", price=100.0)))
    store.edit(session, stale, adds(IndicatorCommand(name="RSI")))
    now = store.read(session)
    assert [d.command for d in now.memory.drawings] == ["SUPPORT:100.00"]
    assert [i.command for i in now.memory.indicators] == ["INDICATOR:RSI"]
    assert now.version == stale.version + 2
    assert {d.id for d in now.memory.drawings} | {i.id for i in now.memory.indicators} == {
        "d1",
        "d2",
    }


def test_an_edit_that_changes_nothing_writes_nothing(store: SessionStore):
    session = new_session_id("quiet")
    store.save(session, TSLA, seq=1)
    first = store.read(session)
    assert store.edit(session, first, lambda read: None) is first
    assert store.read(session).version == first.version


def test_concurrent_answers_from_two_doors_keep_both(function_servers, clean_firestore):
    """chart_action's JSON route and its MCP door answer on one session at the same instant,
    several times: every indicator each asked for is in the document afterwards."""
    url = function_servers.chart_action_url
    session = new_session_id("doors")
    body = {"session_id": session, "symbol": "TSLA", "timeframe": "1D", "seq": 1}
    assert post_json(function_servers.update_context_url, body).status_code == 200
    mcp = McpClient(url + "/mcp")
    mcp.handshake()
    periods = [(10 + i, 100 + i) for i in range(4)]
    barrier = Barrier(2)

    def json_door(period: int) -> int:
        barrier.wait()
        query = {"query": f"add the sma {period}", "session_id": session}
        return post_json(url + "/api/chatkit/chart-action", query).status_code

    def mcp_door(period: int) -> bool:
        barrier.wait()
        result = mcp.chart_control(query=f"add the ema {period}", session_id=session)
        return not result["result"].get("isError")

    with ThreadPoolExecutor(2) as pool:
        for sma, ema in periods:
            answers = pool.submit(json_door, sma), pool.submit(mcp_door, ema)
            assert answers[0].result() == 200 and answers[1].result() is True
    chart = post_json(function_servers.update_context_url + "/document", {"session_id": session})
    drawn = {(i["name"], i["period"]) for i in chart.json()["chart"]["indicators"]}
    assert drawn == {("SMA", s) for s, _ in periods} | {("EMA", e) for _, e in periods}
    assert chart.json()["chart"]["version"] >= 1 + 2 * len(periods)


def test_a_question_writes_nothing(function_servers, clean_firestore):
    url = function_servers.chart_action_url
    session = new_session_id("ask")
    body = {"session_id": session, "symbol": "TSLA", "timeframe": "1D", "seq": 1}
    assert post_json(function_servers.update_context_url, body).status_code == 200
    drawn = post_json(url, {"query": "draw support and resistance", "session_id": session})
    version = drawn.json()["data"]["chart"]["version"]
    for question in ("how far is it?", "why?"):
        answer = post_json(url, {"query": question, "session_id": session}).json()
        assert answer["chart_commands"] == [], question
        assert answer["data"]["chart"]["version"] == version, question
    # the first RSI question draws the RSI (a change); asked again, it changes nothing
    first = post_json(url, {"query": "what's the rsi?", "session_id": session}).json()
    again = post_json(url, {"query": "what's the rsi?", "session_id": session}).json()
    assert first["data"]["chart"]["version"] == version + 1
    assert again["data"]["chart"]["version"] == version + 1


def test_a_page_change_is_in_the_next_answer(function_servers, clean_firestore):
    """The user removes the trendline on the page and switches the timeframe: the next "remove
    it" takes the levels (the trendline is gone already), on the new chart nothing is drawn."""
    url, update = function_servers.chart_action_url, function_servers.update_context_url
    session = new_session_id("page")
    page = {"session_id": session, "symbol": "TSLA", "timeframe": "1D", "seq": 1}
    assert post_json(update, page).status_code == 200
    post_json(url, {"query": "draw support and resistance", "session_id": session})
    line = post_json(url, {"query": "draw a trendline", "session_id": session}).json()
    trendline = next(d for d in line["data"]["chart"]["drawings"] if d["kind"] == "trendline")
    edited = post_json(update, {**page, "seq": 2, "removed": [trendline["id"]]}).json()
    assert [d["kind"] for d in edited["chart"]["drawings"]].count("trendline") == 0
    removal = post_json(url, {"query": "remove it", "session_id": session}).json()
    assert removal["chart_commands"] == ["CLEAR:LEVELS"]
    assert removal["data"]["chart"]["drawings"] == []
    post_json(url, {"query": "draw support and resistance", "session_id": session})
    switched = post_json(update, {**page, "seq": 3, "timeframe": "1W"}).json()
    assert switched["chart"]["drawings"] == [] and switched["chart"]["timeframe"] == "1W"
    cleared = post_json(update, {**page, "seq": 4, "timeframe": "1W", "cleared": "ALL"}).json()
    assert cleared["chart"]["indicators"] == [] and cleared["chart"]["overlays"] == []


def test_a_report_behind_an_answer_that_moved_the_chart_keeps_its_drawings(
    function_servers, clean_firestore
):
    """The page reports the chart it showed before it drew an answer that switched the chart
    (`seen_version` older than that answer): the report is not applied, so the answer's levels
    survive it; the page's report once it has drawn the answer is. A report of another chart
    after a version that did not move the chart (an agent drew on it) is the user's switch."""
    url, update = function_servers.chart_action_url, function_servers.update_context_url
    session = new_session_id("behind")
    page = {"session_id": session, "symbol": "TSLA", "timeframe": "1D", "seq": 1}
    seen = post_json(update, page).json()["chart"]["version"]
    weekly = post_json(url, {"query": "weekly support and resistance", "session_id": session})
    moved = weekly.json()["data"]["chart"]
    assert moved["timeframe"] == "1W" and moved["drawings"] and moved["version"] > seen
    behind = post_json(update, {**page, "seq": 2, "seen_version": seen}).json()
    assert behind["applied"] is False
    assert behind["chart_context"]["timeframe"] == "1W"
    assert behind["chart"]["drawings"] == moved["drawings"]
    drawn = post_json(
        update, {**page, "seq": 3, "timeframe": "1W", "seen_version": moved["version"]}
    )
    assert drawn.json()["applied"] is True
    assert drawn.json()["chart"]["drawings"] == moved["drawings"]
    # an agent draws a trendline on the weekly; the user, not having seen it, picks the daily
    agent = post_json(url, {"query": "draw a trendline", "session_id": session}).json()
    assert agent["data"]["chart"]["version"] > drawn.json()["chart"]["version"]
    switched = post_json(
        update, {**page, "seq": 4, "seen_version": drawn.json()["chart"]["version"]}
    ).json()
    assert switched["applied"] is True and switched["chart"]["timeframe"] == "1D"
    assert switched["chart"]["drawings"] == []  # a switch leaves the old chart's drawings


def test_the_document_expires_with_the_context(servers_with, clean_firestore):
    """TTL as for the context: after `expires_at` the document reads as absent, answers see no
    drawings, and a revived session starts a fresh document (the old drawings stay dead)."""
    servers = servers_with(SESSION_TTL_SECONDS="2")
    session = new_session_id("ttl")
    page = {"session_id": session, "symbol": "TSLA", "timeframe": "1D", "seq": 1}
    stored = post_json(servers.update_context_url, page).json()
    drawn = post_json(
        servers.chart_action_url, {"query": "draw a trendline", "session_id": session}
    ).json()
    assert drawn["data"]["chart"]["drawings"]
    expires_at = datetime.fromisoformat(stored["expires_at"]).timestamp()
    time.sleep(max(0.0, expires_at - time.time()) + 0.3)
    read = post_json(servers.update_context_url + "/document", {"session_id": session}).json()
    assert read["chart"] is None
    revived = post_json(servers.update_context_url, {**page, "seq": 2}).json()
    assert revived["chart"]["drawings"] == []


def test_the_document_route_refuses_bad_input_without_echo(function_servers):
    url = function_servers.update_context_url + "/api/chatkit/chart-document"
    unknown = post_json(url, {"session_id": new_session_id("none")})
    assert unknown.status_code == 200 and unknown.json()["chart"] is None
    bad = post_json(url, {"session_id": "no spaces <script>"})
    assert bad.status_code == 400
    assert "<script>" not in bad.text and bad.json()["error"]["details"][0]["field"] == "session_id"


def test_memory_is_bounded_and_ids_are_never_reused():
    memory = ChartMemory()
    for price in range(1, 260):
        memory = apply_answer(
            memory, [LevelCommand(verb="SUPPORT", price=float(price))], HERE, Stamp(), None
        )
    assert len(memory.drawings) == 200
    assert memory.drawings[-1].id == "d259" and memory.next_id == 260


def test_each_chatkit_thread_keeps_its_own_chart(function_servers, chatkit_with, clean_firestore):
    """Two conversations on one page: each thread's chart document comes back when the page
    shows that thread again (read on a thread change, then reported with the thread's id)."""
    update = function_servers.update_context_url
    session = new_session_id("threads")
    page = {"session_id": session, "symbol": "TSLA", "timeframe": "1D", "seq": 1}
    assert post_json(update, page).status_code == 200
    chat = ChatKitClient(chatkit_with(CHATKIT_TURNS_PER_MINUTE="1000") + "/api/chatkit", session)
    first = chat.create("draw support and resistance")
    thread_a = first.thread_id()
    assert post_json(update, {**page, "seq": 2, "thread_id": thread_a}).status_code == 200
    second = chat.create("load NVDA and draw a trendline")
    thread_b = second.thread_id()
    assert post_json(update, {**page, "seq": 3, "symbol": "NVDA", "thread_id": thread_b}).ok

    def document(thread: str) -> dict:
        body = {"session_id": session, "thread_id": thread}
        return post_json(update + "/document", body).json()["chart"]

    a, b = document(thread_a), document(thread_b)
    assert a["symbol"] == "TSLA" and {d["kind"] for d in a["drawings"]} == {"support", "resistance"}
    assert b["symbol"] == "NVDA" and [d["kind"] for d in b["drawings"]] == ["trendline"]
    back = post_json(update, {**page, "seq": 4, "thread_id": thread_a}).json()["chart"]
    assert back["thread_id"] == thread_a and back["drawings"] == a["drawings"]
    follow = chat.add(thread_a, "remove it")
    assert follow.effects()[0]["data"]["commands"] == ["CLEAR:LEVELS"]
    assert document(thread_b)["drawings"] == b["drawings"]  # the other thread is untouched
