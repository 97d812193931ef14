"""Providers by name, imported lazily so an unused vendor never costs cold-start time."""

from __future__ import annotations

import importlib
import threading

from shared.market_data.base import MarketDataProvider

PROVIDERS: dict[str, str] = {
    "sample": "shared.market_data.sample:SampleProvider",
    "alpaca": "shared.market_data.alpaca:AlpacaProvider",
}
_instances: dict[str, MarketDataProvider] = {}
_lock = threading.Lock()


def get_provider(name: str) -> MarketDataProvider:
    """The process's instance of the named provider."""
    if name not in PROVIDERS:
        raise ValueError(f"unknown market data provider {name!r}; known: {', '.join(PROVIDERS)}")
    with _lock:
        if name not in _instances:
            module_name, class_name = PROVIDERS[name].split(":")
            provider_class = getattr(importlib.import_module(module_name), class_name)
            _instances[name] = provider_class()
        return _instances[name]
