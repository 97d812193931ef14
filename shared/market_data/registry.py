"""Providers by name, imported lazily so an unused vendor never costs cold-start time.

`PROVIDERS` maps a name to `"module:Class"` (the table lives in `shared.infra.settings`, which
validates MARKET_DATA_PROVIDER against it at boot); nothing is imported until
`create_provider` asks for that name, so the default `sample` never loads a vendor SDK and a
new vendor slots in with one entry. The process's one provider is held by
`shared.app.runtime`, not here.
"""

from __future__ import annotations

import importlib
from typing import Any

from shared.infra.settings import MARKET_DATA_PROVIDERS, Settings
from shared.market_data.base import MarketDataProvider

PROVIDERS = MARKET_DATA_PROVIDERS


def provider_class(name: str) -> Any:
    """The named provider's class (case-insensitive); ValueError if unknown."""
    key = name.strip().lower()
    if key not in PROVIDERS:
        raise ValueError(f"unknown market data provider {name!r}; known: {', '.join(PROVIDERS)}")
    module_name, class_name = PROVIDERS[key].split(":")
    return getattr(importlib.import_module(module_name), class_name)


def create_provider(name: str, settings: Settings | None = None) -> MarketDataProvider:
    """A new instance of the named provider; vendors that need configuration take `settings`."""
    cls = provider_class(name)
    provider: MarketDataProvider = cls(settings) if getattr(cls, "configurable", False) else cls()
    return provider
