"""A local stand-in for Alpaca's market data API, answering with its documented JSON shape."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

from werkzeug import Request, Response

KEY_ID, SECRET = "test-key-id", "test-secret-key"


def alpaca_bars(count: int, start: datetime, step: timedelta, base: float = 100.0) -> list[dict]:
    """`count` bars oscillating between base and base*1.2 (support ~base, resistance ~1.2 base)."""
    bars = []
    for i in range(count):
        mid = base * (1.1 + 0.09 * math.sin(i / 6))
        bars.append(
            {
                "t": (start + i * step).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "o": round(mid * 0.998, 2),
                "h": round(mid * 1.006, 2),
                "l": round(mid * 0.994, 2),
                "c": round(mid * 1.001, 2),
                "v": 1000 + i,
                "n": 10,
                "vw": round(mid, 2),
            }
        )
    return bars


class FakeAlpaca:
    """Serves `/v2/stocks/bars` and `/v1beta3/crypto/us/bars` with pagination, newest first."""

    def __init__(self, bars_by_symbol: dict[str, list[dict]], page_size: int = 120):
        self.bars_by_symbol = bars_by_symbol
        self.page_size = page_size
        self.requests: list[dict[str, Any]] = []

    def __call__(self, request: Request) -> Response:
        self.requests.append({"path": request.path, "args": dict(request.args)})
        if (request.headers.get("APCA-API-KEY-ID"), request.headers.get("APCA-API-SECRET-KEY")) != (
            KEY_ID,
            SECRET,
        ):
            return Response('{"message": "forbidden."}', 403, content_type="application/json")
        symbol = request.args["symbols"]
        bars = sorted(self.bars_by_symbol.get(symbol, []), key=lambda b: b["t"], reverse=True)
        offset = int(request.args.get("page_token") or 0)
        limit = min(int(request.args.get("limit", 1000)), self.page_size)
        page = bars[offset : offset + limit]
        token = str(offset + limit) if offset + limit < len(bars) else None
        body = {"bars": {symbol: page} if page else {}, "next_page_token": token}
        import json  # noqa: PLC0415

        return Response(json.dumps(body), 200, content_type="application/json")


def daily_start(count: int) -> datetime:
    """A start such that `count` daily bars end yesterday."""
    today = datetime.now(UTC).replace(hour=5, minute=0, second=0, microsecond=0)
    return today - timedelta(days=count)
