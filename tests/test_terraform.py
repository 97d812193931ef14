"""Terraform, checked statically: fmt, consistency with the code, and checkov."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

import devtools.terraform_check as check
from devtools.processes import REPO

TF_ENV = {**os.environ, "TF_CLI_CONFIG_FILE": "/dev/null"}
CHECKOV = REPO / ".venv-checkov" / "bin" / "checkov"


def test_fmt_is_clean():
    result = subprocess.run(
        ["terraform", "fmt", "-check", "-recursive", "terraform"],
        cwd=REPO, env=TF_ENV, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, f"terraform fmt would change: {result.stdout}"


def test_terraform_matches_the_code():
    assert check.problems(check.load()) == []


def mutated(tmp_path, file: str, old: str, new: str):
    copy = tmp_path / "terraform"
    shutil.copytree(check.TERRAFORM, copy)
    text = (copy / file).read_text()
    assert old in text, f"{old!r} not in {file}"
    (copy / file).write_text(text.replace(old, new, 1))
    return check.problems(check.load(copy))


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("env.tf", "SESSION_TTL_SECONDS =", "SESSION_TTL =", "SESSION_TTL_SECONDS read by"),
        ("env.tf", "OPENAI_MODEL ", "OPENAI_MODE ", "env var OPENAI_MODE set in Terraform"),
        ("env.tf", "OPENAI_API_KEY        =", "OPENAI_KEY =", "secret OPENAI_API_KEY missing"),
        ("database.tf", 'ttl_field = "expires_at"', 'ttl_field = "expire_at"', "field expire_at"),
        ("env.tf", '"market_bars"', '"bars"', "no TTL policy on collection market_bars"),
        ("functions.tf", 'entry_point = "chart_action"', 'entry_point = "chart_actions"',
         "entry point chart_actions not in main.py"),
        ("functions.tf", '"python312"', '"python311"', "is not python312"),
        ("routes.tf", '"/api/chatkit/mcp"', '"/api/mcp"', "differ from SPEC"),
        ("iam.tf", '"roles/logging.logWriter"', '"roles/editor"', "grants roles/editor"),
        ("iam.tf", '"roles/datastore.user"', '"roles/datastore.owner"', "broader than needed"),
    ],
)  # fmt: skip
def test_renaming_one_side_only_fails(tmp_path, file, old, new, expected):
    found = mutated(tmp_path, file, old, new)
    assert any(expected in problem for problem in found), found


def test_renaming_in_the_code_only_fails(monkeypatch):
    original = check.env_vars_for

    def renamed(function: str, *, secret: bool) -> list[str]:
        names = original(function, secret=secret)
        return ["STORE_TIMEOUT" if n == "STORE_TIMEOUT_SECONDS" else n for n in names]

    monkeypatch.setattr(check, "env_vars_for", renamed)
    found = check.problems(check.load())
    assert any("STORE_TIMEOUT read by the code is not set" in p for p in found), found
    monkeypatch.setattr(check, "TTL_FIELD", "expiry")
    assert any("TTL field expires_at" in p for p in check.problems(check.load()))


def test_checkov_passes_with_documented_skips():
    assert CHECKOV.exists(), "run `make install` (it creates .venv-checkov)"
    result = subprocess.run(
        [str(CHECKOV), "-d", "terraform", "--skip-download", "-o", "json"],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    report = json.loads(result.stdout)
    summary = report["summary"]
    assert summary["failed"] == 0, [c["check_id"] for c in report["results"]["failed_checks"]]
    assert summary["passed"] > 10 and summary["parsing_errors"] == 0
    assert summary["skipped"] == len(report["results"]["skipped_checks"])
    for skipped in report["results"]["skipped_checks"]:
        assert len(skipped["check_result"].get("suppress_comment", "")) > 30, skipped["check_id"]
