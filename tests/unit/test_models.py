"""Model rules that need no server: normalisation, limits and the command round trip."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from shared.infra.settings import ENV_VARS, Settings
from shared.models.commands import (
    ClearCommand,
    FibonacciCommand,
    IndicatorCommand,
    LevelCommand,
    LoadCommand,
    PatternCommand,
    TimeframeCommand,
    TrendlineCommand,
    parse_command,
    parse_commands,
)
from shared.models.context import UpdateContextRequest
from shared.models.fields import Timeframe, parse_timeframe
from shared.models.prices import format_price, round_price


@pytest.mark.parametrize(
    ("command", "text"),
    [
        (LoadCommand(symbol="brk.b"), "LOAD:BRK.B"),
        (TimeframeCommand(timeframe="weekly"), "TIMEFRAME:1W"),
        (LevelCommand(verb="SUPPORT", price=238.4), "SUPPORT:238.40"),
        (LevelCommand(verb="STOPLOSS", price=0.123456), "STOPLOSS:0.123456"),
        (
            TrendlineCommand(p1=100, t1=1700000000, p2=110.5, t2=1700086400),
            "TRENDLINE:100.00:1700000000:110.50:1700086400",
        ),
        (FibonacciCommand(high=275, low=221.1), "FIBONACCI:275.00:221.10"),
        (IndicatorCommand(name="SMA", period=50), "INDICATOR:SMA:50"),
        (IndicatorCommand(name="VWAP"), "INDICATOR:VWAP"),
        (PatternCommand(name="DOUBLE_TOP", t1=1, t2=2), "PATTERN:DOUBLE_TOP:1:2"),
        (ClearCommand(what="DRAWINGS"), "CLEAR:DRAWINGS"),
    ],
)
def test_command_strings_round_trip(command, text):
    assert command.to_string() == text
    assert parse_command(text) == command


@pytest.mark.parametrize(
    "line",
    [
        "",
        "FOO:1",
        "SUPPORT",
        "SUPPORT:abc",
        "SUPPORT:-3",
        "SUPPORT:nan",
        "SUPPORT:1:2",
        "INDICATOR:FOO",
        "CLEAR:EVERYTHING",
        "LOAD:",
        "TIMEFRAME:2D",
        "PATTERN:x:1:2",
    ],
)
def test_bad_or_unknown_lines_are_ignored(line):
    assert parse_command(line) is None


def test_parse_commands_from_agent_text():
    text = "TSLA 1D: support 238.40.\nLOAD:TSLA\nSUPPORT:238.40\nHELLO:WORLD\nRESISTANCE:262.90"
    assert [c.to_string() for c in parse_commands(text)] == [
        "LOAD:TSLA",
        "SUPPORT:238.40",
        "RESISTANCE:262.90",
    ]


def test_price_format_is_plain_decimal():
    assert format_price(1234567.89) == "1234567.89"
    assert format_price(238.4) == "238.40"
    assert format_price(4512.0) == "4512.00"
    assert format_price(0.00001234) == "0.00001234"


@pytest.mark.parametrize(
    ("symbol", "price", "rounded"),
    [("TSLA", 238.456, 238.46), ("ES=F", 4512.37, 4512.25), ("NQ=F", 18000.13, 18000.25),
     ("YM=F", 39000.6, 39001.0), ("DOGE-USD", 0.123456, 0.12346), ("BTC-USD", 61234.567, 61234.57),
     ("XRP-USD", 2.345678, 2.3457), ("ZB=F", 110.03, 110.03125), ("PENNY", 0.51234, 0.5123),
     (None, 12.3456, 12.35)],
)  # fmt: skip
def test_levels_snap_to_the_instrument_tick(symbol, price, rounded):
    assert round_price(price, symbol) == rounded


def test_timeframe_case_rule():
    assert parse_timeframe("1m") is Timeframe.M1
    assert parse_timeframe("1M") is Timeframe.MN1
    with pytest.raises(ValueError, match="unknown timeframe"):
        parse_timeframe("fortnightly")


def test_update_request_limits():
    ok = UpdateContextRequest(session_id="a" * 16, symbol=" es=f ", timeframe="D", seq=2**63 - 1)
    assert ok.symbol == "ES=F" and ok.timeframe is Timeframe.D1
    with pytest.raises(ValidationError):
        UpdateContextRequest(session_id="a" * 15, symbol="TSLA", timeframe="1D")


def test_settings_from_env_and_secret_repr():
    settings = Settings.from_env(
        {"CHART_ACTION_TOKEN": "hunter2", "ALLOWED_ORIGINS": "https://a.b/"}
    )
    assert settings.allowed_origins == ("https://a.b",)
    assert "hunter2" not in repr(settings)
    assert Settings.from_env({"CHART_ACTION_TOKEN": ""}).chart_action_token is None
    assert "SESSION_TTL_SECONDS" in ENV_VARS and "OPENAI_API_KEY" in ENV_VARS


def test_market_data_provider_is_checked_when_settings_load():
    assert Settings.from_env({"MARKET_DATA_PROVIDER": " Alpaca "}).market_data_provider == "alpaca"
    with pytest.raises(ValidationError, match="unknown provider 'alpca'; known: sample, alpaca"):
        Settings.from_env({"MARKET_DATA_PROVIDER": "alpca"})
