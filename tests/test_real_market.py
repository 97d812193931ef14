"""Walk-forward check of the levels on real daily history (arch's S&P 500 and NASDAQ data).

The metric is first shown to detect an edge where one exists (a noisy range market), then run
on real markets. On real index data our swing-cluster levels currently show no edge over random
levels; the strict xfail records the measured numbers and turns red the day that changes, so
the README's claim stays true either way.
"""

from __future__ import annotations

import math
import random

import pytest

from devtools.level_backtest import HISTORY, load_arch, walk_forward
from tests.test_analysis import bars_from_closes


def test_metric_detects_an_edge_in_a_range_market():
    rng = random.Random(11)
    closes = [110 + 9 * math.sin(i / 7) + rng.gauss(0, 1.2) for i in range(1500)]
    outcome = walk_forward(bars_from_closes(closes, wiggle=0.8))
    assert outcome.levels_touched > 100
    assert outcome.hit_rate > outcome.random_rate + 0.05


@pytest.fixture(scope="module", params=["sp500", "nasdaq"])
def history(request):
    bars = load_arch(request.param)
    assert len(bars) > HISTORY * 10 and bars[0].time < bars[-1].time
    return request.param, bars


def test_walk_forward_has_enough_samples(history):
    _, bars = history
    outcome = walk_forward(bars)
    assert outcome.levels_touched > 1000 and outcome.random_touched > 5000
    assert 0.2 < outcome.hit_rate < 0.8 and 0.2 < outcome.random_rate < 0.8


@pytest.mark.xfail(
    strict=True,
    reason="measured: S&P 500 44.3% vs random 42.6%, NASDAQ 41.5% vs random 42.6% — "
    "no reliable edge on daily index data (see README, 'How good are the levels?')",
)
def test_levels_beat_random_on_both_indices():
    outcomes = [walk_forward(load_arch(name)) for name in ("sp500", "nasdaq")]
    assert all(o.hit_rate > o.random_rate + 0.01 for o in outcomes)
