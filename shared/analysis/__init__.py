"""Price analysis on OHLCV bars: swings, support/resistance, trendlines, Fibonacci ranges.

Plain Python on purpose: a few hundred bars take well under a millisecond per step, and numpy
would add more to a cold start than it saves here.
"""
