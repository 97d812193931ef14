"""Providers by name, imported lazily so an unused vendor never costs cold-start time.

`PROVIDERS` maps a name to `"module:Class"`; nothing is imported until `get_provider` asks for
that name, so the default `sample` never loads a vendor SDK and a new vendor slots in with one
entry here. One instance per name per process: providers hold HTTP clients and credentials
worth reusing across requests, and a lock makes the first creation safe under the threaded
functions framework.
"""

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
    """The process's instance of the named provider (case-insensitive); ValueError if unknown."""
    key = name.strip().lower()
    instance = _instances.get(key)  # fast path: no lock once created
    if instance is not None:
        return instance
    if key not in PROVIDERS:
        raise ValueError(f"unknown market data provider {name!r}; known: {', '.join(PROVIDERS)}")
    with _lock:
        if key not in _instances:
            module_name, class_name = PROVIDERS[key].split(":")
            provider_class = getattr(importlib.import_module(module_name), class_name)
            _instances[key] = provider_class()
        return _instances[key]
