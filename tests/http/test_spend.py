"""The ceiling on model spend, over HTTP: real chatkit servers with OPENAI_API_KEY against a
local Responses API server that counts every model call (tests/fake_responses.py), the real
emulator. Minting a fresh chart session id per message buys no extra model calls; a client is
the address the load balancer appends (what it wrote before that is ignored); the daily budget
in Firestore stops model calls across two instances. chart_action's OpenAI fallback planner
(a local Chat Completions server, tests/fake_openai.py) is under the same ceiling, and the
daily budget is one for both doors."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import pytest
import requests
from google.cloud import firestore

from shared.auth.spender import client_address, spender_key
from shared.llm.spend import MODEL_UNAVAILABLE
from tests.chatkit_client import ChatKitClient, Stream
from tests.fake_openai import FakeOpenAI
from tests.fake_responses import ToolCallingModel
from tests.helpers import new_session_id

MAPPED = "draw support and resistance for TSLA"  # the rules map it: one model call (narration)
LOAD_BALANCER = "34.120.0.1"  # the forwarding rule's address, the last entry it appends


def model_env(httpserver, **limits: str) -> dict[str, str]:
    """A function's environment with a model key, its API at the local server, and `limits`."""
    return {
        "OPENAI_API_KEY": "sk-test",
        "OPENAI_BASE_URL": httpserver.url_for("/v1"),
        "OPENAI_TIMEOUT_SECONDS": "2",
        **limits,
    }


@pytest.fixture
def model(httpserver) -> ToolCallingModel:
    fake = ToolCallingModel("chart_control", lambda body: {"query": MAPPED})
    httpserver.expect_request("/v1/responses", method="POST").respond_with_handler(fake)
    return fake


@pytest.fixture
def chatkit(chatkit_with, httpserver, clean_firestore) -> Callable[..., str]:
    """A chatkit server with a model key and the given limits (an `instance` tag starts a
    second server with the same settings)."""

    def start(instance: str = "a", **limits: str) -> str:
        # SPEND_TEST_INSTANCE is read by nobody: a second process, same settings
        return chatkit_with(**model_env(httpserver, SPEND_TEST_INSTANCE=instance, **limits))

    return start


def turn(url: str, client_ip: str, spoofed: str = "198.51.100.9") -> Stream:
    """One message from a freshly minted chart session, through the load balancer."""
    chat = ChatKitClient(url, new_session_id("minted"))
    chat.headers["X-Forwarded-For"] = f"{spoofed}, {client_ip}, {LOAD_BALANCER}"
    return chat.create(MAPPED)


def test_the_client_is_the_hop_the_load_balancer_appends():
    assert client_address("1.2.3.4, 203.0.113.7, 34.120.0.1", "10.0.0.1", 2) == "203.0.113.7"
    assert client_address("203.0.113.7, 34.120.0.1", "10.0.0.1", 2) == "203.0.113.7"
    assert client_address(None, "10.0.0.1", 2) == "10.0.0.1"  # no load balancer: the peer
    assert client_address("34.120.0.1", "10.0.0.1", 2) == "10.0.0.1"
    assert client_address("1.2.3.4, 203.0.113.7", "10.0.0.1", 0) == "10.0.0.1"


def test_minted_session_ids_buy_no_extra_model_calls(chatkit, model: ToolCallingModel):
    url = chatkit(CHATKIT_MODEL_TURNS_PER_HOUR="5")
    answers = [turn(url, "203.0.113.7", spoofed=f"10.9.{i}.1") for i in range(100)]
    assert len(model.requests) == 5  # 5 model turns of one call each, for 100 session ids
    assert all(a.status == 200 and a.effects() for a in answers)  # every turn drew its chart
    assert not any(MODEL_UNAVAILABLE in a.assistant_text() for a in answers[:5])  # the model's
    for answer in answers[5:]:  # the rules answer, saying why the model is not in it
        assert MODEL_UNAVAILABLE in answer.assistant_text() and "error" not in answer.types()
    turn(url, "203.0.113.8")  # another client has its own allowance
    assert len(model.requests) == 6


def test_one_instance_caps_its_model_turns_per_minute(chatkit, model: ToolCallingModel):
    url = chatkit(CHATKIT_MODEL_TURNS_PER_INSTANCE_MINUTE="3", CHATKIT_MODEL_TURNS_PER_HOUR="100")
    started = time.monotonic()
    answers = [turn(url, f"203.0.113.{i}") for i in range(20)]  # 20 different clients
    minutes = int((time.monotonic() - started) // 60) + 1  # windows the turns could span
    assert 3 <= len(model.requests) <= 3 * minutes
    refused = sum(MODEL_UNAVAILABLE in a.assistant_text() for a in answers)
    assert refused == 20 - len(model.requests)


def test_the_daily_budget_holds_across_two_instances(chatkit, model: ToolCallingModel):
    limits = {"CHATKIT_MODEL_TURNS_PER_DAY": "4", "CHATKIT_MODEL_TURNS_PER_HOUR": "100"}
    first, second = chatkit("a", **limits), chatkit("b", **limits)
    answers = [turn((first, second)[i % 2], f"198.18.0.{i}") for i in range(12)]
    assert len(model.requests) == 4  # the budget, whichever instance took each turn
    assert sum(MODEL_UNAVAILABLE in a.assistant_text() for a in answers) == 8
    assert all(a.effects() for a in answers)
    days = firestore.Client(project=os.environ["GOOGLE_CLOUD_PROJECT"]).collection("model_budget")
    assert [doc.to_dict()["turns"] for doc in days.stream()] == [4]


def test_with_identity_the_spender_is_the_user_wherever_they_connect_from():
    alice, bob = "user\0iss\0alice", "user\0iss\0bob"
    assert spender_key(alice, "203.0.113.7") == spender_key(alice, "198.51.100.1")
    assert spender_key(alice, "203.0.113.7") != spender_key(bob, "203.0.113.7")
    assert spender_key(None, "203.0.113.7") != spender_key(None, "203.0.113.8")


# A query the rules cannot read, so chart_action asks its fallback planner (one model call).
UNREAD = "make the chart look like a swing trader's setup"
PLANNER_PLAN = {
    "symbol": "TSLA",
    "timeframe": "4H",
    "tools": ["support_resistance"],
    "indicators": [],
    "clear": None,
    "trade_direction": None,
    "reply": "A swing view of TSLA: 4H with its levels.",
}
OVER_CEILING = "the AI planner's usage limit is reached"


@pytest.fixture
def planner_model(httpserver) -> FakeOpenAI:
    fake = FakeOpenAI("ok", PLANNER_PLAN)
    httpserver.expect_request("/v1/chat/completions", method="POST").respond_with_handler(fake)
    return fake


def unread_action(url: str, client_ip: str) -> requests.Response:
    """An unreadable query from a freshly minted chart session, through the load balancer."""
    body = {"query": UNREAD, "session_id": new_session_id("minted")}
    forwarded = {"X-Forwarded-For": f"198.51.100.9, {client_ip}, {LOAD_BALANCER}"}
    return requests.post(url, json=body, headers=forwarded, timeout=30)


def test_chart_actions_fallback_planner_is_under_the_ceiling(
    servers_with, httpserver, planner_model: FakeOpenAI, clean_firestore
):
    env = model_env(httpserver, CHATKIT_MODEL_TURNS_PER_HOUR="3")
    url = servers_with(**env).chart_action_url
    answers = [unread_action(url, "203.0.113.7") for _ in range(8)]
    assert [a.status_code for a in answers] == [200] * 8
    assert len(planner_model.requests) == 3  # the spender's hour, however many session ids
    assert [a.json()["data"]["planner"] for a in answers] == ["openai"] * 3 + ["rules"] * 5
    assert all(OVER_CEILING in a.json()["text"] for a in answers[3:])
    assert not any(OVER_CEILING in a.json()["text"] for a in answers[:3])
    unread_action(url, "203.0.113.8")  # another client has its own allowance
    assert len(planner_model.requests) == 4


def test_the_daily_budget_is_one_for_chat_and_chart_action(
    servers_with, chatkit, httpserver, model: ToolCallingModel, planner_model: FakeOpenAI
):
    limits = {"CHATKIT_MODEL_TURNS_PER_DAY": "3", "CHATKIT_MODEL_TURNS_PER_HOUR": "100"}
    action_url = servers_with(**model_env(httpserver, **limits)).chart_action_url
    chat_url = chatkit(**limits)
    actions = [unread_action(action_url, f"198.18.1.{i}") for i in range(2)]
    chats = [turn(chat_url, f"198.18.2.{i}") for i in range(3)]
    assert len(planner_model.requests) == 2 and len(model.requests) == 1  # 3 turns in all
    assert all(a.json()["data"]["planner"] == "openai" for a in actions)
    assert [MODEL_UNAVAILABLE in c.assistant_text() for c in chats] == [False, True, True]
    assert OVER_CEILING in unread_action(action_url, "198.18.1.9").json()["text"]
