"""COMPARE, RANGE, ZOOM and the precise CLEAR kinds: string forms and their round trip."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from shared.models.commands import (
    ClearCommand,
    CompareCommand,
    RangeCommand,
    ZoomCommand,
    command_strings,
    parse_command,
    parse_commands,
)


@pytest.mark.parametrize(
    ("command", "text"),
    [
        (CompareCommand(symbol="rivn"), "COMPARE:RIVN"),
        (CompareCommand(symbol="BRK.B"), "COMPARE:BRK.B"),
        (CompareCommand(symbol="btc-usd"), "COMPARE:BTC-USD"),
        (RangeCommand(t1=1704067200, t2=1735689600), "RANGE:1704067200:1735689600"),
        (ZoomCommand(mode="IN"), "ZOOM:IN"),
        (ZoomCommand(mode="OUT"), "ZOOM:OUT"),
        (ZoomCommand(mode="FIT"), "ZOOM:FIT"),
        (ClearCommand(what="TRENDLINES"), "CLEAR:TRENDLINES"),
        (ClearCommand(what="LEVELS"), "CLEAR:LEVELS"),
        (ClearCommand(what="FIBONACCI"), "CLEAR:FIBONACCI"),
        (ClearCommand(what="PATTERNS"), "CLEAR:PATTERNS"),
        (ClearCommand(what="INDICATOR", indicator="RSI"), "CLEAR:INDICATOR:RSI"),
        (ClearCommand(what="INDICATOR", indicator="BBANDS"), "CLEAR:INDICATOR:BBANDS"),
        (ClearCommand(), "CLEAR:ALL"),
        (ClearCommand(what="INDICATORS"), "CLEAR:INDICATORS"),
    ],
)
def test_string_forms_round_trip(command, text: str):
    assert command.to_string() == text
    assert parse_command(text) == command


@pytest.mark.parametrize(
    "line",
    [
        "COMPARE:", "COMPARE:$^", "COMPARE:TSLA:RIVN", "RANGE:5:1", "RANGE:1:1", "RANGE:1",
        "RANGE:-1:5", "RANGE:a:b", "ZOOM", "ZOOM:SIDEWAYS", "ZOOM:in", "ZOOM:IN:2",
        "CLEAR:INDICATOR", "CLEAR:INDICATOR:FOO", "CLEAR:ALL:RSI", "CLEAR:TRENDLINES:RSI",
        "CLEAR:LINES",
    ],
)  # fmt: skip
def test_malformed_lines_are_ignored(line: str):
    assert parse_command(line) is None


def test_invalid_models_are_rejected():
    with pytest.raises(ValidationError):
        RangeCommand(t1=10, t2=10)
    with pytest.raises(ValidationError):
        ClearCommand(what="INDICATOR")
    with pytest.raises(ValidationError):
        ClearCommand(what="LEVELS", indicator="RSI")
    with pytest.raises(ValidationError):
        ZoomCommand(mode="SIDEWAYS")  # type: ignore[arg-type]


def test_new_verbs_inside_agent_text():
    text = "TSLA 1D: comparing with RIVN.\nCOMPARE:RIVN\nZOOM:FIT\nCLEAR:INDICATOR:RSI\nUNDO:1"
    commands = parse_commands(text)
    assert command_strings(commands) == ["COMPARE:RIVN", "ZOOM:FIT", "CLEAR:INDICATOR:RSI"]
