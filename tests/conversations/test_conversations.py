"""The 34 conversations of tests/conversations/cases.py through every door, against the real
functions and the Firestore emulator: the chatkit function (ChatKit protocol, one thread per
conversation), chart_action's JSON route (one session, an agent that passes only the query),
and MCP (one session; the agent remembers nothing itself). The page's update_context calls are
made as the web kit makes them (tests/conversations/run.py).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.chatkit_client import ChatKitClient
from tests.conversations.cases import CONVERSATIONS, Conversation
from tests.conversations.run import Answer, PageState, converse
from tests.helpers import new_session_id, post_json
from tests.mcp_client import McpClient

pytestmark = pytest.mark.slow
NAMES = [c.name for c in CONVERSATIONS]
TURNS = {"CHATKIT_TURNS_PER_MINUTE": "1000"}


def chart_of(data: dict[str, Any]) -> dict[str, Any] | None:
    return data.get("chart")


def first_line(text: str) -> str:
    return text.split("\n", 1)[0]


@pytest.fixture(scope="module")
def update_url(function_servers, chatkit_with) -> str:
    """update_context's URL, once both servers have made their first store call (a cold
    channel on a busy machine may miss the first deadline; no conversation should pay it)."""
    url = function_servers.update_context_url + "/api/chatkit/update-context"
    page = PageState(url, new_session_id("warm"), "TSLA", "1D")
    chat = ChatKitClient(chatkit_with(**TURNS) + "/api/chatkit", page.session_id)
    for _ in range(3):
        try:
            page.report()
            if chat.create("weekly").status == 200:
                break
        except AssertionError:
            continue
    return url


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=NAMES)
def test_chatkit(conversation: Conversation, update_url: str, chatkit_with) -> None:
    url = chatkit_with(**TURNS) + "/api/chatkit"
    thread: dict[str, str] = {}

    def door(page: PageState, say: str) -> Answer:
        chat = ChatKitClient(url, page.session_id)
        stream = chat.add(thread["id"], say) if thread else chat.create(say)
        assert stream.status == 200, stream.events
        thread.setdefault("id", stream.thread_id() if not thread else thread.get("id", ""))
        effects = stream.effects()
        commands = [line for e in effects for line in e["data"]["commands"]]
        chart = chart_of(effects[-1]["data"]["data"]) if effects else None
        return Answer(commands, stream.assistant_text(), chart)

    assert converse(conversation, update_url, door) == []


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=NAMES)
def test_chart_action(conversation: Conversation, update_url: str, function_servers) -> None:
    url = function_servers.chart_action_url + "/api/chatkit/chart-action"

    def door(page: PageState, say: str) -> Answer:
        response = post_json(url, {"query": say, "session_id": page.session_id})
        assert response.status_code == 200, response.text
        body = response.json()
        return Answer(body["chart_commands"], first_line(body["text"]), chart_of(body["data"]))

    assert converse(conversation, update_url, door) == []


MCP_CONVERSATIONS = [
    c for c in CONVERSATIONS if {"same", "remove", "undo", "reason"} & set(c.kinds)
]


@pytest.mark.parametrize("conversation", MCP_CONVERSATIONS, ids=[c.name for c in MCP_CONVERSATIONS])
def test_mcp(conversation: Conversation, update_url: str, function_servers) -> None:
    client = McpClient(function_servers.chart_action_url + "/mcp")
    client.handshake()

    def door(page: PageState, say: str) -> Answer:
        result = client.chart_control(query=say, session_id=page.session_id)["result"]
        body = result["structuredContent"]
        return Answer(body["chart_commands"], first_line(body["text"]), chart_of(body["data"]))

    assert converse(conversation, update_url, door) == []
