"""web/src/api.js (the kit's payload types) is what devtools.web_types generates from the models."""

from __future__ import annotations

from devtools.web_types import TARGET, render


def test_the_kit_types_are_generated_from_the_models():
    assert TARGET.read_text() == render(), "stale: run `python -m devtools.web_types`"


def test_bars_are_lightweight_charts_data():
    text = render()
    assert '@property {import("lightweight-charts").UTCTimestamp} time' in text
    timeframes = '"1m" | "5m" | "15m" | "30m" | "1H" | "4H" | "1D" | "1W" | "1M"'
    assert f"@typedef {{{timeframes}}} Timeframe" in text
