"""The web kit's own unit tests (node --test), run from `make test`."""

from __future__ import annotations

import subprocess

from devtools.processes import REPO


def test_web_kit_unit_tests_pass():
    result = subprocess.run(
        ["npm", "test", "--silent"], cwd=REPO / "web", capture_output=True, text=True,
        timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout


def test_kit_parses_every_command_the_backend_emits(tmp_path):
    """The JS parser and the Python models agree on the grammar (no drift between them)."""
    import json  # noqa: PLC0415

    from shared.actions import plan_chart_action  # noqa: PLC0415
    from shared.market_data.sample import SampleProvider  # noqa: PLC0415
    from shared.models.action import ChartActionRequest  # noqa: PLC0415

    queries = [
        "clear drawings then weekly ES=F with 50 and 200 day moving averages, bollinger, vwap",
        "support, resistance, trendline, fibonacci and trade setup for DOGE-USD",
        "technical analysis and patterns on SPY weekly", "rsi macd volume on BTC-USD 4h",
        "patterns for MSFT 1h", "reset indicators", "monthly BRK.B levels",
    ]  # fmt: skip
    lines = [
        line
        for query in queries
        for line in plan_chart_action(
            ChartActionRequest(query=query), None, SampleProvider()
        ).chart_commands
    ]
    verbs = {line.split(":")[0] for line in lines}
    assert len(verbs) >= 10, verbs
    source = tmp_path / "lines.json"
    source.write_text(json.dumps(lines))
    script = (
        "import { parseCommand } from './src/commands.js';"
        "import { readFileSync } from 'node:fs';"
        f"const lines = JSON.parse(readFileSync({json.dumps(str(source))}, 'utf8'));"
        "console.log(JSON.stringify(lines.map((l) => parseCommand(l)?.verb ?? null)));"
    )
    result = subprocess.run(
        ["node", "--input-type=module", "-e", script], cwd=REPO / "web",
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert json.loads(result.stdout) == [line.split(":")[0] for line in lines]
