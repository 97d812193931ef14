"""The number check (`shared.llm.facts`) on real answers of the action core: a model sentence
keeps only numbers the answer computed (within the rounding it shows), and no forecast or
advice; everything else is replaced by our sentence."""

from __future__ import annotations

import pytest

from shared.core.action import plan_chart_action
from shared.llm.facts import Facts, checked, facts_of
from shared.models.action import ChartActionRequest, ChartActionResponse
from shared.models.context import StoredContext
from tests.helpers import sample_provider

OURS = "OUR SENTENCE."


def answer(query: str) -> ChartActionResponse:
    stored = StoredContext(symbol="TSLA", timeframe="1D", updated_at="2026-11-24T00:00:00Z")
    return plan_chart_action(ChartActionRequest(query=query), stored, sample_provider())


@pytest.fixture(scope="module")
def technical() -> tuple[ChartActionResponse, Facts]:
    response = answer("technical analysis")
    return response, facts_of([response])


def test_our_own_numbers_pass_at_any_rounding_shown(technical):
    response, facts = technical
    support = response.data.levels.support[0]
    sma_20 = response.data.analysis.sma_20
    for text in (
        f"Support is at {support:.2f}.",
        f"Support is near {support:.1f}, about {round(support)}.",
        f"The 20-day SMA is {sma_20:.2f} and RSI 14 reads {response.data.analysis.rsi_14:.0f}.",
        "On the 1D chart the trend is down.",
    ):
        assert checked(text, facts, OURS, "test").text == text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Support is at 238.40 and resistance at 262.90.", "number"),
        ("Support is at 238.40 and resistance at 262.90; buy now.", "advice"),
        ("Support is near 95 and resistance near 99, buy the dip.", "advice"),
        ("It will double by Friday.", "forecast"),
        ("TSLA could reach the 200.89 resistance soon.", "forecast"),
        ("My price target is the resistance.", "forecast"),
        ("Jetzt kaufen, der Support hält.", "advice"),
        ("Support sits 12.5% below.", "number"),
    ],
)
def test_a_sentence_with_a_foreign_number_a_forecast_or_advice_is_replaced(technical, text, kind):
    _, facts = technical
    result = checked(text, facts, OURS, "test")
    assert result.text == OURS and result.replaced == (kind,)


def test_only_the_bad_sentences_go_and_ours_comes_once(technical):
    response, facts = technical
    support = response.data.levels.support[0]
    text = f"Support is at {support:.2f}. Buy it now. Resistance is at 999.99."
    result = checked(text, facts, OURS, "test")
    assert result.text == f"Support is at {support:.2f}. {OURS}"
    assert result.replaced == ("advice", "number")


def test_dates_of_the_bars_and_a_range_are_facts():
    response = answer("last 3 months")
    facts = facts_of([response])
    start = response.text.split("(")[-1].split(" to ")[0]  # 2026-09-04, our own text
    assert checked(f"The chart shows {start} on.", facts, OURS, "t").replaced == ()
    assert checked("The chart shows 1999-01-02 on.", facts, OURS, "t").replaced == ("number",)


def test_a_trade_plans_target_is_ours_to_quote():
    response = answer("trade plan for TSLA")
    facts = facts_of([response])
    entry, target = (c.split(":")[1] for c in response.chart_commands[:2])
    text = f"The long plan enters at {entry} with a target of {target}."
    assert checked(text, facts, OURS, "t").text == text
