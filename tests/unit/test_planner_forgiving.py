"""The forgiving rules planner on trader queries: issue 14's cases, then realistic queries by
category (typos, accents and four languages, shorthand, questions, compare, range and zoom,
removal, Unicode tricks).

Each row states the whole intent in the short form of `planner_summary`: a field left out of
a row must be unset, so a row cannot pass by ignoring what the planner added.
"""

from __future__ import annotations

import re

import pytest

from shared.planner.rules import parse_query
from shared.planner.shorthand import AFTER
from tests.unit.planner_summary import summary

Row = tuple[str, dict[str, str]]

# Issue 14, verbatim, on a TSLA 1D chart (the planner does not see the chart).
ISSUE: list[Row] = [
    ("compare TSLA and RIVN", {"symbol": "TSLA", "cmp": "RIVN"}),
    ("suport and resistence for tesla", {"symbol": "TSLA", "tools": "SR"}),
    ("draw the 200 day", {"tools": "IND", "ind": "SMA:200", "units": "days"}),
    ("show me the 200 day on spy",
     {"symbol": "SPY", "tools": "IND", "ind": "SMA:200", "units": "days"}),
    ("montre-moi le support et la résistance d'Apple", {"symbol": "AAPL", "tools": "SR"}),
    ("soporte y resistencia de apple", {"symbol": "AAPL", "tools": "SR"}),
    ("zoom out", {"zoom": "OUT"}),
    ("zoom in", {"zoom": "IN"}),
    ("undo", {"unsupported": "undo"}),
    ("head and shoulders on qqq?", {"symbol": "QQQ", "tools": "PAT",
     "q": "pattern:HEAD_AND_SHOULDERS", "pat": "HEAD_AND_SHOULDERS"}),
    ("what's the RSI on META right now",
     {"symbol": "META", "tools": "IND", "ind": "RSI", "q": "value:RSI"}),
    ("show me the 50 and 200 day moving averages on spy, golden cross?",
     {"symbol": "SPY", "tools": "IND", "ind": "SMA:50 SMA:200", "units": "days days",
      "q": "cross:golden"}),
    ("show me NVDA weekly with the 50 day moving average",
     {"symbol": "NVDA", "tf": "1W", "tools": "IND", "ind": "SMA:50", "units": "days"}),
    ("TS\u200bLA", {"symbol": "TSLA"}),
    ("load \u202eALST\u202c", {"symbol": "TSLA"}),
    ("load $^", {"unknown": "$^"}),
    ("remove the trendlines", {"tools": "CLR", "clear": "DRAWINGS", "kinds": "TRENDLINES"}),
    ("clear the levels", {"tools": "CLR", "clear": "DRAWINGS", "kinds": "LEVELS"}),
    ("remove the fib", {"tools": "CLR", "clear": "DRAWINGS", "kinds": "FIBONACCI"}),
    ("clear the patterns", {"tools": "CLR", "clear": "DRAWINGS", "kinds": "PATTERNS"}),
    ("remove the rsi", {"tools": "CLR", "clear": "INDICATORS", "kinds": "INDICATOR:RSI"}),
    ("last 3 months", {"range": "lookback 3 month"}),
    ("show me 2024", {"range": "calendar 2024-01-01..2025-01-01"}),
    ("since the March low", {"range": "since low 3"}),
    ("is it in an uptrend", {"tools": "TA", "q": "trend:up"}),
    ("golden cross?", {"tools": "IND", "ind": "SMA:50 SMA:200", "units": "days days",
                       "q": "cross:golden"}),
    ("death cross on spy?", {"symbol": "SPY", "tools": "IND", "ind": "SMA:50 SMA:200",
                             "units": "days days", "q": "cross:death"}),
    ("is it near support", {"tools": "SR", "sides": "support", "q": "near:support"}),
]  # fmt: skip

TYPOS: list[Row] = [
    ("draw suport for nvdia", {"symbol": "NVDA", "tools": "SR", "sides": "support"}),
    ("resistence levels on amazn", {"symbol": "AMZN", "tools": "SR", "sides": "resistance"}),
    ("telsa weekly", {"symbol": "TSLA", "tf": "1W"}),
    ("tesal support and resistance", {"symbol": "TSLA", "tools": "SR"}),
    ("draw a trendlin on microsft", {"symbol": "MSFT", "tools": "TL"}),
    ("fibonaci on bitcon", {"symbol": "BTC-USD", "tools": "FIB"}),
    ("fibonnaci retracement for etherium", {"symbol": "ETH-USD", "tools": "FIB"}),
    ("add the 50 day movng averge", {"tools": "IND", "ind": "SMA:50", "units": "days"}),
    ("bolinger bands on qqq", {"symbol": "QQQ", "tools": "IND", "ind": "BBANDS"}),
    ("expnential moving average 20", {"tools": "IND", "ind": "EMA:20"}),
    ("dialy chart of gogle", {"symbol": "GOOGL", "tf": "1D"}),
    ("weelky nvidia", {"symbol": "NVDA", "tf": "1W"}),
    ("palantr technicals", {"symbol": "PLTR", "tools": "TA"}),
    ("netflx support", {"symbol": "NFLX", "tools": "SR", "sides": "support"}),
    ("coinbse trend lines", {"symbol": "COIN", "tools": "TL"}),
    ("any paterns on spy", {"symbol": "SPY", "tools": "PAT", "q": "pattern:any"}),
    ("technicel analysis for amd", {"symbol": "AMD", "tools": "TA"}),
    ("SUPORT AND RESISTANCE FOR TSLA", {"symbol": "TSLA", "tools": "SR"}),
    ("resistanse for apple", {"symbol": "AAPL", "tools": "SR", "sides": "resistance"}),
    ("suppport for solana", {"symbol": "SOL-USD", "tools": "SR", "sides": "support"}),
    ("crowdstrik levels", {"symbol": "CRWD", "tools": "SR"}),
    ("robinhod 4h", {"symbol": "HOOD", "tf": "4H"}),
    ("bollinger bands for walmrt", {"symbol": "WMT", "tools": "IND", "ind": "BBANDS"}),
    ("trendlines for starbuks", {"symbol": "SBUX", "tools": "TL"}),
    ("overbougth on nvidia?", {"symbol": "NVDA", "tools": "IND TA", "ind": "RSI",
                               "q": "value:RSI"}),
    # ordinary words near a name or keyword stay what they are
    ("apply the 50 sma", {"tools": "IND", "ind": "SMA:50"}),
    ("bands and brands", {}),
    ("the lowest price", {}),
    ("the trend is weakly up", {"tools": "TA"}),
    ("I'd like to see teslas", {"symbol": "TSLA"}),
    ("modern charts are nice", {}),
]  # fmt: skip

LANGUAGES: list[Row] = [
    # Spanish
    ("soporte y resistencia de tesla", {"symbol": "TSLA", "tools": "SR"}),
    ("dibuja una línea de tendencia en nvda", {"symbol": "NVDA", "tools": "TL"}),
    ("media móvil de 50 días en spy",
     {"symbol": "SPY", "tools": "IND", "ind": "SMA:50", "units": "days"}),
    ("muéstrame apple en gráfico semanal", {"symbol": "AAPL", "tf": "1W"}),
    ("tesla diario con la media móvil exponencial de 20",
     {"symbol": "TSLA", "tf": "1D", "tools": "IND", "ind": "EMA:20"}),
    ("borra todo", {"tools": "CLR", "clear": "ALL"}),
    ("quita los indicadores", {"tools": "CLR", "clear": "INDICATORS"}),
    ("resistencias de bitcoin en 4 horas",
     {"symbol": "BTC-USD", "tf": "4H", "tools": "SR", "sides": "resistance"}),
    ("¿está sobrecomprado nvidia?", {"symbol": "NVDA", "tools": "IND TA", "ind": "RSI",
                                     "q": "value:RSI"}),
    ("gráfico de un día de spy", {"symbol": "SPY"}),
    ("fibonacci de amazon mensual", {"symbol": "AMZN", "tf": "1M", "tools": "FIB"}),
    ("compara TSLA con RIVN", {"symbol": "TSLA", "cmp": "RIVN"}),
    # French
    ("montre-moi le support de tesla", {"symbol": "TSLA", "tools": "SR", "sides": "support"}),
    ("trace une ligne de tendance sur apple", {"symbol": "AAPL", "tools": "TL"}),
    ("moyenne mobile 200 jours sur le graphique hebdomadaire",
     {"tf": "1W", "tools": "IND", "ind": "SMA:200", "units": "days"}),
    ("ajoute la moyenne mobile exponentielle de 21", {"tools": "IND", "ind": "EMA:21"}),
    ("efface tout", {"tools": "CLR", "clear": "ALL"}),
    ("supprime les indicateurs", {"tools": "CLR", "clear": "INDICATORS"}),
    ("résistances de microsoft en journalier",
     {"symbol": "MSFT", "tf": "1D", "tools": "SR", "sides": "resistance"}),
    ("niveaux clés du bitcoin", {"symbol": "BTC-USD", "tools": "SR"}),
    ("nvidia en 15 minutes", {"symbol": "NVDA", "tf": "15m"}),
    ("tête et épaules sur qqq ?", {"symbol": "QQQ", "tools": "PAT",
     "q": "pattern:HEAD_AND_SHOULDERS", "pat": "HEAD_AND_SHOULDERS"}),
    # German
    ("Unterstützung und Widerstand für Tesla", {"symbol": "TSLA", "tools": "SR"}),
    ("zeichne eine Trendlinie für Apple", {"symbol": "AAPL", "tools": "TL"}),
    ("zeig mir die 200-Tage-Linie für Nvidia",
     {"symbol": "NVDA", "tools": "IND", "ind": "SMA:200", "units": "days"}),
    ("GD200 auf dem Tageschart von spy",
     {"symbol": "SPY", "tf": "1D", "tools": "IND", "ind": "SMA:200", "units": "days"}),
    ("gleitender Durchschnitt 50 Tage für amazon",
     {"symbol": "AMZN", "tools": "IND", "ind": "SMA:50", "units": "days"}),
    ("Wochenchart von Microsoft", {"symbol": "MSFT", "tf": "1W"}),
    ("lösche die Indikatoren", {"tools": "CLR", "clear": "INDICATORS"}),
    ("entferne alles", {"tools": "CLR", "clear": "ALL"}),
    ("Bitcoin 4 Stunden Widerstand",
     {"symbol": "BTC-USD", "tf": "4H", "tools": "SR", "sides": "resistance"}),
    ("Unterstützung über 200 für Tesla",
     {"symbol": "TSLA", "tools": "SR", "sides": "support"}),
    # Portuguese
    ("suporte e resistência da apple", {"symbol": "AAPL", "tools": "SR"}),
    ("desenha uma linha de tendência no bitcoin", {"symbol": "BTC-USD", "tools": "TL"}),
    ("média móvel de 200 dias da tesla",
     {"symbol": "TSLA", "tools": "IND", "ind": "SMA:200", "units": "days"}),
    ("gráfico diário da nvidia", {"symbol": "NVDA", "tf": "1D"}),
    ("mostre-me a microsoft no semanal", {"symbol": "MSFT", "tf": "1W"}),
    ("limpa tudo", {"tools": "CLR", "clear": "ALL"}),
    ("resistências do ethereum no mensal",
     {"symbol": "ETH-USD", "tf": "1M", "tools": "SR", "sides": "resistance"}),
    ("apaga os indicadores", {"tools": "CLR", "clear": "INDICATORS"}),
    ("o dia de hoje no spy", {"symbol": "SPY"}),
]  # fmt: skip

SHORTHAND: list[Row] = [
    ("the 200 day on qqq", {"symbol": "QQQ", "tools": "IND", "ind": "SMA:200",
                            "units": "days"}),
    ("add the 50", {"tools": "IND", "ind": "SMA:50"}),
    ("add the 20 and the 50", {"tools": "IND", "ind": "SMA:20 SMA:50"}),
    ("is tsla above the 200?", {"symbol": "TSLA", "tools": "IND", "ind": "SMA:200",
                                "q": "value:SMA:200"}),
    ("200dma on spy", {"symbol": "SPY", "tools": "IND", "ind": "SMA:200", "units": "days"}),
    ("50 dma and 200 dma", {"tools": "IND", "ind": "SMA:50 SMA:200", "units": "days days"}),
    ("show the 20, 50 and 200 day", {"tools": "IND", "ind": "SMA:20 SMA:50 SMA:200",
                                     "units": "days days days"}),
    ("NQ levels", {"symbol": "NQ=F", "tools": "SR"}),
    ("ES 5m", {"symbol": "ES=F", "tf": "5m"}),
    ("/es support", {"symbol": "ES=F", "tools": "SR", "sides": "support"}),
    ("/nq on the 1 minute", {"symbol": "NQ=F", "tf": "1m"}),
    ("the daily on nvda", {"symbol": "NVDA", "tf": "1D"}),
    ("nvda on the 1 minute", {"symbol": "NVDA", "tf": "1m"}),
    ("spy 1 minute with vwap", {"symbol": "SPY", "tf": "1m", "tools": "IND", "ind": "VWAP"}),
    ("bounce off the 200 day ma?", {"tools": "IND", "ind": "SMA:200", "units": "days",
                                    "q": "value:SMA:200"}),
    ("the 50% retracement", {"tools": "FIB"}),
    ("price at the 250", {}),
    ("what is the 52 week high", {}),
    ("the 9 and 21 ema on the 5 min", {"tf": "5m", "tools": "IND", "ind": "EMA:9 EMA:21"}),
    ("s/r on /cl", {"symbol": "CL=F", "tools": "SR"}),
]  # fmt: skip

QUESTIONS: list[Row] = [
    ("what is the rsi on tsla?", {"symbol": "TSLA", "tools": "IND", "ind": "RSI",
                                  "q": "value:RSI"}),
    ("rsi value for amd?", {"symbol": "AMD", "tools": "IND", "ind": "RSI", "q": "value:RSI"}),
    ("where's the 200 day on spy", {"symbol": "SPY", "tools": "IND", "ind": "SMA:200",
                                    "units": "days", "q": "value:SMA:200"}),
    ("is nvda in a downtrend?", {"symbol": "NVDA", "tools": "TA", "q": "trend:down"}),
    ("is bitcoin trending up", {"symbol": "BTC-USD", "tools": "TA", "q": "trend:up"}),
    ("uptrend?", {"tools": "TA", "q": "trend:up"}),
    ("which way is the trend on qqq?", {"symbol": "QQQ", "tools": "TA", "q": "trend:any"}),
    ("any golden cross on aapl?", {"symbol": "AAPL", "tools": "IND", "ind": "SMA:50 SMA:200",
                                   "units": "days days", "q": "cross:golden"}),
    ("did spy just have a death cross", {"symbol": "SPY", "tools": "IND",
     "ind": "SMA:50 SMA:200", "units": "days days", "q": "cross:death"}),
    ("is tesla close to resistance?", {"symbol": "TSLA", "tools": "SR",
                                       "sides": "resistance", "q": "near:resistance"}),
    ("how far is it from support?", {"tools": "SR", "sides": "support", "q": "near:support"}),
    ("is msft testing support", {"symbol": "MSFT", "tools": "SR", "sides": "support",
                                 "q": "near:support"}),
    ("is there a double top on netflix?", {"symbol": "NFLX", "tools": "PAT",
     "q": "pattern:DOUBLE_TOP", "pat": "DOUBLE_TOP"}),
    ("inverse head and shoulders on amd?", {"symbol": "AMD", "tools": "PAT",
     "q": "pattern:INVERSE_HEAD_AND_SHOULDERS", "pat": "INVERSE_HEAD_AND_SHOULDERS"}),
    ("any bull flag on COIN?", {"symbol": "COIN", "tools": "PAT", "q": "pattern:BULL_FLAG",
                                "pat": "BULL_FLAG"}),
    ("any patterns on the weekly?", {"tf": "1W", "tools": "PAT", "q": "pattern:any"}),
    ("cup and handle on shopify?", {"symbol": "SHOP", "tools": "PAT",
     "q": "pattern:CUP_AND_HANDLE", "pat": "CUP_AND_HANDLE"}),
    ("draw the head and shoulders on meta", {"symbol": "META", "tools": "PAT",
                                             "pat": "HEAD_AND_SHOULDERS"}),
    ("is it oversold?", {"tools": "IND TA", "ind": "RSI", "q": "value:RSI"}),
    ("what's the macd doing on qqq", {"symbol": "QQQ", "tools": "IND", "ind": "MACD",
                                      "q": "value:MACD"}),
    ("add rsi, is it overbought?", {"tools": "IND TA", "ind": "RSI", "q": "value:RSI"}),
    ("show support on amd, is it near support?", {"symbol": "AMD", "tools": "SR",
     "sides": "support", "q": "near:support"}),
]  # fmt: skip

COMPARE: list[Row] = [
    ("compare apple and microsoft", {"symbol": "AAPL", "cmp": "MSFT"}),
    ("compare with RIVN", {"cmp": "RIVN"}),
    ("compare it to spy", {"cmp": "SPY"}),
    ("TSLA vs RIVN vs LCID", {"symbol": "TSLA", "cmp": "RIVN LCID"}),
    ("tesla versus rivian", {"symbol": "TSLA", "cmp": "RIVN"}),
    ("overlay qqq", {"cmp": "QQQ"}),
    ("how does nvda stack up against amd", {"symbol": "NVDA", "cmp": "AMD"}),
    ("nvidia relative to the s&p 500", {"symbol": "NVDA", "cmp": "SPY"}),
    ("bitcoin vs ethereum weekly", {"symbol": "BTC-USD", "tf": "1W", "cmp": "ETH-USD"}),
    ("compare TSLA and RIVN on the daily", {"symbol": "TSLA", "tf": "1D", "cmp": "RIVN"}),
    ("compare tsla with $RIVN", {"symbol": "TSLA", "cmp": "RIVN"}),
    ("compare coke and pepsi", {"symbol": "KO", "cmp": "PEP"}),
]  # fmt: skip

RANGE_AND_ZOOM: list[Row] = [
    ("show the last 6 months of tsla", {"symbol": "TSLA", "range": "lookback 6 month"}),
    ("past year on spy", {"symbol": "SPY", "range": "lookback 1 year"}),
    ("last 90 days", {"range": "lookback 90 day"}),
    ("the last couple of weeks", {"range": "lookback 2 week"}),
    ("show me march 2024", {"range": "calendar 2024-03-01..2024-04-01"}),
    ("zoom to q1 2023", {"range": "calendar 2023-01-01..2023-04-01"}),
    ("from 2022 to 2024", {"range": "calendar 2022-01-01..2025-01-01"}),
    ("since 2020 on the weekly", {"tf": "1W", "range": "calendar 2020-01-01.."}),
    ("since january", {"range": "since start 1"}),
    ("since the high", {"range": "since high -"}),
    ("nvda ytd", {"symbol": "NVDA", "range": "to_date year"}),
    ("this month on btc", {"symbol": "BTC-USD", "range": "to_date month"}),
    ("gold at 2050 resistance", {"symbol": "GLD", "tools": "SR", "sides": "resistance"}),
    ("zoom out on tsla", {"symbol": "TSLA", "zoom": "OUT"}),
    ("zoom in on the last month", {"range": "lookback 1 month", "zoom": "IN"}),
    ("zoom to fit", {"zoom": "FIT"}),
    ("fit the chart", {"zoom": "FIT"}),
    ("reset the zoom", {"zoom": "FIT"}),
    ("zoom the chart out", {"zoom": "OUT"}),
    ("últimos 3 meses de apple", {"symbol": "AAPL", "range": "lookback 3 month"}),
    ("les 6 derniers mois", {"range": "lookback 6 month"}),
    ("letzten 3 Monate", {"range": "lookback 3 month"}),
]  # fmt: skip

REMOVAL: list[Row] = [
    ("remove the trend lines", {"tools": "CLR", "clear": "DRAWINGS", "kinds": "TRENDLINES"}),
    ("delete support and resistance", {"tools": "CLR", "clear": "DRAWINGS", "kinds": "LEVELS"}),
    ("get rid of the fib levels", {"tools": "CLR", "clear": "DRAWINGS", "kinds": "FIBONACCI"}),
    ("hide the pattern markers", {"tools": "CLR", "clear": "DRAWINGS", "kinds": "PATTERNS"}),
    ("take the macd off", {"tools": "CLR", "clear": "INDICATORS", "kinds": "INDICATOR:MACD"}),
    ("remove the 50 sma", {"tools": "CLR", "clear": "INDICATORS", "kinds": "INDICATOR:SMA"}),
    ("turn off bollinger bands", {"tools": "CLR", "clear": "INDICATORS",
                                  "kinds": "INDICATOR:BBANDS"}),
    ("remove the rsi and the trendlines", {"tools": "CLR", "clear": "ALL",
                                           "kinds": "INDICATOR:RSI TRENDLINES"}),
    ("clear the levels then add the 20 ema", {"tools": "CLR IND", "ind": "EMA:20",
                                              "clear": "DRAWINGS", "kinds": "LEVELS"}),
    ("remove all indicators", {"tools": "CLR", "clear": "INDICATORS"}),
    ("delete the drawings", {"tools": "CLR", "clear": "DRAWINGS"}),
    ("clear everything", {"tools": "CLR", "clear": "ALL"}),
    ("remove the vwap and volume", {"tools": "CLR", "clear": "INDICATORS",
                                    "kinds": "INDICATOR:VWAP INDICATOR:VOLUME"}),
    ("borra las líneas de tendencia", {"tools": "CLR", "clear": "DRAWINGS",
                                       "kinds": "TRENDLINES"}),
    ("supprime le rsi", {"tools": "CLR", "clear": "INDICATORS", "kinds": "INDICATOR:RSI"}),
    ("redo that", {"unsupported": "redo"}),
]  # fmt: skip

UNICODE: list[Row] = [
    ("ＴＳＬＡ ４ｈ", {"symbol": "TSLA", "tf": "4H"}),
    ("N\u200cVDA levels", {"symbol": "NVDA", "tools": "SR"}),
    ("\ufeffAAPL daily", {"symbol": "AAPL", "tf": "1D"}),
    ("sup\u00adport for amd", {"symbol": "AMD", "tools": "SR", "sides": "support"}),
    ("résistance pour NVDA", {"symbol": "NVDA", "tools": "SR", "sides": "resistance"}),
    ("chart \u202eYPS\u202c weekly", {"symbol": "SPY", "tf": "1W"}),
    ("load \u2066TSLA\u2069", {"symbol": "TSLA"}),
    ("load $.", {}),
    ("load zqxv", {"unknown": "zqxv"}),
    ("chart BLORPCO", {"unknown": "BLORPCO"}),
    ("show me tesl", {"unknown": "tesl"}),
    # jargon and platforms are words; an unknown word that only looks like one is loose
    ("support and resistance for intraday", {"tools": "SR"}),
    ("support for daytrading", {"tools": "SR", "sides": "support"}),
    ("support and resistance on tradingview", {"tools": "SR"}),
    ("levels on robinhood", {"tools": "SR"}),
    ("levels for robinhood", {"symbol": "HOOD", "tools": "SR"}),
    ("levels on TOS", {"tools": "SR"}),
    ("support for sunpower", {"tools": "SR", "sides": "support", "loose": "sunpower"}),
    ("support for Sunpower", {"tools": "SR", "sides": "support", "unknown": "Sunpower"}),
    ("load sunpower", {"unknown": "sunpower"}),
    ("draw resistance on teslaa", {"tools": "SR", "sides": "resistance", "unknown": "teslaa"}),
]  # fmt: skip

# Written as a fresh set before the planner was tuned on it: 36 of 40 were right at first
# (wrong: "from 2023 to now", "remove the head and shoulders", "nq 15m vwap", "show me the
# whole history"); those four were fixed, and the whole set is kept here.
HOLDOUT: list[Row] = [
    (
        "put the 21 ema and 50 sma on amd 1h",
        {"symbol": "AMD", "tf": "1H", "tools": "IND", "ind": "EMA:21 SMA:50"},
    ),
    (
        "where's resistance on the qqq weekly?",
        {"symbol": "QQQ", "tf": "1W", "tools": "SR", "sides": "resistance"},
    ),
    (
        "is aapl holding the 50 day?",
        {"symbol": "AAPL", "tools": "IND", "ind": "SMA:50", "units": "days", "q": "value:SMA:50"},
    ),
    ("show me tesla from 2023 to now", {"symbol": "TSLA", "range": "calendar 2023-01-01.."}),
    ("zoom out a bit", {"zoom": "OUT"}),
    ("can you compare nvda to amd and intc", {"symbol": "NVDA", "cmp": "AMD INTC"}),
    (
        "rsi divergence on btc?",
        {"symbol": "BTC-USD", "tools": "IND", "ind": "RSI", "q": "value:RSI"},
    ),
    ("draw fib from the march low", {"tools": "FIB"}),
    ("pull up the 4hr chart for eth", {"symbol": "ETH-USD", "tf": "4H"}),
    (
        "what's the trend on the daily for msft",
        {"symbol": "MSFT", "tf": "1D", "tools": "TA", "q": "trend:any"},
    ),
    (
        "take off the bollinger bands and add vwap",
        {"tools": "CLR IND", "ind": "VWAP", "clear": "INDICATORS", "kinds": "INDICATOR:BBANDS"},
    ),
    ("get rid of all the lines", {"tools": "CLR", "clear": "DRAWINGS"}),
    ("hide the 200 sma", {"tools": "CLR", "clear": "INDICATORS", "kinds": "INDICATOR:SMA"}),
    (
        "show me the last 2 years of spy on the weekly",
        {"symbol": "SPY", "tf": "1W", "range": "lookback 2 year"},
    ),
    (
        "soporte de nvidia en el diario",
        {"symbol": "NVDA", "tf": "1D", "tools": "SR", "sides": "support"},
    ),
    ("ajoute le RSI sur tesla", {"symbol": "TSLA", "tools": "IND", "ind": "RSI"}),
    ("zeig mir den RSI von Apple", {"symbol": "AAPL", "tools": "IND", "ind": "RSI"}),
    ("mostra o suporte da tesla", {"symbol": "TSLA", "tools": "SR", "sides": "support"}),
    ("is meta breaking out?", {"symbol": "META"}),
    (
        "any double bottom on spy daily?",
        {
            "symbol": "SPY",
            "tf": "1D",
            "tools": "PAT",
            "q": "pattern:DOUBLE_BOTTOM",
            "pat": "DOUBLE_BOTTOM",
        },
    ),
    (
        "how close is tsla to the 200 day?",
        {"symbol": "TSLA", "tools": "IND", "ind": "SMA:200", "units": "days", "q": "value:SMA:200"},
    ),
    (
        "remove the head and shoulders",
        {"tools": "CLR", "clear": "DRAWINGS", "kinds": "PATTERNS", "pat": "HEAD_AND_SHOULDERS"},
    ),
    ("ES levels for tomorrow", {"symbol": "ES=F", "tools": "SR"}),
    ("nq 15m vwap", {"symbol": "NQ=F", "tf": "15m", "tools": "IND", "ind": "VWAP"}),
    ("show me 1 minute candles on spy", {"symbol": "SPY", "tf": "1m"}),
    ("clear the fibs", {"tools": "CLR", "clear": "DRAWINGS", "kinds": "FIBONACCI"}),
    ("is the s&p in a downtrend", {"symbol": "SPY", "tools": "TA", "q": "trend:down"}),
    (
        "death cross on the nasdaq?",
        {
            "symbol": "QQQ",
            "tools": "IND",
            "ind": "SMA:50 SMA:200",
            "units": "days days",
            "q": "cross:death",
        },
    ),
    ("SPY vs QQQ since january", {"symbol": "SPY", "cmp": "QQQ", "range": "since start 1"}),
    ("resistnce on amd", {"symbol": "AMD", "tools": "SR", "sides": "resistance"}),
    ("nvda 200dma", {"symbol": "NVDA", "tools": "IND", "ind": "SMA:200", "units": "days"}),
    ("gold vs silver", {"symbol": "GLD", "cmp": "SLV"}),
    (
        "chart RIVN weekly, is it near support?",
        {"symbol": "RIVN", "tf": "1W", "tools": "SR", "sides": "support", "q": "near:support"},
    ),
    ("show me the whole history", {"zoom": "FIT"}),
    (
        "show me the daily for $PLTR with the 9 ema",
        {"symbol": "PLTR", "tf": "1D", "tools": "IND", "ind": "EMA:9"},
    ),
    (
        "what's the 50 day on nvda",
        {"symbol": "NVDA", "tools": "IND", "ind": "SMA:50", "units": "days", "q": "value:SMA:50"},
    ),
    ("draw the channel on tsla", {"symbol": "TSLA", "tools": "TL"}),
    (
        "trend line and support for spy please",
        {"symbol": "SPY", "tools": "SR TL", "sides": "support"},
    ),
    ("ayuda con el soporte de btc", {"symbol": "BTC-USD", "tools": "SR", "sides": "support"}),
    ("entfernen Sie die Trendlinien", {"tools": "CLR", "clear": "DRAWINGS", "kinds": "TRENDLINES"}),
]

ALL_ROWS = ISSUE + TYPOS + LANGUAGES + SHORTHAND + QUESTIONS + COMPARE + RANGE_AND_ZOOM
ALL_ROWS += REMOVAL + UNICODE + HOLDOUT


@pytest.mark.parametrize(("query", "expected"), ALL_ROWS, ids=[q for q, _ in ALL_ROWS])
def test_forgiving_planner(query: str, expected: dict[str, str]):
    assert summary(parse_query(query)) == expected


def test_the_query_set_is_large_enough():
    new_queries = {q for q, _ in ALL_ROWS} - {q for q, _ in ISSUE}
    assert len(new_queries) >= 150


def test_the_newer_fields_are_understood():
    """A request made only of the newer fields (a view, a comparison, "undo", a study the chart
    does not draw, an unknown ticker) is understood: nothing else is asked of it."""
    for query in ("zoom out", "undo", "last 3 months", "compare with RIVN", "load $^",
                  "add the ichimoku cloud"):  # fmt: skip
        assert parse_query(query).understood_anything
    assert not parse_query("tell me a joke").understood_anything


def test_clear_kinds_are_empty_exactly_without_clear():
    for query, _ in ALL_ROWS:
        intent = parse_query(query)
        assert bool(intent.clear_kinds) == (intent.clear is not None), query
        assert len(intent.period_units) == len(intent.indicators), query


def test_shorthand_joining_words_are_listed_once():
    """The words that may follow a shorthand average are one alternation; a word listed twice
    is a copy-paste slip that hides which word was meant to be added."""
    words = re.findall(r"[a-z]+", AFTER.split("(?:", 2)[2])
    assert "at" in words and len(words) == len(set(words))
