"""Walk-forward check of support/resistance on real daily history.

At each cut-off the levels are computed from the bars before it only; the following bars then
say whether price reacted at each level: touched it (within a quarter ATR) and then closed at
least one ATR back on the side it came from, within five bars, before closing one ATR through
it. The same rule is applied to levels placed at random distances on the same side, so the
comparison isolates where the levels are, not how often price moves.

Data: S&P 500 and NASDAQ daily OHLCV 1999-2018 shipped inside the `arch` package (NCSA
licence), a test-only dependency. `python -m devtools.level_backtest` prints the table the
README quotes.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from shared.analysis.levels import support_resistance
from shared.analysis.swings import average_true_range
from shared.market_data.base import Bar

HISTORY, HORIZON, STEP = 250, 20, 5
TOUCH_ATR, REACT_ATR, REACT_BARS = 0.25, 1.0, 5
RANDOM_DRAWS = 5


@dataclass(frozen=True)
class Outcome:
    """Reactions over touches, for computed and for random levels."""

    levels_touched: int
    levels_reacted: int
    random_touched: int
    random_reacted: int

    @property
    def hit_rate(self) -> float:
        return self.levels_reacted / max(1, self.levels_touched)

    @property
    def random_rate(self) -> float:
        return self.random_reacted / max(1, self.random_touched)


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


def walk_forward(bars: Sequence[Bar], seed: int = 7) -> Outcome:
    """Levels from the past only, judged on the future, against random levels."""
    rng = random.Random(seed)
    counts = [0, 0, 0, 0]
    for cut in range(HISTORY, len(bars) - HORIZON, STEP):
        past, future = bars[cut - HISTORY : cut], bars[cut : cut + HORIZON]
        atr, close = average_true_range(past), past[-1].close
        levels = support_resistance(past)
        sides = [(lv, True) for lv in levels.support] + [(lv, False) for lv in levels.resistance]
        for level, is_support in sides:
            _count(counts, 0, reaction(level, is_support, future, atr))
            distance = abs(close - level)
            for _ in range(RANDOM_DRAWS):
                offset = rng.uniform(0.5 * atr, max(distance * 2, atr))
                fake = close - offset if is_support else close + offset
                _count(counts, 2, reaction(fake, is_support, future, atr))
    return Outcome(*counts)


def _count(counts: list[int], at: int, reacted: bool | None) -> None:
    if reacted is not None:
        counts[at] += 1
        counts[at + 1] += int(reacted)


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


def main() -> int:
    """Print the README table."""
    print("| series | cut-offs | levels touched | reacted | hit rate | random levels hit rate |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name in ("sp500", "nasdaq"):
        bars = load_arch(name)
        result = walk_forward(bars)
        cuts = len(range(HISTORY, len(bars) - HORIZON, STEP))
        print(
            f"| {name} daily 1999-2018 | {cuts} | {result.levels_touched} | "
            f"{result.levels_reacted} | {result.hit_rate:.1%} | {result.random_rate:.1%} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
