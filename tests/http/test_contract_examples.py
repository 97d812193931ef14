"""docs/contract.md's chart_action example, sent to a real server after its update_context
example: the answer draws the same kinds of commands as the documented answer."""

from __future__ import annotations

import json

from tests.helpers import post_json
from tests.unit.test_contract_doc import examples


def test_chart_action_example_draws_what_its_answer_shows(function_servers, clean_firestore):
    [(_, context)] = [e for e in examples("validate") if e[0] == "UpdateContextRequest"]
    [(_, request)] = [e for e in examples("validate") if e[0] == "ChartActionRequest"]
    [(_, answer)] = [e for e in examples("validate") if e[0] == "ChartActionResponse"]
    assert post_json(function_servers.update_context_url, json.loads(context)).status_code == 200
    live = post_json(function_servers.chart_action_url, json.loads(request)).json()
    verbs = [line.split(":")[0] for line in live["chart_commands"]]
    assert set(verbs) == {line.split(":")[0] for line in json.loads(answer)["chart_commands"]}
    assert live["data"]["tools_used"] == json.loads(answer)["data"]["tools_used"]
