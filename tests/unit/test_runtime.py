"""The process-wide objects: one holder, rebuilt for tests with `reset_runtime`; one error
table covering every error code."""

from __future__ import annotations

from typing import get_args

import pytest

from shared.api.errors import ERRORS
from shared.infra.runtime import Runtime, reset_runtime, runtime
from shared.infra.settings import Settings
from shared.models.errors import ErrorCode


def test_reset_rebuilds_from_the_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SESSION_TTL_SECONDS", "60")
    reset_runtime()
    try:
        first = runtime()
        assert first is runtime() and first.settings.session_ttl_seconds == 60
        monkeypatch.setenv("SESSION_TTL_SECONDS", "90")
        reset_runtime()
        assert runtime() is not first and runtime().settings.session_ttl_seconds == 90
    finally:
        reset_runtime()


def test_a_test_can_install_its_own_runtime():
    mine = Runtime(Settings.from_env({"MARKET_DATA_PROVIDER": "sample"}))
    reset_runtime(mine)
    try:
        assert runtime() is mine and runtime().fallback_planner is None
    finally:
        reset_runtime()


def test_every_error_code_has_one_answer():
    assert set(ERRORS) == set(get_args(ErrorCode))
    assert all(rule.retry_after == (rule.status in (503, 504)) for rule in ERRORS.values())
