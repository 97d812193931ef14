"""Research, not product: how well the drawn levels would have predicted turns on real daily
history (`level_backtest`, and the alternative methods of `level_variants`), with its report in
levels.md. The product draws levels as a description of the chart, not a forecast; nothing here
is imported by `shared/`, and no test asserts an edge over placebo levels. Needs the test-only
data packages (arch, pmdarima) of requirements-dev.txt.
"""
