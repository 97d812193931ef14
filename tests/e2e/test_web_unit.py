"""The web kit's own unit tests (node --test), run from `make test`, and a cross-check that the
kit's JavaScript parser and the server's command models (shared/models/commands.py) agree."""

from __future__ import annotations

import json
import random
import subprocess
from enum import Enum
from pathlib import Path

from devtools.processes import REPO
from shared.core.action import plan_chart_action
from shared.market_data.base import Bar
from shared.models.action import ChartActionRequest
from shared.models.commands import (
    AnalyzeCommand,
    BaseCommand,
    ClearCommand,
    FibonacciCommand,
    IndicatorCommand,
    LevelCommand,
    LoadCommand,
    PatternCommand,
    TimeframeCommand,
    TrendlineCommand,
    parse_command,
)
from shared.models.fields import Timeframe
from shared.models.prices import MAX_DECIMALS
from tests.helpers import bars_from_closes, legs

WEB = REPO / "web"


def test_web_kit_unit_tests_pass():
    result = subprocess.run(
        ["npm", "test", "--silent"], cwd=WEB, capture_output=True, text=True,
        timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout


def js_parse(lines: list[str], tmp_path: Path) -> list[dict | None]:
    """`parseCommand` of each line, run by node on the kit's own module."""
    source = tmp_path / "lines.json"
    source.write_text(json.dumps(lines))
    script = (
        "import { parseCommand } from './src/commands.js';"
        "import { readFileSync } from 'node:fs';"
        f"const lines = JSON.parse(readFileSync({json.dumps(str(source))}, 'utf8'));"
        "console.log(JSON.stringify(lines.map((l) => parseCommand(l))));"
    )
    result = subprocess.run(
        ["node", "--input-type=module", "-e", script], cwd=WEB,
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return json.loads(result.stdout)


def py_args(command: BaseCommand) -> list[object]:
    """The model's arguments in grammar order, as the JS parser types them."""
    values = [getattr(command, name) for name in type(command).model_fields if name != "verb"]
    out: list[object] = [v.value if isinstance(v, Enum) else v for v in values if v is not None]
    return [round(v, MAX_DECIMALS) if isinstance(v, float) else v for v in out]


def js_args(parsed: dict) -> list[object]:
    return [round(v, MAX_DECIMALS) if isinstance(v, float) else v for v in parsed["args"]]


def random_models(rng: random.Random, count: int) -> list[BaseCommand]:
    """Commands over each model's whole range (tiny and huge prices, every enum value)."""

    def price() -> float:
        return round(10 ** rng.uniform(-8, 7), rng.randint(0, MAX_DECIMALS)) or 1e-8

    def time() -> int:
        return rng.randint(0, 4_102_444_800)

    factories = [
        lambda: LoadCommand(symbol=rng.choice(["TSLA", "BRK.B", "BTC-USD", "ES=F", "^GSPC", "X"])),
        lambda: TimeframeCommand(timeframe=rng.choice(list(Timeframe))),
        lambda: AnalyzeCommand(kind=rng.choice(["TECHNICAL", "PATTERNS"])),
        lambda: LevelCommand(
            verb=rng.choice(["SUPPORT", "RESISTANCE", "ENTRY", "TARGET", "STOPLOSS"]),
            price=price(),
        ),
        lambda: TrendlineCommand(p1=price(), t1=time(), p2=price(), t2=time()),
        lambda: FibonacciCommand(high=price(), low=price()),
        lambda: IndicatorCommand(
            name=rng.choice(["SMA", "EMA", "RSI", "MACD", "BBANDS", "VWAP", "VOLUME"]),
            period=rng.choice([None, 1, 14, 200, 500]),
        ),
        lambda: PatternCommand(
            name=rng.choice(["DOUBLE_TOP", "HEAD_AND_SHOULDERS", "ASCENDING_TRIANGLE"]),
            t1=time(),
            t2=time(),
        ),
        lambda: ClearCommand(what=rng.choice(["ALL", "DRAWINGS", "INDICATORS"])),
    ]
    return [rng.choice(factories)() for _ in range(count)]


PLANNER_QUERIES = [
    "clear drawings then weekly ES=F with 50 and 200 day moving averages, bollinger, vwap",
    "support, resistance, trendline, fibonacci and trade setup for DOGE-USD",
    "technical analysis and patterns on SPY weekly", "rsi macd volume on BTC-USD 4h",
    "patterns for MSFT 1h", "patterns for SPY", "reset indicators", "monthly BRK.B levels",
]  # fmt: skip


class PlantedBars:
    """Bars with a planted double bottom ending near support, so every analysis has something
    to draw on any day (the sample series changes daily, and may hold no pattern or no trade
    worth 1.5x its risk)."""

    name, is_sample = "planted", False

    def get_bars(self, symbol: str, timeframe: Timeframe, limit: int) -> list[Bar]:
        return bars_from_closes(legs(140, 118, 132, 116, 134, 100, 116, 100.5, 104), wiggle=0.3)


def test_kit_parses_every_command_the_backend_emits(tmp_path):
    """Every string form the server can produce (the planner's, and random models over each
    command's range) parses in the kit to the same arguments."""
    planned = [
        line
        for query in PLANNER_QUERIES
        for line in plan_chart_action(
            ChartActionRequest(query=query), None, PlantedBars()
        ).chart_commands
    ]
    assert {line.split(":")[0] for line in planned} == {
        "LOAD", "TIMEFRAME", "ANALYZE", "SUPPORT", "RESISTANCE", "TRENDLINE", "FIBONACCI",
        "ENTRY", "TARGET", "STOPLOSS", "INDICATOR", "PATTERN", "CLEAR",
    }  # fmt: skip
    models = [parse_command(line) for line in planned] + random_models(random.Random(5), 500)
    lines = [model.to_string() for model in models]
    for model, line, parsed in zip(models, lines, js_parse(lines, tmp_path), strict=True):
        assert parsed is not None, line
        assert (parsed["verb"], js_args(parsed)) == (model.verb, py_args(model)), line


EDGE_LINES = [
    "SUPPORT:238.40", "support:238.40", "SUPPORT: 238.40 ", "SUPPORT:1e3", "SUPPORT:+5",
    "SUPPORT:.5", "SUPPORT:5.", "SUPPORT:1_000", "SUPPORT:0", "SUPPORT:0.000000001",
    "SUPPORT:0.00000001", "SUPPORT:-1", "SUPPORT:inf", "SUPPORT:nan", "SUPPORT:1:2", "SUPPORT",
    "SUPPORT:", "TIMEFRAME:1d", "TIMEFRAME:daily", "TIMEFRAME:1M", "TIMEFRAME:1m", "TIMEFRAME:2D",
    "LOAD:tsla", "LOAD: tsla ", "LOAD:$TSLA", "LOAD:", "LOAD:TSLA:1D", "LOAD:ABCDEFGHIJKLMNOP",
    "ANALYZE:technical", "ANALYZE:TECHNICAL", "CLEAR", "CLEAR:all", "CLEAR:EVERYTHING",
    "TRENDLINE:1:2.0:3:4", "TRENDLINE:1:-2:3:4", "TRENDLINE:1:2:3",
    "TRENDLINE:1:99999999999999999999:3:4", "FIBONACCI:1", "INDICATOR:sma", "INDICATOR:SMA:050",
    "INDICATOR:SMA:0", "INDICATOR:SMA:501", "PATTERN:DOUBLE_TOP:1:1", "PATTERN:double_top:1:2",
    "PATTERN:D:1:2", "HELLO:WORLD", "", ":", "::::", "SUPPORT:１２３",
]  # fmt: skip


ARG_TOKENS = [
    "238.40", "1", "0", "-1", "1e3", ".5", "5.", " 5 ", "1.123456789", "0.00000001", "0.000000001",
    "99999999999999999999", "1700000000", "tsla", "TSLA", "BRK.B", "^GSPC", "1D", "1d", "1M",
    "daily", "SMA", "sma", "RSI", "050", "500", "501", "ALL", "all", "DRAWINGS", "TECHNICAL",
    "DOUBLE_TOP", "",
]  # fmt: skip
VERBS = ["LOAD", "TIMEFRAME", "ANALYZE", "SUPPORT", "STOPLOSS", "TRENDLINE", "FIBONACCI",
         "INDICATOR", "PATTERN", "CLEAR", "clear", "Support", "NOPE"]  # fmt: skip


def test_kit_never_accepts_what_the_server_rejects(tmp_path):
    """Where the kit accepts a line, the server's parser accepts it with the same arguments. (The
    server is laxer on input it never writes — timeframe aliases, `1e3` — the kit need not be.)"""
    rng = random.Random(7)
    fuzz = [
        ":".join([rng.choice(VERBS), *rng.choices(ARG_TOKENS, k=rng.randint(0, 4))])
        for _ in range(3000)
    ]
    lines = EDGE_LINES + fuzz
    accepted = 0
    for line, parsed in zip(lines, js_parse(lines, tmp_path), strict=True):
        if parsed is None:
            continue
        accepted += 1
        model = parse_command(line)
        assert model is not None, f"kit accepts {line!r}, server does not"
        assert (parsed["verb"], js_args(parsed)) == (model.verb, py_args(model)), line
    assert accepted >= 100


# Issue 14's verbs: the kit reads them now; the server's models may come later (a parser that
# predates a verb ignores it). Each verb is cross-checked as soon as the server knows it.
NEWER_VERB_EXAMPLES = {
    "COMPARE": "COMPARE:QQQ", "RANGE": "RANGE:1700000000:1710000000", "ZOOM": "ZOOM:IN",
    "CLEAR": "CLEAR:INDICATOR:RSI", "REMOVE": "REMOVE:d7",
}  # fmt: skip
NEWER_TOKENS = ["QQQ", "rivn", "$X", "IN", "OUT", "FIT", "in", "LEFT", "TRENDLINES", "LEVELS",
                "FIBONACCI", "PATTERNS", "INDICATOR", "RSI", "FOO", "1700000000", "1710000000",
                "5", "1.5", "", "d7", "D7", "d", "dx1"]  # fmt: skip


def test_kit_reads_the_newer_verbs_as_the_server_does(tmp_path):
    lines = list(NEWER_VERB_EXAMPLES.values())
    assert all(parsed is not None for parsed in js_parse(lines, tmp_path)), lines
    known = {verb for verb, line in NEWER_VERB_EXAMPLES.items() if parse_command(line)}
    rng = random.Random(11)
    fuzz = [
        ":".join([rng.choice(sorted(known)), *rng.choices(NEWER_TOKENS, k=rng.randint(0, 3))])
        for _ in range(1500 if known else 0)
    ]
    for line, parsed in zip(fuzz, js_parse(fuzz, tmp_path), strict=True):
        model = parse_command(line)
        if parsed is None or model is None:
            assert parsed is None or model is not None, f"kit accepts {line!r}, server does not"
            continue
        assert (parsed["verb"], js_args(parsed)) == (model.verb, py_args(model)), line
