"""The sample provider's contract and realism, and the lazy provider registry.

The sample provider is pinned to a fixed clock here, so every assertion sees the same series
whatever the date the suite runs on.
"""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import math
import os
import statistics
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from devtools.processes import REPO
from shared.analysis.swings import find_pivots
from shared.app.runtime import Runtime
from shared.infra.settings import Settings
from shared.market_data.base import Bar, MarketDataProvider
from shared.market_data.calendars import bar_times, session_at
from shared.market_data.registry import PROVIDERS, create_provider
from shared.market_data.sample import MAX_LIMIT, SampleProvider, base_price
from shared.models.fields import Timeframe
from shared.models.prices import tick_size

NOON = 1_767_268_800  # 2026-01-01 12:00 UTC
MIDNIGHT = NOON - NOON % 86400


def provider(now: float = NOON) -> SampleProvider:
    return SampleProvider(clock=lambda: now)


def log_returns(bars: list[Bar]) -> list[float]:
    return [math.log(b.close / a.close) for a, b in itertools.pairwise(bars)]


# --- the sample provider's contract ---------------------------------------------------------


@pytest.mark.parametrize("timeframe", list(Timeframe))
def test_sample_bars_are_valid_for_every_timeframe(timeframe: Timeframe):
    """Bars sit on the NYSE calendar's bar times (tests/unit/test_sample_market.py has the
    rest of the calendar and the consistency across timeframes) and end before the day."""
    bars = provider().get_bars("TSLA", timeframe, 300)
    assert len(bars) == 300
    assert [b.time for b in bars] == bar_times("TSLA", timeframe, bars[0].time, MIDNIGHT)
    assert all(session_at("TSLA", b.time) for b in bars)
    for bar in bars:
        assert 0 < bar.low <= min(bar.open, bar.close) <= max(bar.open, bar.close) <= bar.high
        assert bar.volume > 0 and bar.volume == int(bar.volume)


@pytest.mark.parametrize("symbol", ["ES=F", "ZB=F", "AAPL", "BTC-USD", "PEPE-USD"])
def test_sample_prices_sit_on_the_instruments_tick(symbol: str):
    bars = provider().get_bars(symbol, Timeframe.H1, 200)
    tick = tick_size(symbol, bars[-1].close)
    for price in (p for b in bars for p in (b.open, b.high, b.low, b.close)):
        assert abs(price / tick - round(price / tick)) < 1e-6, (symbol, price)


def test_sample_is_deterministic_within_a_day_and_moves_on_with_it():
    morning, evening = provider(MIDNIGHT + 60), provider(MIDNIGHT + 86399)
    today = morning.get_bars("AAPL", Timeframe.D1, 50)
    assert today == evening.get_bars("AAPL", Timeframe.D1, 50)
    # 1 January 2026 is an NYSE holiday: the next bar is the 2nd's session, seen on the 3rd.
    assert provider(MIDNIGHT + 86400).get_bars("AAPL", Timeframe.D1, 50) == today
    later = provider(MIDNIGHT + 2 * 86400).get_bars("AAPL", Timeframe.D1, 50)
    assert later[-1].time > today[-1].time and later[:-1] == today[1:]


def test_sample_seed_does_not_depend_on_pythons_hash_salt():
    probe = (
        "from shared.market_data.sample import SampleProvider\n"
        "from shared.models.fields import Timeframe\n"
        f"bars = SampleProvider(clock=lambda: {NOON}).get_bars('NVDA', Timeframe.H4, 100)\n"
        "print(repr([(b.time, b.open, b.high, b.low, b.close, b.volume) for b in bars]))"
    )
    digests = set()
    for salt in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": salt}
        out = subprocess.run(
            [sys.executable, "-c", probe], cwd=REPO, env=env, capture_output=True, text=True,
            check=True,
        ).stdout  # fmt: skip
        digests.add(hashlib.sha256(out.encode()).hexdigest())
    bars = provider().get_bars("NVDA", Timeframe.H4, 100)
    here = repr([(b.time, b.open, b.high, b.low, b.close, b.volume) for b in bars]) + "\n"
    assert digests == {hashlib.sha256(here.encode()).hexdigest()}


def test_symbols_and_timeframes_give_different_series():
    sample = provider()
    closes = {
        (symbol, tf): tuple(b.close for b in sample.get_bars(symbol, tf, 50))
        for symbol in ("AAPL", "MSFT", "ZZZZ")
        for tf in (Timeframe.H1, Timeframe.D1)
    }
    assert len(set(closes.values())) == len(closes)


def test_a_shorter_request_is_the_tail_of_a_longer_one():
    sample = provider()
    longest = sample.get_bars("SPY", Timeframe.M15, MAX_LIMIT)
    assert len(longest) == MAX_LIMIT
    for limit in (1, 50, 300, 301, 1000):
        assert sample.get_bars("SPY", Timeframe.M15, limit) == longest[-limit:]


@pytest.mark.parametrize("limit", [0, -1, MAX_LIMIT + 1])
def test_out_of_range_limits_are_rejected(limit: int):
    with pytest.raises(ValueError, match="limit"):
        provider().get_bars("SPY", Timeframe.D1, limit)


def test_symbols_are_normalised_and_the_provider_says_it_is_sample():
    sample = provider()
    assert sample.get_bars(" tsla ", Timeframe.D1, 20) == sample.get_bars("TSLA", Timeframe.D1, 20)
    assert sample.name == "sample" and sample.is_sample is True
    checked: MarketDataProvider = sample  # satisfies the port (type-checked)
    assert checked.get_bars("X", Timeframe.W1, 1)


# --- the sample provider's realism ----------------------------------------------------------


def test_price_levels_depend_on_the_symbol():
    assert provider().get_bars("BTC-USD", Timeframe.D1, 1)[0].close > 20_000
    assert 150 < provider().get_bars("TSLA", Timeframe.D1, 1)[0].close < 350
    assert 3000 < provider().get_bars("ES=F", Timeframe.D1, 1)[0].close < 8000
    hashed = [base_price(s) for s in ("ABCD", "QRST", "WXYZ", "KLMN", "EFGH")]
    assert all(5 <= p <= 1000 for p in hashed) and len(set(hashed)) == len(hashed)
    assert 0.05 <= base_price("FOO-USDT") <= 500


@pytest.mark.parametrize(
    ("timeframe", "low", "high"),
    [(Timeframe.M1, 0.0002, 0.003), (Timeframe.D1, 0.006, 0.06), (Timeframe.MN1, 0.03, 0.3)],
)
def test_volatility_scales_with_the_bar_length(timeframe: Timeframe, low: float, high: float):
    for symbol in ("AAPL", "KO", "BTC-USD"):
        returns = log_returns(provider().get_bars(symbol, timeframe, 500))
        assert low < statistics.pstdev(returns) < high, symbol
        assert max(abs(r) for r in returns) < 12 * statistics.pstdev(returns), symbol


def test_volatility_clusters():
    """Big moves follow big moves: |returns| are autocorrelated, on average across symbols."""
    correlations = []
    for symbol in ("AAPL", "MSFT", "TSLA", "KO", "XOM", "BTC-USD", "ETH-USD", "ABC"):
        moves = [abs(r) for r in log_returns(provider().get_bars(symbol, Timeframe.D1, 2000))]
        correlations.append(statistics.correlation(moves[:-1], moves[1:]))
    assert statistics.mean(correlations) > 0.05


def test_sample_series_swing_and_range():
    bars = provider().get_bars("AAPL", Timeframe.D1, 300)
    kinds = [p.kind for p in find_pivots(bars)]
    assert kinds.count("high") >= 10 and kinds.count("low") >= 10
    closes = [b.close for b in bars]
    assert 1.1 < max(closes) / min(closes) < 4  # moves, but stays a plausible chart


def test_volume_grows_with_the_move():
    bars = provider().get_bars("AAPL", Timeframe.D1, 2000)
    moves = [abs(r) for r in log_returns(bars)]
    assert statistics.correlation(moves, [b.volume for b in bars[1:]]) > 0.2


# --- the registry ---------------------------------------------------------------------------


class FakeProvider:
    name = "fake"
    is_sample = True

    def get_bars(self, symbol: str, timeframe: Timeframe, limit: int) -> list[Bar]:
        return []


def test_registry_is_lazy():
    probe = (
        "import sys\n"
        "from shared.app.runtime import Runtime\n"
        "from shared.models.fields import Timeframe\n"
        "Runtime().market_data.get_bars('A', Timeframe.D1, 5)\n"
        "heavy = ('httpx', 'shared.market_data.alpaca', 'openai')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"


def test_runtime_holds_one_instance_and_the_registry_ignores_case():
    deps = Runtime(Settings.from_env({"MARKET_DATA_PROVIDER": " Sample "}))
    assert deps.market_data is deps.market_data
    assert isinstance(deps.market_data, SampleProvider)
    assert isinstance(create_provider(" Sample "), SampleProvider)


def test_registry_rejects_unknown_names_naming_the_known_ones():
    with pytest.raises(ValueError, match="'bloomberg'; known: sample, alpaca"):
        create_provider("bloomberg")


def test_every_registered_provider_module_exists():
    for target in PROVIDERS.values():
        module, _, cls = target.partition(":")
        assert cls and importlib.util.find_spec(module) is not None, target


def test_a_new_provider_slots_in_with_one_entry(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(PROVIDERS, "fake", f"{__name__}:FakeProvider")
    assert type(create_provider("fake")).__name__ == "FakeProvider"


def test_first_creation_is_thread_safe(monkeypatch: pytest.MonkeyPatch):
    created: list[object] = []

    class Counting(FakeProvider):
        def __init__(self) -> None:
            created.append(self)

    monkeypatch.setattr(sys.modules[__name__], "Counting", Counting, raising=False)
    monkeypatch.setitem(PROVIDERS, "counting", f"{__name__}:Counting")
    deps = Runtime(Settings.from_env({"MARKET_DATA_PROVIDER": "counting"}))
    with ThreadPoolExecutor(max_workers=16) as pool:
        instances = list(pool.map(lambda _: deps.market_data, range(64)))
    assert len(created) == 1 and all(i is created[0] for i in instances)
