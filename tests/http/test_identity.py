"""Bring your own identity, over HTTP on all three doors, with a local issuer on loopback
(tests/local_issuer.py): every refused kind of token is a 401 that echoes nothing; a user's
chart documents and threads are theirs alone (every ChatKit request type); threads follow the
user to another device; a rotated key is picked up; chart_action's agent token still works
and acts for the user it names."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from tests.chatkit_client import ChatKitClient, user_input
from tests.helpers import FunctionServers, new_session_id, post_json
from tests.local_issuer import LocalIssuer
from tests.mcp_client import McpClient

AGENT_TOKEN = "agent-token-0123456789abcdef"


@pytest.fixture(scope="module")
def issuer() -> Iterator[LocalIssuer]:
    local = LocalIssuer()
    yield local
    local.close()


@pytest.fixture(scope="module")
def servers(servers_with: Callable[..., FunctionServers], issuer: LocalIssuer) -> FunctionServers:
    # a roomier store timeout: the first store call of a cold process on a busy machine
    return servers_with(**issuer.env(CHART_ACTION_TOKEN=AGENT_TOKEN, STORE_TIMEOUT_SECONDS="10"))


@pytest.fixture(scope="module")
def chat_url(chatkit_with: Callable[..., str], issuer: LocalIssuer) -> str:
    return chatkit_with(**issuer.env(STORE_TIMEOUT_SECONDS="10"))


def bearer(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token is not None else {}


def update(servers: FunctionServers, session: str, symbol: str, token: str | None):
    body = {"session_id": session, "symbol": symbol, "timeframe": "1D", "snapshot_id": "s1"}
    url = servers.update_context_url + "/api/chatkit/update-context"
    return post_json(url, body, bearer(token))


def act(servers: FunctionServers, session: str, headers: dict[str, str]) -> requests.Response:
    url = servers.chart_action_url + "/api/chatkit/chart-action"
    return post_json(url, {"query": "support and resistance", "session_id": session}, headers)


def chat(url: str, session: str, token: str | None) -> ChatKitClient:
    client = ChatKitClient(url, session)
    client.headers.update(bearer(token))
    return client


def doors(servers: FunctionServers, chat_url: str) -> dict[str, Callable[[str | None], Any]]:
    """One request per door, with a given token (None: no Authorization header)."""
    session = new_session_id("door")
    mcp_url = servers.chart_action_url + "/api/chatkit/mcp"
    return {
        "update_context": lambda token: update(servers, session, "TSLA", token),
        "chart_action": lambda token: act(servers, session, bearer(token)),
        "mcp": lambda token: McpClient(mcp_url, token).post(
            {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
        ),
        "chatkit": lambda token: chat(chat_url, session, token).call("threads.list", limit=5),
    }


@pytest.mark.parametrize(
    "kind",
    ["no token", "forged signature", "alg none", "wrong issuer", "wrong audience", "expired",
     "not yet valid", "unknown kid", "no subject", "not a JWT"],
)  # fmt: skip
def test_every_door_refuses_a_bad_token(servers, chat_url, issuer: LocalIssuer, kind: str):
    token = None if kind == "no token" else issuer.refused_tokens()[kind]
    for door, call in doors(servers, chat_url).items():
        response = call(token)
        assert response.status_code == 401, (door, kind, response.text)
        assert response.headers["WWW-Authenticate"].startswith("Bearer"), door
        assert token is None or token not in response.text, door
        error = response.json()["error"]
        assert (error.get("code") or error.get("message")) and "Traceback" not in response.text


def test_every_door_admits_a_valid_token(servers, chat_url, issuer: LocalIssuer):
    token = issuer.token("admitted")
    for door, call in doors(servers, chat_url).items():
        assert call(token).status_code == 200, door


def test_health_stays_public(servers, chat_url):
    for url in (servers.update_context_url, servers.chart_action_url, chat_url):
        assert requests.get(url, timeout=10).status_code == 200


def test_a_user_cannot_read_or_overwrite_another_users_chart(servers, issuer: LocalIssuer):
    alice, bob = issuer.token("alice"), issuer.token("bob")
    session = new_session_id("shared")  # bob learned alice's session id
    assert update(servers, session, "TSLA", alice).status_code == 200
    seen_by_bob = act(servers, session, bearer(bob)).json()
    assert seen_by_bob["data"]["chart_context"] is None  # alice's chart is not readable
    assert update(servers, session, "AAPL", bob).status_code == 200  # bob's own document
    mine = act(servers, session, bearer(alice)).json()["data"]["chart_context"]
    assert mine["symbol"] == "TSLA"  # alice's document was not overwritten
    assert act(servers, session, bearer(bob)).json()["data"]["chart_context"]["symbol"] == "AAPL"


def test_the_agent_token_acts_for_the_user_it_names(servers, issuer: LocalIssuer):
    session = new_session_id("agent")
    assert update(servers, session, "NVDA", issuer.token("dana")).status_code == 200
    agent = {"Authorization": f"Bearer {AGENT_TOKEN}", "X-Chart-Subject": "dana"}
    assert act(servers, session, agent).json()["data"]["chart_context"]["symbol"] == "NVDA"
    anonymous = act(servers, session, {"Authorization": f"Bearer {AGENT_TOKEN}"}).json()
    assert anonymous["data"]["chart_context"] is None  # no subject named: not dana's chart
    other = act(servers, session, {**agent, "X-Chart-Subject": "erin"}).json()
    assert other["data"]["chart_context"] is None


def test_a_user_cannot_reach_another_users_threads(chat_url, issuer: LocalIssuer):
    session = new_session_id("threads")
    alice = chat(chat_url, session, issuer.token("alice-t"))
    created = alice.create("draw support and resistance for TSLA")
    assert created.status == 200
    thread_id = created.thread_id()
    item_id = created.of_type("thread.item.done")[0]["item"]["id"]
    bob = chat(chat_url, session, issuer.token("bob-t"))  # same chart session header even
    listed = bob.call("threads.list", limit=20).json()
    assert listed["data"] == []
    refused = {
        "threads.get_by_id": {"thread_id": thread_id},
        "items.list": {"thread_id": thread_id, "limit": 5},
        "threads.update": {"thread_id": thread_id, "title": "mine now"},
        "threads.delete": {"thread_id": thread_id},
        "items.feedback": {"thread_id": thread_id, "item_ids": [item_id], "kind": "positive"},
        "threads.add_user_message": {"thread_id": thread_id, "input": user_input("hi")},
        "threads.retry_after_item": {"thread_id": thread_id, "item_id": item_id},
    }
    for request_type, params in refused.items():
        response = bob.post({"type": request_type, "params": params})
        assert response.status_code == 404, (request_type, response.text)
    assert alice.call("threads.get_by_id", thread_id=thread_id).json()["title"] != "mine now"
    assert [t["id"] for t in alice.call("threads.list", limit=20).json()["data"]] == [thread_id]


def test_threads_follow_the_user_to_another_device(chat_url, issuer: LocalIssuer):
    laptop = chat(chat_url, new_session_id("laptop"), issuer.token("frank"))
    thread_id = laptop.create("draw support and resistance for AAPL").thread_id()
    phone = chat(chat_url, new_session_id("phone"), issuer.token("frank"))
    assert [t["id"] for t in phone.call("threads.list", limit=20).json()["data"]] == [thread_id]
    assert phone.call("threads.get_by_id", thread_id=thread_id).status_code == 200


def test_a_rotated_key_is_picked_up_on_every_door(servers, chat_url, issuer: LocalIssuer):
    old = issuer.token("rotating")
    for call in doors(servers, chat_url).values():
        assert call(old).status_code == 200
    issuer.rotate()
    new = issuer.token("rotating")
    for door, call in doors(servers, chat_url).items():
        assert call(new).status_code == 200, door  # an unknown kid refreshes the key set
        assert call(old).status_code == 401, door  # the withdrawn key no longer verifies


def test_the_mcp_door_files_under_the_caller_too(servers, issuer: LocalIssuer):
    session = new_session_id("mcp")
    assert update(servers, session, "AMD", issuer.token("gina")).status_code == 200
    url = servers.chart_action_url + "/api/chatkit/mcp"

    def context_seen_by(token: str) -> dict | None:
        client = McpClient(url, token)
        client.handshake()
        result = client.chart_control(query="support and resistance", session_id=session)
        return result["result"]["structuredContent"]["data"]["chart_context"]

    assert context_seen_by(issuer.token("gina"))["symbol"] == "AMD"
    assert context_seen_by(issuer.token("hank")) is None  # another user: not gina's chart
