"""One "understood" (issue 22): the chat sends a message to its model exactly when the action
core would ask its fallback planner, because both ask `shared.core.plan`'s `understood` of the
same plan. Counted on the local servers that speak the OpenAI APIs: the core's fallback (the
real `openai` client against tests/fake_openai.py) over every planner test query, and the
chatkit function's agent (the real `openai-agents` against tests/fake_responses.py), where a
message the core understands costs one call — narration, no tool — never two."""

from __future__ import annotations

import pytest

from shared.core.action import plan_chart_action
from shared.core.plan import plan_request
from shared.models.action import ChartActionRequest
from tests.fake_responses import ToolCallingModel
from tests.helpers import sample_provider
from tests.http.test_chatkit_agent import agent_chat  # noqa: F401 - the fixture
from tests.http.test_openai_planner import fake_openai, fallback_for  # noqa: F401 - fixtures
from tests.unit.test_planner_forgiving import ALL_ROWS
from tests.unit.test_planner_negation import TABLES

MODEL_ONLY = [  # nothing the rules can do: these go to the model on every door
    "make it look like a swing trader's chart", "tell me a joke", "load rheinmetall",
    "what would warren buffett do",
]  # fmt: skip
CORPUS = list(
    dict.fromkeys(
        [q for q, _ in ALL_ROWS] + [q for rows in TABLES.values() for q, _, _ in rows] + MODEL_ONLY
    )
)
# The examples (answered by the rules on chart_action, sent to the model by the chat
# before), and negations and studies, which are understood too.
CHAT_MESSAGES = [
    "compare with QQQ", "zoom in", "last 3 months", "no more moving averages",
    "draw support but not resistance", "quita las medias móviles", "add the ichimoku cloud",
]  # fmt: skip


def test_the_chat_sends_to_the_model_exactly_what_the_core_would(fake_openai):  # noqa: F811
    fake, settings = fake_openai()
    fallback = fallback_for(settings)
    disagree, to_model = [], 0
    for query in CORPUS:
        before = len(fake.requests)
        plan_chart_action(ChartActionRequest(query=query), None, sample_provider(), fallback)
        core_asked = len(fake.requests) > before
        # the chat's ChartTool.plan is the core's plan of the message: `plan_request`
        chat_sends = not plan_request(
            ChartActionRequest(query=query, session_id="s" * 16)
        ).understood
        to_model += chat_sends
        if core_asked != chat_sends:
            disagree.append(query)
    assert disagree == []
    assert 0 < to_model < len(CORPUS) / 10, "both sides of the line are exercised"


@pytest.mark.parametrize("message", CHAT_MESSAGES)
def test_a_message_the_core_understands_costs_one_model_call(agent_chat, message):  # noqa: F811
    model = ToolCallingModel("chart_control", lambda body: {"query": message})
    stream = agent_chat(model).create(message)
    assert "error" not in stream.types()
    assert len(model.requests) == 1, message
    assert not model.requests[0].get("tools")  # narrating the rules' answer, not deciding
    assert stream.effects(), "the chart action's effect went out"
    assert stream.effects()[0]["data"]["data"]["planner"] == "rules"


def test_a_message_the_core_does_not_understand_goes_to_the_agent(agent_chat):  # noqa: F811
    model = ToolCallingModel("chart_control", lambda body: {"query": "draw support"})
    agent_chat(model).create(MODEL_ONLY[0])
    assert len(model.requests) == 2 and model.requests[0].get("tools")
