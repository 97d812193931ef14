"""docs/contract.md's chart_action examples, sent to a real server after its update_context
example: the plain one draws the same kinds of commands as the documented answer, the one with
structured fields what the text after it says."""

from __future__ import annotations

import json

from tests.helpers import post_json
from tests.unit.test_contract_doc import examples


def test_chart_action_example_draws_what_its_answer_shows(function_servers, clean_firestore):
    context = next(e for name, e in examples("validate") if name == "UpdateContextRequest")
    [(_, request), _] = [e for e in examples("validate") if e[0] == "ChartActionRequest"]
    [(_, answer)] = [e for e in examples("validate") if e[0] == "ChartActionResponse"]
    assert post_json(function_servers.update_context_url, json.loads(context)).status_code == 200
    live = post_json(function_servers.chart_action_url, json.loads(request)).json()
    verbs = [line.split(":")[0] for line in live["chart_commands"]]
    assert set(verbs) == {line.split(":")[0] for line in json.loads(answer)["chart_commands"]}
    assert live["data"]["tools_used"] == json.loads(answer)["data"]["tools_used"]


def test_structured_example_draws_what_the_contract_says(function_servers, clean_firestore):
    context = next(e for name, e in examples("validate") if name == "UpdateContextRequest")
    [_, (_, request)] = [e for e in examples("validate") if e[0] == "ChartActionRequest"]
    assert post_json(function_servers.update_context_url, json.loads(context)).status_code == 200
    live = post_json(function_servers.chart_action_url, json.loads(request)).json()
    commands = live["chart_commands"]
    assert commands[:2] == ["LOAD:AAPL", "INDICATOR:SMA:50"]  # the context's 1D stays
    verbs = {line.split(":")[0] for line in commands[2:]}
    assert verbs == {"RESISTANCE"} and live["data"]["planner"] == "structured"
