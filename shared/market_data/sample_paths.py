"""The sample market's random paths: a year of sessions at a time, then each bar split into its
sub-bars by a constrained bridge.

- **Sessions.** A year's daily path is drawn with one generator seeded by (symbol, year). The
  year gets a volatility near the symbol's and inside its asset class's range, which it realises
  (its shocks are scaled to it); within the year volatility follows a log-AR(1) process (calm
  and busy spells: volatility clustering, fat tails). Each session's log return has the
  symbol's drift, and part of it is the gap from the previous close (the night for stocks, none
  for crypto). The high and the low are drawn
  from the exact distribution of a Brownian bridge's maximum and minimum between open and close,
  and volume rises with the size of the move and with busy spells.
- **Bridge.** A bar is split into its sub-bars (a day into its 4-hour bars, an hour into its
  half hours, ...) with one generator seeded by (symbol, sub-bar timeframe, bar start), so every
  bar is the same whichever request made it. The sub-bars' closes are a Brownian bridge from the
  bar's open to its close, with variance where the session is busy (the U of a stock's day); each
  gets bridge-distributed wicks; then a monotone, piecewise-linear map of prices that fixes the
  open and the close stretches the path so its highest high and lowest low are the bar's. Prices
  snap to the tick (monotone, so the order of open, high, low and close survives) and the volume
  is split in whole units. So the sub-bars aggregate exactly into the bar: first open, highest
  high, lowest low, last close, summed volume.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Callable, Sequence
from typing import NamedTuple

from shared.market_data.calendars import Session, year_sessions
from shared.market_data.sample_market import MarketProfile

VOL_PERSISTENCE = 0.97  # log-volatility AR(1) coefficient: spells of a month or so
YEAR_VOL_SPREAD = 0.12  # how far a year's volatility strays from the symbol's (log sd)
YEAR_VOL_MARGIN = 0.04  # and how close to its class's range it may come
VOLUME_NOISE = 0.25  # log-normal noise on volumes
MOVE_VOLUME = 0.4  # extra volume per standard deviation of the move
SPELL_VOLUME = 0.8  # volume's elasticity to the volatility spell
RANGE_PER_SIGMA = 1.4  # a bridge's typical high-low range, in standard deviations
MIN_VARIANCE = 1e-14

Prices = tuple[float, float, float, float, int]  # open, high, low, close, volume


def seeded(*parts: str) -> random.Random:
    """A generator seeded by SHA-256 of the parts: the same in every process."""
    digest = hashlib.sha256("|".join(parts).encode()).digest()
    return random.Random(int.from_bytes(digest[:16], "big"))


def _extremes(rng: random.Random, start: float, end: float, variance: float) -> tuple[float, float]:
    """A Brownian bridge's maximum and minimum from `start` to `end` (log prices), drawn from
    their exact distributions: P(max > m) = exp(-2 (m - start)(m - end) / variance)."""
    squared = (end - start) ** 2
    up = math.sqrt(squared - 2 * variance * math.log(1.0 - rng.random()))
    down = math.sqrt(squared - 2 * variance * math.log(1.0 - rng.random()))
    return 0.5 * (start + end + up), 0.5 * (start + end - down)


class DayPath(NamedTuple):
    """One session's raw (unsnapped) prices, as log prices relative to the year's start."""

    session: Session
    open: float
    high: float
    low: float
    close: float
    volume: int


def _year_volatility(market: MarketProfile, rng: random.Random) -> float:
    """This year's annualised volatility: around the symbol's, inside its class's range."""
    low, high = market.vol_range
    drawn = market.annual_vol * math.exp(YEAR_VOL_SPREAD * rng.gauss(0.0, 1.0))
    return min(max(drawn, low * (1 + YEAR_VOL_MARGIN)), high * (1 - YEAR_VOL_MARGIN))


def _spells(rng: random.Random, count: int, eta: float) -> list[float]:
    """Relative volatility per session: a log-AR(1) process (calm and busy spells)."""
    shock = eta * math.sqrt(1.0 - VOL_PERSISTENCE**2)
    spell, spells = rng.gauss(0.0, eta), []  # from the stationary distribution
    for _ in range(count):
        spell = VOL_PERSISTENCE * spell + rng.gauss(0.0, shock)
        spells.append(spell)
    return spells


def year_path(market: MarketProfile, year: int) -> tuple[DayPath, ...]:
    """The sessions of `year`, log prices relative to the close before its first session.

    The year's volatility path is scaled so its moves have the mean square of the volatility
    drawn for the year: the year realises it, while its spells still move volatility from day
    to day."""
    sessions = year_sessions(market.calendar, year)
    if not sessions:
        return ()
    rng = seeded(market.symbol, "days", str(year))
    gauss = rng.gauss
    sigma = _year_volatility(market, rng) / math.sqrt(market.calendar.sessions_per_year)
    drift = market.annual_drift / market.calendar.sessions_per_year
    spells = _spells(rng, len(sessions), market.vol_of_vol)
    shocks = [gauss(0.0, 1.0) for _ in sessions]
    # Scale the spells so the year's moves (spell x shock) have exactly the year's mean square.
    relative = [math.exp(s) for s in spells]
    square = sum((r * z) ** 2 for r, z in zip(relative, shocks, strict=True)) / len(shocks)
    sds = [sigma * r / math.sqrt(max(square, MIN_VARIANCE)) for r in relative]
    gap, rest = market.gap_share, math.sqrt(market.gap_share * (1.0 - market.gap_share))
    level, days = 0.0, []
    for session, sd, shock, spell in zip(sessions, sds, shocks, spells, strict=True):
        # The gap's share of the day's move given the move: N(g z, g (1 - g)) in units of sd.
        opened = gap * shock + rest * gauss(0.0, 1.0) if gap else 0.0
        open_, close = level + sd * opened, level + drift + sd * shock
        high, low = _extremes(rng, open_, close, sd * sd * (1.0 - gap))
        volume = market.daily_volume * math.exp(
            VOLUME_NOISE * gauss(0.0, 1.0) + SPELL_VOLUME * (spell - market.vol_of_vol**2)
        )
        volume *= (1.0 - MOVE_VOLUME) + MOVE_VOLUME * abs(shock)
        days.append(DayPath(session, open_, high, low, close, max(1, round(volume))))
        level = close
    return tuple(days)


def _split_volume(volume: int, weights: Sequence[float]) -> list[int]:
    """Whole units summing to `volume`, in proportion to the weights (one each at least when
    there are enough)."""
    floor = 1 if volume >= len(weights) else 0
    rest = volume - floor * len(weights)
    total, running, given, parts = sum(weights), 0.0, 0, []
    for weight in weights:
        running += weight
        upto = round(rest * running / total)
        parts.append(floor + upto - given)
        given = upto
    parts[-1] += rest - given  # float rounding: the sum is exact
    return parts


def bridge(
    rng: random.Random,
    bar: Prices,
    activity: Sequence[float],
    snap: Callable[[float], float],
) -> list[Prices]:
    """Split a bar (prices on the tick) into len(activity) sub-bars that aggregate into it."""
    open_, high, low, close, volume = bar
    count = len(activity)
    if count == 1:
        return [bar]
    total = sum(activity)
    shares = [a / total for a in activity]
    start, end = math.log(open_), math.log(close)
    variance = max((math.log(high / low) / RANGE_PER_SIGMA) ** 2, MIN_VARIANCE)
    steps = [rng.gauss(0.0, math.sqrt(variance * share)) for share in shares]
    pull = end - start - sum(steps)  # what turns the walk into a bridge ending at the close
    points, walked, elapsed = [start], 0.0, 0.0
    for step, share in zip(steps, shares, strict=True):
        walked, elapsed = walked + step, elapsed + share
        points.append(start + walked + elapsed * pull)
    points[-1] = end
    tops, bottoms, weights = [], [], []
    for i, share in enumerate(shares):
        top, bottom = _extremes(rng, points[i], points[i + 1], variance * share)
        tops.append(math.exp(top))
        bottoms.append(math.exp(bottom))
        move = abs(points[i + 1] - points[i]) / math.sqrt(variance * share)
        noise = math.exp(VOLUME_NOISE * rng.gauss(0.0, 1.0))
        weights.append(share * noise * ((1.0 - MOVE_VOLUME) + MOVE_VOLUME * move))
    fit = _stretch(bar, max(tops), min(bottoms))
    prices = [open_, *(snap(fit(math.exp(p))) for p in points[1:-1]), close]
    volumes = _split_volume(volume, weights)
    parts = [
        (prices[i], snap(fit(tops[i])), snap(fit(bottoms[i])), prices[i + 1], volumes[i])
        for i in range(count)
    ]
    _pin(parts, tops.index(max(tops)), high, 1)
    _pin(parts, bottoms.index(min(bottoms)), low, 2)
    return parts


def _stretch(bar: Prices, top: float, bottom: float) -> Callable[[float], float]:
    """The monotone map fixing prices between open and close that sends `top` to the high and
    `bottom` to the low."""
    open_, high, low, close, _ = bar
    upper, lower = max(open_, close), min(open_, close)
    up = (high - upper) / (top - upper) if top > upper else 0.0
    down = (lower - low) / (lower - bottom) if bottom < lower else 0.0

    def fit(price: float) -> float:
        if price > upper:
            return upper + (price - upper) * up
        if price < lower:
            return lower - (lower - price) * down
        return price

    return fit


def _pin(parts: list[Prices], index: int, price: float, field: int) -> None:
    """Set the extreme exactly (the map already lands on it up to float noise, or a degenerate
    path could not reach it)."""
    values = list(parts[index])
    values[field] = price
    parts[index] = (values[0], values[1], values[2], values[3], values[4])
