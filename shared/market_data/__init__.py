"""Market data port: where OHLCV bars come from. Providers are chosen by MARKET_DATA_PROVIDER."""
