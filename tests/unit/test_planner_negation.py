"""Negation and scope, single turn, in every language the planner speaks (issue 22).

A request that says what not to draw ("but no", "without", "except", "only", "don't" and their
equivalents), a removal verb ("get rid of", "ditch", "quita", "enlève", "weg mit", "tire"), a
family ("the moving averages" are the SMA and the EMA, "the oscillators" the RSI and the MACD),
a clear that keeps something ("clear everything but keep the levels"), and the words for the
two sides of the levels. Each row runs through the action core on a TSLA 1D chart (sample bars
on a pinned clock) and states the whole answer: the commands the page gets (a price-bearing
command by its verb, the rest whole, in order, without repeats) and `data.ignored`; whatever
is ignored must be named in the text too. Nothing in a removal row may add anything.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shared.core.action import plan_chart_action
from shared.market_data.sample import SampleProvider
from shared.models.action import ChartActionRequest, ChartActionResponse
from shared.models.context import StoredContext

SAMPLE = SampleProvider(clock=lambda: datetime(2026, 12, 2, tzinfo=UTC).timestamp())
PRICED = {"SUPPORT", "RESISTANCE", "TRENDLINE", "FIBONACCI", "PATTERN", "RANGE", "ENTRY",
          "TARGET", "STOPLOSS"}  # fmt: skip
SR = ["SUPPORT", "RESISTANCE"]
TA = ["ANALYZE:TECHNICAL", "SUPPORT", "RESISTANCE"]
TA_SUPPORT = ["ANALYZE:TECHNICAL", "SUPPORT"]
AVERAGES = ["CLEAR:INDICATOR:SMA", "CLEAR:INDICATOR:EMA"]
OSCILLATORS = ["CLEAR:INDICATOR:RSI", "CLEAR:INDICATOR:MACD"]
ALL_BUT_LEVELS = ["CLEAR:TRENDLINES", "CLEAR:FIBONACCI", "CLEAR:PATTERNS", "CLEAR:INDICATORS"]
STOCHASTIC = ["indicator stochastic"]

Row = tuple[str, list[str], list[str]]  # request, commands, ignored

ENGLISH: list[Row] = [
    ("draw support and resistance but no trendlines", SR, []),
    ("draw support but not resistance", ["SUPPORT"], []),
    ("show me the technicals without the moving averages", TA, []),
    ("get rid of the moving averages", AVERAGES, []),
    ("ditch the moving averages", AVERAGES, []),
    ("no more moving averages", AVERAGES, []),
    ("i don't want the moving averages anymore", AVERAGES, []),
    ("remove the RSI", ["CLEAR:INDICATOR:RSI"], []),
    ("remove the oscillators", OSCILLATORS, []),
    ("hide the volume", ["CLEAR:INDICATOR:VOLUME"], []),
    ("only support", ["SUPPORT"], []),
    ("draw support and resistance only", SR, []),
    ("don't draw trendlines, just fibonacci", ["FIBONACCI"], []),
    ("fibonacci without the trendline", ["FIBONACCI"], []),
    ("technical analysis but no resistance", TA_SUPPORT, []),
    ("analyze it but don't draw any levels", ["ANALYZE:TECHNICAL"], []),
    ("clear everything but keep the levels", ALL_BUT_LEVELS, []),
    ("clear the chart but leave the indicators", ["CLEAR:DRAWINGS"], []),
    ("remove all drawings except the trendline",
     ["CLEAR:LEVELS", "CLEAR:FIBONACCI", "CLEAR:PATTERNS"], []),
    ("add the 50 day moving average, not the ema", ["INDICATOR:SMA:50"], []),
    ("add the 20 ema without the rsi", ["INDICATOR:EMA:20"], []),
    ("just the 50 day, not the 200", ["INDICATOR:SMA:50"], []),
    ("support and resistance for AAPL, no indicators", ["LOAD:AAPL", *SR], []),
    ("support and resistance and the stochastic", SR, STOCHASTIC),
    ("add the ichimoku cloud", [], ["indicator ichimoku"]),
    # a second round, written after the first passed
    ("levels please, skip the trendlines", SR, []),
    ("support and resistance, leave out the fib", SR, []),
    ("show me resistance only", ["RESISTANCE"], []),
    ("nothing but support", ["SUPPORT"], []),
    ("don't remove the levels, just the trendlines", ["TRENDLINE"], []),
    ("lose the rsi and the macd", OSCILLATORS, []),
    ("the moving averages can go", AVERAGES, []),
    ("i no longer want the rsi", ["CLEAR:INDICATOR:RSI"], []),
    ("add the rsi but not the macd", ["INDICATOR:RSI"], []),
    ("show me the trend without drawing anything", ["ANALYZE:TECHNICAL"], []),
    ("compare with QQQ but no indicators", ["COMPARE:QQQ"], []),
    ("clear the chart, don't touch the indicators", ["CLEAR:DRAWINGS"], []),
    ("remove the stochastic", [], STOCHASTIC),
    # a third round
    ("draw support and resistance for NVDA, but skip the fibonacci", ["LOAD:NVDA", *SR], []),
    ("add bollinger bands and rsi but leave out the macd",
     ["INDICATOR:BBANDS", "INDICATOR:RSI"], []),
    ("show me levels on the weekly without trendlines", ["TIMEFRAME:1W", *SR], []),
    ("chart AAPL with the 200 day but without the 50 day", ["LOAD:AAPL", "INDICATOR:SMA:200"], []),
    ("put the ema on, not the sma", ["INDICATOR:EMA"], []),
    ("erase the fib but keep the trendline", ["CLEAR:FIBONACCI"], []),
    ("remove everything but the comparisons", ["CLEAR:DRAWINGS", "CLEAR:INDICATORS"], []),
    ("delete the patterns and trendlines but not the levels",
     ["CLEAR:PATTERNS", "CLEAR:TRENDLINES"], []),
    # the page removes both sides of the levels and every period of an indicator together
    ("remove the resistance", ["CLEAR:LEVELS"], ["remove resistance only"]),
    ("remove support but keep resistance", ["CLEAR:LEVELS", "RESISTANCE"], []),
    ("remove the moving averages but keep the 200 day", ["CLEAR:INDICATOR:EMA"],
     ["keep SMA 200 only"]),
]  # fmt: skip

SPANISH: list[Row] = [
    ("dibuja soportes y resistencias pero sin líneas de tendencia", SR, []),
    ("dibuja soporte pero no resistencia", ["SUPPORT"], []),
    ("análisis técnico sin las medias móviles", TA, []),
    ("quita las medias móviles", AVERAGES, []),
    ("deshazte de las medias móviles", AVERAGES, []),
    ("ya no quiero las medias móviles", AVERAGES, []),
    ("elimina el RSI", ["CLEAR:INDICATOR:RSI"], []),
    ("quita los osciladores", OSCILLATORS, []),
    ("solo soporte", ["SUPPORT"], []),
    ("no dibujes líneas de tendencia, solo fibonacci", ["FIBONACCI"], []),
    ("análisis técnico pero sin resistencia", TA_SUPPORT, []),
    ("borra todo excepto los niveles", ALL_BUT_LEVELS, []),
    ("añade la media móvil de 50 días, no la EMA", ["INDICATOR:SMA:50"], []),
    ("apoyo y resistencia", SR, []),
    ("pisos y techos", SR, []),
    ("soporte y resistencia y el estocástico", SR, STOCHASTIC),
    ("dibuja solamente la resistencia", ["RESISTANCE"], []),
    ("muéstrame soportes, no resistencias", ["SUPPORT"], []),
    ("sin indicadores, solo niveles", SR, []),
    ("quita todo menos las medias móviles",
     ["CLEAR:DRAWINGS", "CLEAR:INDICATOR:RSI", "CLEAR:INDICATOR:MACD", "CLEAR:INDICATOR:BBANDS",
      "CLEAR:INDICATOR:VWAP", "CLEAR:INDICATOR:VOLUME"], []),
    ("muestra los niveles de AAPL pero no las líneas de tendencia", ["LOAD:AAPL", *SR], []),
    ("pon el RSI pero no el MACD", ["INDICATOR:RSI"], []),
    ("quiero solo la media de 200", ["INDICATOR:SMA:200"], []),
    ("borra las líneas pero deja los indicadores", ["CLEAR:DRAWINGS"], []),
    ("saca el volumen", ["CLEAR:INDICATOR:VOLUME"], []),
    ("quita la resistencia", ["CLEAR:LEVELS"], ["remove resistance only"]),
]  # fmt: skip

FRENCH: list[Row] = [
    ("dessine les supports et résistances mais pas de lignes de tendance", SR, []),
    ("trace le support mais pas la résistance", ["SUPPORT"], []),
    ("analyse technique sans les moyennes mobiles", TA, []),
    ("enlève les moyennes mobiles", AVERAGES, []),
    ("débarrasse-toi des moyennes mobiles", AVERAGES, []),
    ("je ne veux plus les moyennes mobiles", AVERAGES, []),
    ("supprime le RSI", ["CLEAR:INDICATOR:RSI"], []),
    ("retire les oscillateurs", OSCILLATORS, []),
    ("seulement le support", ["SUPPORT"], []),
    ("ne montre que la résistance", ["RESISTANCE"], []),
    ("ne dessine pas de lignes de tendance, juste les fibonacci", ["FIBONACCI"], []),
    ("analyse technique mais sans résistance", TA_SUPPORT, []),
    ("efface tout sauf les niveaux", ALL_BUT_LEVELS, []),
    ("ajoute la moyenne mobile 50 jours, pas l'EMA", ["INDICATOR:SMA:50"], []),
    ("planchers et plafonds", SR, []),
    ("support et résistance et le stochastique", SR, STOCHASTIC),
    ("n'affiche que les supports", ["SUPPORT"], []),
    ("pas de moyennes mobiles", AVERAGES, []),
    ("je ne veux pas de lignes de tendance", ["CLEAR:TRENDLINES"], []),
    ("trace les niveaux sans le fibonacci", SR, []),
    ("ajoute le RSI mais pas le MACD", ["INDICATOR:RSI"], []),
    ("je veux uniquement les résistances", ["RESISTANCE"], []),
    ("efface les lignes mais garde les indicateurs", ["CLEAR:DRAWINGS"], []),
    ("supprime tout sauf les comparaisons", ["CLEAR:DRAWINGS", "CLEAR:INDICATORS"], []),
    ("enlève le support mais garde la résistance", ["CLEAR:LEVELS", "RESISTANCE"], []),
]  # fmt: skip

GERMAN: list[Row] = [
    ("zeichne Unterstützung und Widerstand, aber keine Trendlinien", SR, []),
    ("zeichne Unterstützung, aber nicht den Widerstand", ["SUPPORT"], []),
    ("technische Analyse ohne die gleitenden Durchschnitte", TA, []),
    ("entferne die gleitenden Durchschnitte", AVERAGES, []),
    ("weg mit den gleitenden Durchschnitten", AVERAGES, []),
    ("ich will die gleitenden Durchschnitte nicht mehr", AVERAGES, []),
    ("lösche den RSI", ["CLEAR:INDICATOR:RSI"], []),
    ("entferne die Oszillatoren", OSCILLATORS, []),
    ("blende das Volumen aus", ["CLEAR:INDICATOR:VOLUME"], []),
    ("nur Unterstützung", ["SUPPORT"], []),
    ("zeichne keine Trendlinien, nur Fibonacci", ["FIBONACCI"], []),
    ("technische Analyse, aber ohne Widerstand", TA_SUPPORT, []),
    ("lösche alles außer den Niveaus", ALL_BUT_LEVELS, []),
    ("füge die 50-Tage-Linie hinzu, nicht den EMA", ["INDICATOR:SMA:50"], []),
    ("Unterstützungs- und Widerstandslinien", SR, []),
    ("zeige Unterstützung und Widerstandslinie", SR, []),
    ("Unterstützung und Widerstand und der Stochastik", SR, STOCHASTIC),
    ("zeige nur den Widerstand", ["RESISTANCE"], []),
    ("keine gleitenden Durchschnitte mehr", AVERAGES, []),
    ("nimm den RSI raus", ["CLEAR:INDICATOR:RSI"], []),
    ("entferne alles außer den Trendlinien",
     ["CLEAR:LEVELS", "CLEAR:FIBONACCI", "CLEAR:PATTERNS", "CLEAR:INDICATORS"], []),
    ("zeige die Niveaus ohne Fibonacci", SR, []),
    ("füge den RSI hinzu, aber nicht den MACD", ["INDICATOR:RSI"], []),
    ("ich möchte nur die Widerstände sehen", ["RESISTANCE"], []),
    ("lösche die Linien, aber behalte die Indikatoren", ["CLEAR:DRAWINGS"], []),
    ("entferne das Volumen", ["CLEAR:INDICATOR:VOLUME"], []),
    ("entferne die Unterstützung, aber behalte den Widerstand", ["CLEAR:LEVELS", "RESISTANCE"],
     []),
]  # fmt: skip

PORTUGUESE: list[Row] = [
    ("desenhe suportes e resistências mas sem linhas de tendência", SR, []),
    ("desenha o suporte mas não a resistência", ["SUPPORT"], []),
    ("análise técnica sem as médias móveis", TA, []),
    ("remova as médias móveis", AVERAGES, []),
    ("livre-se das médias móveis", AVERAGES, []),
    ("não quero mais as médias móveis", AVERAGES, []),
    ("tire o RSI", ["CLEAR:INDICATOR:RSI"], []),
    ("remova os osciladores", OSCILLATORS, []),
    ("só suporte", ["SUPPORT"], []),
    ("apenas a resistência", ["RESISTANCE"], []),
    ("não desenhe linhas de tendência, só fibonacci", ["FIBONACCI"], []),
    ("análise técnica mas sem resistência", TA_SUPPORT, []),
    ("apague tudo exceto os níveis", ALL_BUT_LEVELS, []),
    ("adicione a média móvel de 50 dias, não a EMA", ["INDICATOR:SMA:50"], []),
    ("apoio e resistência", SR, []),
    ("pisos e tetos", SR, []),
    ("suporte e resistência e o estocástico", SR, STOCHASTIC),
    ("mostre apenas os suportes", ["SUPPORT"], []),
    ("sem médias móveis, só suporte e resistência", SR, []),
    ("não quero linhas de tendência", ["CLEAR:TRENDLINES"], []),
    ("remova tudo menos os indicadores", ["CLEAR:DRAWINGS"], []),
    ("mostre os níveis sem o fibonacci", SR, []),
    ("adicione o RSI mas não o MACD", ["INDICATOR:RSI"], []),
    ("quero só as resistências", ["RESISTANCE"], []),
    ("apague as linhas mas mantenha os indicadores", ["CLEAR:DRAWINGS"], []),
    ("tire o volume", ["CLEAR:INDICATOR:VOLUME"], []),
    ("remova a resistência", ["CLEAR:LEVELS"], ["remove resistance only"]),
]  # fmt: skip

TABLES = {"en": ENGLISH, "es": SPANISH, "fr": FRENCH, "de": GERMAN, "pt": PORTUGUESE}
ROWS = [
    pytest.param(query, commands, ignored, id=f"{lang}: {query}")
    for lang, rows in TABLES.items()
    for query, commands, ignored in rows
]


def ask(query: str) -> ChartActionResponse:
    stored = StoredContext(symbol="TSLA", timeframe="1D", updated_at="2026-12-01T00:00:00Z")
    return plan_chart_action(ChartActionRequest(query=query), stored, SAMPLE)


def shown(lines: list[str]) -> list[str]:
    """The commands in order without repeats: a price-bearing one by its verb."""
    heads = [line.split(":")[0] if line.split(":")[0] in PRICED else line for line in lines]
    return list(dict.fromkeys(heads))


@pytest.mark.parametrize(("query", "commands", "ignored"), ROWS)
def test_negation_and_scope(query: str, commands: list[str], ignored: list[str]) -> None:
    answer = ask(query)
    assert (shown(answer.chart_commands), answer.data.ignored) == (commands, ignored)
    for item in ignored:
        assert item.split()[1].lower() in answer.text.lower(), answer.text
    if commands and all(c.startswith("CLEAR") for c in commands):
        assert answer.data.tools_used == ["clear"]
    assert "could not map" not in answer.text


def test_every_language_has_a_table() -> None:
    from shared.planner.wordlists import LANGUAGES  # noqa: PLC0415

    assert set(TABLES) == set(LANGUAGES)
    assert all(len(rows) >= 15 for rows in TABLES.values())
