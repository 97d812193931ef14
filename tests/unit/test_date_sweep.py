"""A date sweep instead of luck: the action core, in-process, over 260 consecutive calendar days
of the sample market (weekends and NYSE holidays included), for one symbol of each asset class,
every timeframe, every tool and the common questions.

What it guards: expectations that hold on one day's data and break on another's. The suite pins
one sample-market day (tests/helpers.py `MARKET_DAY`) so its exact values are stable; this test
checks only invariants that must hold on *every* day, so a calendar day can never turn CI red
again without a real defect behind it:

- no exception, and every answer is a success;
- every command line parses with the Python grammar and with the web kit's parser;
- support below and resistance above the last close the analysis saw;
- a trade plan pays at least 1.5x its risk, or the answer says there is none and draws nothing;
- every price a command draws is quoted in the text;
- a question gets a value (the moving average, the RSI, the cross or its absence).

Each (day, symbol) runs a few of the requests on one timeframe, rotating so that every
(symbol, timeframe, request) combination is met many times over the sweep (asserted), which
keeps the whole sweep to seconds.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from devtools.processes import REPO
from shared.core.action import plan_chart_action
from shared.market_data.sample import SampleProvider
from shared.models.action import ChartActionRequest, ChartActionResponse
from shared.models.commands import parse_command
from shared.models.context import StoredContext
from shared.models.fields import Timeframe
from shared.models.prices import format_price

FIRST_DAY = datetime(2026, 3, 1, tzinfo=UTC)  # through mid-November: July 4th, Labor Day, ...
DAYS = 260
SYMBOLS = ("AAPL", "SPY", "BTC-USD", "EURUSD", "ES=F")  # stock, index, crypto, FX, futures
TIMEFRAMES = tuple(Timeframe)
REQUESTS = (
    "draw support and resistance",
    "trade plan long",
    "trade plan short",
    "draw a trendline",
    "draw fibonacci",
    "find patterns",
    "technical summary",
    "where is the 50 sma?",
    "what is the rsi",
    "when was the last golden cross?",
)
PER_DAY = 3  # requests for each (day, symbol)
PRICED = ("SUPPORT", "RESISTANCE", "ENTRY", "TARGET", "STOPLOSS")
MIN_REWARD_RISK = 1.5


@dataclass
class Sweep:
    """What the sweep saw: the combinations met and every command line, for the kit's parser."""

    combos: set[tuple[str, Timeframe, str]] = field(default_factory=set)
    lines: set[str] = field(default_factory=set)
    answers: int = 0


def schedule() -> list[tuple[datetime, str, Timeframe, tuple[str, ...]]]:
    """(day, symbol, timeframe, requests): timeframes rotate with the day and the symbol,
    requests with the day, so every combination recurs across the sweep."""
    plan = []
    for i in range(DAYS):
        day = FIRST_DAY + timedelta(days=i)
        for j, symbol in enumerate(SYMBOLS):
            timeframe = TIMEFRAMES[(i + j) % len(TIMEFRAMES)]
            start = (i // len(TIMEFRAMES)) * PER_DAY + j
            asked = tuple(REQUESTS[(start + k) % len(REQUESTS)] for k in range(PER_DAY))
            plan.append((day, symbol, timeframe, asked))
    return plan


def prices(answer: ChartActionResponse, verb: str) -> list[float]:
    return [float(c.split(":")[1]) for c in answer.chart_commands if c.startswith(verb + ":")]


def check_levels(answer: ChartActionResponse, close: float) -> None:
    assert all(p < close for p in prices(answer, "SUPPORT")), (close, answer.chart_commands)
    assert all(p > close for p in prices(answer, "RESISTANCE")), (close, answer.chart_commands)


def check_trade_plan(answer: ChartActionResponse, direction: str) -> None:
    entries = prices(answer, "ENTRY")
    if not entries:
        assert re.search(rf"no ({direction} |trade )plan", answer.text), answer.text
        assert answer.chart_commands == [], answer.chart_commands
        return
    (entry,), (target,), (stop,) = entries, prices(answer, "TARGET"), prices(answer, "STOPLOSS")
    reward, risk = abs(target - entry), abs(entry - stop)
    assert risk > 0 and reward >= MIN_REWARD_RISK * risk - 1e-9, answer.chart_commands
    assert (target > entry > stop) if direction == "long" else (target < entry < stop)


def check_question(answer: ChartActionResponse, query: str) -> None:
    analysis = answer.data.analysis
    assert analysis is not None, answer.text
    if "golden cross" in query:
        cross = analysis.cross
        assert cross is not None and cross.fast is not None and cross.slow is not None
        assert format_price(cross.fast) in answer.text, answer.text
        if cross.date:
            assert cross.date in answer.text, answer.text
        return
    (indicator,) = analysis.indicators
    assert indicator.value is not None, answer.text
    shown = f"{indicator.value:.1f}" if indicator.name == "RSI" else format_price(indicator.value)
    assert shown in answer.text, (shown, answer.text)


def check(answer: ChartActionResponse, query: str, close: float) -> None:
    assert answer.success, answer.text
    assert answer.data.market_data.last_close == close  # the bars the analysis saw
    for line in answer.chart_commands:
        assert parse_command(line) is not None, line
    for verb in PRICED:
        for line in answer.chart_commands:
            if line.startswith(verb + ":"):
                assert line.split(":")[1] in answer.text, (line, answer.text)
    check_levels(answer, close)
    if query.startswith("trade plan"):
        check_trade_plan(answer, query.rsplit(maxsplit=1)[-1])
    elif query.endswith("?") or query.startswith("what"):
        check_question(answer, query)


@pytest.fixture(scope="module")
def sweep() -> Sweep:
    seen = Sweep()
    for day, symbol, timeframe, asked in schedule():
        pinned = day.timestamp()
        provider = SampleProvider(clock=lambda pinned=pinned: pinned)
        close = provider.get_bars(symbol, timeframe, 1)[-1].close
        stored = StoredContext(symbol=symbol, timeframe=timeframe, updated_at=day)
        for query in asked:
            answer = plan_chart_action(ChartActionRequest(query=query), stored, provider)
            try:
                check(answer, query, close)
            except AssertionError as failure:
                where = f"{day:%Y-%m-%d} {symbol} {timeframe.value} {query!r}"
                raise AssertionError(f"{where}: {failure}") from None
            seen.combos.add((symbol, timeframe, query))
            seen.lines.update(answer.chart_commands)
            seen.answers += 1
    return seen


def test_every_day_keeps_the_invariants(sweep: Sweep):
    assert sweep.answers == DAYS * len(SYMBOLS) * PER_DAY
    every = {(s, t, q) for s in SYMBOLS for t in TIMEFRAMES for q in REQUESTS}
    assert sweep.combos == every  # each symbol x timeframe x request met at least once
    verbs = {line.split(":")[0] for line in sweep.lines}
    assert {"SUPPORT", "RESISTANCE", "ENTRY", "TRENDLINE", "FIBONACCI", "INDICATOR"} <= verbs


KIT_PARSER = """
import { parseCommand } from "./src/commands.js";
let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const refused = JSON.parse(input).filter((line) => parseCommand(line) === null);
  process.stdout.write(JSON.stringify(refused));
});
"""


def test_the_web_kits_parser_reads_every_line_the_sweep_drew(sweep: Sweep):
    lines = sorted(sweep.lines)
    result = subprocess.run(
        ["node", "--input-type=module", "-e", KIT_PARSER],
        input=json.dumps(lines),
        capture_output=True,
        text=True,
        cwd=REPO / "web",
        timeout=60,
        check=True,
    )
    assert json.loads(result.stdout) == [], result.stdout
    assert len(lines) > 1000 and all(re.fullmatch(r"[A-Z_]+(:[^:\s]+)*", line) for line in lines)
