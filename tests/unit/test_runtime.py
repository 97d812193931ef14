"""The composition root: a process's objects built once from its settings and handed to the
doors; one error table covering every error code."""

from __future__ import annotations

from typing import get_args

from shared.api.errors import ERRORS
from shared.app.runtime import Runtime
from shared.infra.settings import Settings
from shared.models.errors import ErrorCode


def test_the_doors_share_one_core_built_from_the_runtimes_settings():
    runtime = Runtime(Settings.from_env({"MARKET_DATA_PROVIDER": "sample"}))
    core = runtime.core
    assert core is runtime.core  # built once
    assert core.sessions is runtime.sessions and core.market_data is runtime.market_data
    assert runtime.fallback_planner is None and core.fallback is None
    assert runtime.chart_action_door.keywords["core"] is core


def test_settings_come_from_the_environment_unless_given(monkeypatch):
    monkeypatch.setenv("SESSION_TTL_SECONDS", "60")
    assert Runtime().settings.session_ttl_seconds == 60
    given = Settings.from_env({"SESSION_TTL_SECONDS": "90"})
    assert Runtime(given).sessions is not None and Runtime(given).settings is given


def test_the_token_reaches_the_door_as_a_plain_string():
    runtime = Runtime(Settings.from_env({"CHART_ACTION_TOKEN": "s3cret-token-value"}))
    assert runtime.chart_action_door.keywords["doors"].agent_token == "s3cret-token-value"


def test_every_error_code_has_one_answer():
    assert set(ERRORS) == set(get_args(ErrorCode))
    assert all(rule.retry_after == (rule.status in (503, 504)) for rule in ERRORS.values())
