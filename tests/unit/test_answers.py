"""Trader queries end to end through `plan_chart_action` on the sample provider (issue 14).

Each row of trader_queries.txt: the chart the page shows ("-" for none), the query as a
trader types it, the commands expected and key words of the answer. The sample market is
pinned to one day, so the bars are the same on every run; the expectations name what a query
must do (which verbs, which symbol, which period), not prices: the values are checked against
the analysis in test_core_answers.py. Command tokens: `LOAD:SPY` exactly that line,
`SUPPORT:*` one SUPPORT line, `SUPPORT+` one or more, `LEVELS+` one or more SUPPORT/RESISTANCE
lines, `PATTERN*` any number of PATTERN lines.
Key words are case-insensitive substrings of the answer's first line; `!word` must be absent.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shared.core.action import plan_chart_action
from shared.models.action import ChartActionRequest, ChartActionResponse
from shared.models.commands import parse_command
from shared.models.context import StoredContext
from tests.helpers import sample_provider

PROVIDER = sample_provider()
LEVEL = r"(?:SUPPORT|RESISTANCE):[^\n]*\n"

QUERIES = Path(__file__).with_name("trader_queries.txt")


def read_cases() -> list[tuple[str, str, str, str]]:
    """(context, query, commands, key words) rows of trader_queries.txt, in order."""
    rows = []
    for line in QUERIES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        written, query, commands, words = (f.strip() for f in line.split(" | ", 3))
        query = re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m.group(1), 16)), query)
        rows.append((written, query, commands, words))
    return rows


CASES = read_cases()


def context(written: str) -> StoredContext | None:
    if written == "-":
        return None
    symbol, timeframe = written.split(":")
    return StoredContext(symbol=symbol, timeframe=timeframe, updated_at="2026-12-01T00:00:00Z")


def ask(written_context: str, query: str) -> ChartActionResponse:
    request = ChartActionRequest(query=query)
    return plan_chart_action(request, context(written_context), PROVIDER)


def commands_pattern(expected: str) -> re.Pattern[str]:
    """The command lines as a regex over "line\\n" runs (see the module docstring)."""
    parts = []
    for token in expected.split():
        if token == "LEVELS+":
            parts.append(f"(?:{LEVEL})+")
        elif token[-1] in "+*" and ":" not in token:
            parts.append(f"(?:{re.escape(token[:-1])}:[^\\n]*\\n){token[-1]}")
        elif token.endswith(":*"):
            parts.append(f"{re.escape(token[:-1])}[^\\n]*\\n")
        else:
            parts.append(re.escape(token) + "\\n")
    return re.compile("".join(parts))


def test_there_are_at_least_150_queries():
    assert len(CASES) >= 150
    assert len({(c, q) for c, q, _, _ in CASES}) == len(CASES)


@pytest.mark.parametrize(
    ("written_context", "query", "commands", "words"),
    CASES,
    ids=[f"{c}|{q}" for c, q, _, _ in CASES],
)
def test_trader_query(written_context: str, query: str, commands: str, words: str):
    answer = ask(written_context, query)
    lines = "".join(f"{line}\n" for line in answer.chart_commands)
    assert commands_pattern(commands).fullmatch(lines), (lines, answer.text)
    summary = answer.text.splitlines()[0]
    assert answer.text.splitlines()[1:] == answer.chart_commands
    for word in words.split("|"):
        absent = word.startswith("!")
        found = word.lstrip("!").lower() in summary.lower()
        assert found != absent, (word, summary)
    for line in answer.chart_commands:
        command = parse_command(line)
        assert command is not None and command.to_string() == line
