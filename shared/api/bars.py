"""chart_action's bars route: `GET /api/chatkit/bars?symbol=TSLA&timeframe=1D`.

The page shows the bars the analysis read, so the levels sit on its candles: the process's
provider (behind the same bars cache), the same bar count (`BARS_FOR_ANALYSIS`), labelled
`sample` when synthetic. No bearer token: these are the bars the page shows anyway, and a
GET a browser or CDN may cache for the bars' freshness window (a quarter of a bar, 15 s to
1 h), with an ETag for conditional requests.
"""

from __future__ import annotations

from dataclasses import asdict

from flask import Request

from shared.api.transport import Exchange, parse_model
from shared.market_data.base import MarketDataProvider
from shared.models.action import MarketDataInfo
from shared.models.bars import BarData, BarsQuery, BarsResponse

BARS_PATHS = ("/bars", "/api/chatkit/bars")


def load_bars(query: BarsQuery, provider: MarketDataProvider) -> BarsResponse:
    """The bars the analysis of this chart reads (`provider`: the action core's own, behind
    the same cache); provider errors raise their 404/503/504."""
    from shared.core.steps import BARS_FOR_ANALYSIS  # noqa: PLC0415 - the analysis' own count

    bars = provider.get_bars(query.symbol, query.timeframe, BARS_FOR_ANALYSIS)
    return BarsResponse(
        symbol=query.symbol,
        timeframe=query.timeframe,
        market_data=MarketDataInfo(
            provider=provider.name,
            sample=provider.is_sample,
            bars=len(bars),
            last_close=bars[-1].close if bars else None,
            last_time=bars[-1].time if bars else None,
        ),
        bars=[BarData(**asdict(bar)) for bar in bars],
    )


def answer_bars(request: Request, exchange: Exchange, provider: MarketDataProvider) -> None:
    """Validate the query string, answer the bars, cacheable (304 when the ETag matches)."""
    from shared.market_data.cache import freshness_window  # noqa: PLC0415 - chart_action only

    query = parse_model(BarsQuery, request.args.to_dict())
    exchange.reply(load_bars(query, provider))
    response = exchange.response
    response.cache_control.public = True
    response.cache_control.max_age = int(freshness_window(query.timeframe))
    response.add_etag()
    response.make_conditional(request)
