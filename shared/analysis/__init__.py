"""Price analysis on OHLCV bars: swings, support/resistance, trendlines, Fibonacci ranges.

- `swings.find_pivots(bars, window=3) -> list[Pivot]`, `swings.average_true_range(bars, 14)`
- `levels.support_resistance(bars, max_per_side=2) -> SupportResistance`
- `levels.fibonacci_range(bars) -> (high, low)`
- `trendline.trend_trendline(bars) -> Trendline | None`
- `patterns.detect_patterns(bars) -> list[Pattern]`, `technical.technical_summary(...)`
- `trade_plan.plan_trade(levels, atr, "long" | "short") -> TradePlan | None`

Plain Python on purpose: 300-1000 bars take a millisecond or two per step, and numpy would add
more to a cold start than it saves here. Levels, Fibonacci ranges and trendlines come back on
the tick of the `symbol` they are given (by magnitude without one); the action core rounds
everything else it shows with `round_price(price, symbol)`.
"""
