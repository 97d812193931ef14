"""Code shared by the chart-control Cloud Functions (copied into each function's bundle)."""

__version__ = "0.1.0"
