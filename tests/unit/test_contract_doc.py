"""docs/contract.md, the user-facing contract, says what the code does: every JSON example is
valid for the model it names, every command line parses and prints back unchanged, and the
grammar table names exactly the verbs the command models know."""

from __future__ import annotations

import json
import re

import pytest
from chatkit.types import ClientEffectEvent
from pydantic import BaseModel

from devtools.processes import REPO
from shared.models.action import ActionData, ChartActionRequest, ChartActionResponse
from shared.models.bars import BarsResponse
from shared.models.chart import ChartDocument
from shared.models.commands import parse_command
from shared.models.context import (
    ChartDocumentRequest,
    ChartDocumentResponse,
    UpdateContextRequest,
    UpdateContextResponse,
)
from shared.models.errors import ErrorResponse

CONTRACT = (REPO / "docs" / "contract.md").read_text()
MODELS: dict[str, type[BaseModel]] = {
    "UpdateContextRequest": UpdateContextRequest,
    "UpdateContextResponse": UpdateContextResponse,
    "ChartActionRequest": ChartActionRequest,
    "ChartActionResponse": ChartActionResponse,
    "ErrorResponse": ErrorResponse,
    "BarsResponse": BarsResponse,
    "ClientEffect": ClientEffectEvent,
    "ChartDocument": ChartDocument,
    "ChartDocumentRequest": ChartDocumentRequest,
    "ChartDocumentResponse": ChartDocumentResponse,
}
EXAMPLE = re.compile(r"<!-- (validate: (\w+)|commands) -->\n```(?:json|text)\n(.*?)```", re.S)


def examples(kind: str) -> list[tuple[str, str]]:
    """(model name or '', block text) of each marked example of this kind."""
    return [
        (match[2] or "", match[3])
        for match in EXAMPLE.finditer(CONTRACT)
        if match[1].startswith(kind)
    ]


def test_every_marked_block_is_checked():
    marks = CONTRACT.count("<!-- validate:") + CONTRACT.count("<!-- commands -->")
    assert marks == len(examples("validate")) + len(examples("commands")) >= 7


@pytest.mark.parametrize(("model", "text"), examples("validate"), ids=lambda v: v[:30])
def test_json_examples_validate(model, text):
    parsed = MODELS[model].model_validate(json.loads(text))
    if isinstance(parsed, ClientEffectEvent):  # the effect carries chart_action's fields
        assert parsed.name == "chart_commands"
        assert set(parsed.data) == {"commands", "text", "data"}
        ActionData.model_validate(parsed.data["data"])
        assert all(parse_command(line) for line in parsed.data["commands"])
    if isinstance(parsed, ChartActionResponse):  # the text ends with the command lines
        assert parsed.text.split("\n")[1:] == parsed.chart_commands


def test_command_lines_parse_and_print_back():
    [(_, block)] = examples("commands")
    lines = block.split()
    for line in lines:
        command = parse_command(line)
        assert command is not None, line
        assert command.to_string() == line
    rows = re.findall(r"^\| (`[A-Z]+:.*?) \|", CONTRACT, re.M)  # the grammar table's first cells
    table = {verb for cell in rows for verb in re.findall(r"`([A-Z]+):", cell)}
    assert {line.split(":")[0] for line in lines} == table
