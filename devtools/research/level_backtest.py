"""Walk-forward check of support/resistance on real daily history, against placebo levels.

At each cut-off the levels are computed from the bars before it only; the following bars then
say whether price reacted at each level: touched it (within a quarter ATR) and then closed at
least one ATR back on the side it came from, within five bars, before closing one ATR through
it. Levels never touched count for neither side.

The baseline is a placebo drawn so that only *where* the level sits differs: for every real
level, five placebo levels on the same side at the same cut-off, at distances (in ATRs from
the close) drawn from the distances of all real levels on that side of that series. How often
a level is touched, and what happens next, depends strongly on its distance; matching the
distance distribution removes that, so a higher hit rate can only come from the price history
the levels were read from. (An earlier version drew uniform distances, which flattered ours.)

The edge (hit rate minus placebo rate) gets a 90% interval from a block bootstrap over blocks
of cut-offs a year long, because neighbouring cut-offs share future bars.

Data, all test-only dependencies: S&P 500 and NASDAQ daily OHLCV 1999-2018 shipped in `arch`
(NCSA licence) and MSFT daily 1986-2017 in `pmdarima` (MIT), used from 1991: before that its
split-adjusted prices are quantised (a tenth of the days have no range), so "within a quarter
ATR" means nothing. `python -m devtools.research.level_backtest` prints the README table;
`--variants` prints the table of alternative level methods in levels.md (this folder).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from shared.analysis.levels import support_resistance
from shared.analysis.swings import average_true_range
from shared.market_data.base import Bar

HISTORY, HORIZON, STEP = 250, 20, 5
TOUCH_ATR, REACT_ATR, REACT_BARS = 0.25, 1.0, 5
PLACEBO_DRAWS = 5
BOOTSTRAP_BLOCK, BOOTSTRAP_SAMPLES, BOOTSTRAP_LEVEL = 50, 400, 0.90
MSFT_FROM = 662_688_000  # 1991-01-01 UTC

LevelMethod = Callable[[Sequence[Bar]], tuple[Sequence[float], Sequence[float]]]


@dataclass(frozen=True, slots=True)
class Probe:
    """One level judged on the bars after its cut-off."""

    cut: int
    is_support: bool
    distance_atr: float
    reacted: bool | None  # None: never touched within the horizon


@dataclass(frozen=True)
class Outcome:
    """Real and placebo probes of one walk-forward run, and what they say."""

    levels: tuple[Probe, ...]
    placebo: tuple[Probe, ...]

    @property
    def levels_touched(self) -> int:
        return _touched(self.levels)

    @property
    def random_touched(self) -> int:
        return _touched(self.placebo)

    @property
    def hit_rate(self) -> float:
        return _rate(self.levels)

    @property
    def random_rate(self) -> float:
        return _rate(self.placebo)

    @property
    def edge(self) -> float:
        """Hit rate minus placebo rate, in probability (0.02 = two points)."""
        return self.hit_rate - self.random_rate

    @cached_property
    def edge_interval(self) -> tuple[float, float]:
        """Block-bootstrap interval of the edge (BOOTSTRAP_LEVEL, blocks of cut-offs)."""
        real, fake = _by_block(self.levels), _by_block(self.placebo)
        blocks = sorted(real.keys() | fake.keys())
        rng, edges = random.Random(1), []
        for _ in range(BOOTSTRAP_SAMPLES):
            sample = rng.choices(blocks, k=len(blocks))
            edges.append(_pooled(real, sample) - _pooled(fake, sample))
        edges.sort()
        tail = (1 - BOOTSTRAP_LEVEL) / 2
        return edges[int(tail * BOOTSTRAP_SAMPLES)], edges[int((1 - tail) * BOOTSTRAP_SAMPLES) - 1]


def _touched(probes: Sequence[Probe]) -> int:
    return sum(p.reacted is not None for p in probes)


def _rate(probes: Sequence[Probe]) -> float:
    return sum(bool(p.reacted) for p in probes) / max(1, _touched(probes))


def _by_block(probes: Sequence[Probe]) -> dict[int, tuple[int, int]]:
    """(touched, reacted) per block of BOOTSTRAP_BLOCK cut-offs."""
    blocks: dict[int, tuple[int, int]] = {}
    for probe in probes:
        if probe.reacted is not None:
            touched, reacted = blocks.get(probe.cut // BOOTSTRAP_BLOCK, (0, 0))
            blocks[probe.cut // BOOTSTRAP_BLOCK] = (touched + 1, reacted + probe.reacted)
    return blocks


def _pooled(blocks: dict[int, tuple[int, int]], sample: Sequence[int]) -> float:
    touched = sum(blocks.get(b, (0, 0))[0] for b in sample)
    return sum(blocks.get(b, (0, 0))[1] for b in sample) / max(1, touched)


def reaction(level: float, is_support: bool, future: Sequence[Bar], atr: float) -> bool | None:
    """None if never touched; else whether price bounced off the level."""
    sign = 1 if is_support else -1
    for i, bar in enumerate(future):
        if bar.low <= level + TOUCH_ATR * atr and bar.high >= level - TOUCH_ATR * atr:
            for after in future[i : i + REACT_BARS + 1]:
                if sign * (after.close - level) >= REACT_ATR * atr:
                    return True
                if sign * (level - after.close) > REACT_ATR * atr:
                    return False
            return False
    return None


def swing_levels(past: Sequence[Bar]) -> tuple[Sequence[float], Sequence[float]]:
    """The product's method: what chart_action draws."""
    levels = support_resistance(past)
    return levels.support, levels.resistance


def probe(
    cut: int, level: float, is_support: bool, past: Sequence[Bar], future: Sequence[Bar]
) -> Probe:
    """Judge one level drawn at cut-off `cut` on the bars after it."""
    atr, close = average_true_range(past), past[-1].close
    distance = (close - level if is_support else level - close) / atr
    return Probe(cut, is_support, distance, reaction(level, is_support, future, atr))


def walk_forward(bars: Sequence[Bar], method: LevelMethod = swing_levels, seed: int = 7) -> Outcome:
    """Levels from the past only, judged on the future, against distance-matched placebos."""
    cuts = range(HISTORY, len(bars) - HORIZON, STEP)
    windows = [(bars[c - HISTORY : c], bars[c : c + HORIZON]) for c in cuts]
    levels: list[Probe] = []
    for cut, (past, future) in enumerate(windows):
        support, resistance = method(past)
        levels += [probe(cut, level, True, past, future) for level in support]
        levels += [probe(cut, level, False, past, future) for level in resistance]
    pools = {
        side: [p.distance_atr for p in levels if p.is_support is side] for side in (True, False)
    }
    rng, placebo = random.Random(seed), []
    for real in levels:
        past, future = windows[real.cut]
        atr, close = average_true_range(past), past[-1].close
        sign = -1 if real.is_support else 1
        for distance in rng.choices(pools[real.is_support], k=PLACEBO_DRAWS):
            placebo.append(
                probe(real.cut, close + sign * distance * atr, real.is_support, past, future)
            )
    return Outcome(tuple(levels), tuple(placebo))


def load_arch(name: str) -> list[Bar]:
    """Daily bars of `sp500` or `nasdaq` from the arch package."""
    import importlib  # noqa: PLC0415

    frame = importlib.import_module(f"arch.data.{name}").load()
    return [
        Bar(int(ts.timestamp()), float(o), float(h), float(lo), float(c), float(v))
        for ts, o, h, lo, c, v in zip(
            frame.index, frame["Open"], frame["High"], frame["Low"], frame["Close"],
            frame["Volume"], strict=True,
        )
    ]  # fmt: skip


def load_msft() -> list[Bar]:
    """MSFT daily bars from 1991 from the pmdarima package."""
    import pandas as pd  # noqa: PLC0415
    from pmdarima.datasets import load_msft as load  # noqa: PLC0415

    frame = load()
    bars = [
        Bar(int(pd.Timestamp(day).timestamp()), float(o), float(h), float(lo), float(c), float(v))
        for day, o, h, lo, c, v in zip(
            frame["Date"], frame["Open"], frame["High"], frame["Low"], frame["Close"],
            frame["Volume"], strict=True,
        )
    ]  # fmt: skip
    return [bar for bar in bars if bar.time >= MSFT_FROM]


SERIES: dict[str, tuple[str, Callable[[], list[Bar]]]] = {
    "sp500": ("S&P 500 daily 1999-2018", lambda: load_arch("sp500")),
    "nasdaq": ("NASDAQ daily 1999-2018", lambda: load_arch("nasdaq")),
    "msft": ("MSFT daily 1991-2017", load_msft),
}


def load_series(name: str) -> list[Bar]:
    """Bars of one of SERIES by its short name."""
    return SERIES[name][1]()


def percent(value: float) -> str:
    return f"{value:.1%}"


def points(value: float) -> str:
    return f"{value * 100:+.1f}"


def results_table() -> list[str]:
    """The README table: the product's levels on every series."""
    rows = [
        "| series | cut-offs | levels touched | reacted | hit rate | placebo hit rate "
        "| edge, points (90% interval) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for label, load in SERIES.values():
        bars = load()
        result = walk_forward(bars)
        low, high = result.edge_interval
        rows.append(
            f"| {label} | {len(range(HISTORY, len(bars) - HORIZON, STEP))} | "
            f"{result.levels_touched} | {sum(bool(p.reacted) for p in result.levels)} | "
            f"{percent(result.hit_rate)} | {percent(result.random_rate)} | "
            f"{points(result.edge)} ({points(low)} to {points(high)}) |"
        )
    return rows


def variants_table() -> list[str]:
    """levels.md: every alternative level method, edge per series."""
    from devtools.research.level_variants import VARIANTS  # noqa: PLC0415

    series = {name: load() for name, (_, load) in SERIES.items()}
    rows = [
        "| method | " + " | ".join(f"{name} edge (90% interval)" for name in series) + " |",
        "| --- |" + " --- |" * len(series),
    ]
    for name, method in VARIANTS.items():
        cells = []
        for bars in series.values():
            result = walk_forward(bars, method)
            low, high = result.edge_interval
            cells.append(f"{points(result.edge)} ({points(low)} to {points(high)})")
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Print the README table, or with --variants the levels.md table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", action="store_true", help="alternative level methods")
    args = parser.parse_args(argv)
    print("\n".join(variants_table() if args.variants else results_table()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
