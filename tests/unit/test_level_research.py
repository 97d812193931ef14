"""Walk-forward check of the levels on real daily history (arch: S&P 500, NASDAQ; pmdarima: MSFT).

The measurement is checked from both ends before it is trusted: it finds the edge planted in a
noisy range market (positive control) and finds none for levels blind to the history on real
data (negative control). Then the product's levels are measured on the three real series, and
the README's table is asserted to be what the script prints, so the README cannot go stale. No
test asserts an edge: the levels describe the chart, they are not a forecast.
"""

from __future__ import annotations

import math
import random
from itertools import pairwise

import pytest

from devtools.processes import REPO
from devtools.research.level_backtest import (
    HISTORY,
    PLACEBO_DRAWS,
    SERIES,
    load_series,
    results_table,
    walk_forward,
)
from devtools.research.level_variants import VARIANTS, uninformed
from tests.helpers import bars_from_closes

README = REPO / "README.md"


def range_market(seed: int = 11, length: int = 1500):
    rng = random.Random(seed)
    closes = [110 + 9 * math.sin(i / 7) + rng.gauss(0, 1.2) for i in range(length)]
    return bars_from_closes(closes, wiggle=0.8)


def test_metric_detects_the_edge_planted_in_a_range_market():
    outcome = walk_forward(range_market())
    assert outcome.levels_touched > 100
    low, _ = outcome.edge_interval
    assert outcome.edge > 0.05 and low > 0


def test_placebo_levels_match_the_real_levels_distances():
    outcome = walk_forward(range_market(length=600))
    assert len(outcome.placebo) == PLACEBO_DRAWS * len(outcome.levels)
    for side in (True, False):
        real = {round(p.distance_atr, 9) for p in outcome.levels if p.is_support is side}
        fake = {round(p.distance_atr, 9) for p in outcome.placebo if p.is_support is side}
        assert fake <= real and len(fake) > len(real) / 2


@pytest.fixture(scope="module", params=list(SERIES))
def history(request):
    bars = load_series(request.param)
    assert len(bars) > HISTORY * 10 and all(a.time < b.time for a, b in pairwise(bars))
    assert all(b.high > b.low for b in bars[:250]), "flat bars: quantised prices"
    return request.param, bars


def test_walk_forward_has_enough_samples(history):
    _, bars = history
    outcome = walk_forward(bars)
    assert outcome.levels_touched > 1000 and outcome.random_touched > 5000
    assert 0.2 < outcome.hit_rate < 0.8 and 0.2 < outcome.random_rate < 0.8


def test_levels_blind_to_history_show_no_edge(history):
    low, high = walk_forward(history[1], uninformed).edge_interval
    assert low < 0 < high


def test_readme_table_is_what_the_backtest_prints():
    table = results_table()
    assert "\n".join(table) in README.read_text()


def test_every_variant_draws_levels_on_the_right_side():
    past = range_market(length=300)
    close = past[-1].close
    for name, method in VARIANTS.items():
        support, resistance = method(past)
        assert support or resistance, name
        assert all(math.isfinite(lv) and lv < close for lv in support), name
        assert all(math.isfinite(lv) and lv > close for lv in resistance), name
