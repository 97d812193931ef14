"""The deploy plumbing that can run here without Google Cloud: the make targets' commands
(dry run) and the secret-version check `make deploy` runs before `terraform apply` (against a
stand-in gcloud)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from devtools.processes import REPO

CHECK_SCRIPT = REPO / "terraform" / "scripts" / "check-secret-versions.sh"

FAKE_GCLOUD = """#!/usr/bin/env bash
# Stand-in for gcloud: `secrets list` prints $FAKE_SECRETS; `secrets versions describe V
# --secret S` answers ENABLED when "S:V" is in $FAKE_ENABLED, else fails like gcloud does.
echo "$*" >> "$FAKE_LOG"
if [[ "$1 $2" == "secrets list" ]]; then printf '%b' "$FAKE_SECRETS"; exit 0; fi
if [[ "$1 $2 $3" == "secrets versions describe" ]]; then
  version="$4"; shift 4
  while [[ $# -gt 0 ]]; do [[ "$1" == --secret ]] && secret="$2"; shift; done
  [[ " $FAKE_ENABLED " == *" $secret:$version "* ]] && { echo ENABLED; exit 0; }
  echo "ERROR: NOT_FOUND" >&2; exit 1
fi
exit 3
"""


# A clean make: not the flags of a `make tf-check` this may run under.
MAKE_ENV = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}


def dry_run(target: str, *flags: str) -> list[str]:
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", *flags, target, "TF_PROJECT=my-project"],
        cwd=REPO, env=MAKE_ENV, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return result.stdout.splitlines()


def position(lines: list[str], needle: str) -> int:
    return next(i for i, line in enumerate(lines) if needle in line)


def test_deploy_builds_creates_secrets_checks_them_then_applies():
    lines = dry_run("deploy")
    order = [
        position(lines, "devtools.build"),
        position(lines, "apply -input=false -target=google_secret_manager_secret.secret"),
        position(lines, 'check-secret-versions.sh "my-project"'),
    ]
    assert order == sorted(order), lines
    assert lines[-1].strip() == "terraform -chdir=terraform apply -input=false", lines


@pytest.mark.parametrize(
    ("target", "needles"),
    [
        ("plan", ["devtools.build", "terraform -chdir=terraform plan -input=false -out=tfplan"]),
        ("destroy", ["terraform -chdir=terraform destroy"]),
        ("validate", ["init -input=false -backend=false", "terraform -chdir=terraform validate"]),
        ("tf-schema", [".venv/bin/python -m devtools.terraform.refresh_schema"]),
        ("tf-check", ["fmt -check -recursive", "checkov --skip-download", "tests/unit/test_terraform_"]),  # noqa: E501
    ],
)  # fmt: skip
def test_make_targets(target, needles):
    lines = dry_run(target)
    for needle in needles:
        assert any(needle in line for line in lines), (needle, lines)


def test_install_creates_the_checkov_venv():
    """`make install` (which `make test` and CI run) builds .venv-checkov when its pins change."""
    lines = "\n".join(dry_run("install", "-W", "requirements-checkov.txt"))
    assert "-m venv .venv-checkov" in lines
    assert (
        ".venv-checkov/bin/pip install -q --disable-pip-version-check -r requirements-checkov.txt"
        in lines
    )
    assert "touch .venv-checkov/.installed" in lines


@pytest.fixture
def gcloud(tmp_path: Path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "gcloud"
    fake.write_text(FAKE_GCLOUD)
    fake.chmod(0o755)
    log = tmp_path / "gcloud.log"

    def run(secrets: str, enabled: str, project: str = "my-project"):
        env = {
            **os.environ,
            "PATH": f"{bin_dir}:{os.environ['PATH']}",
            "FAKE_SECRETS": secrets,
            "FAKE_ENABLED": enabled,
            "FAKE_LOG": str(log),
        }
        result = subprocess.run(
            [str(CHECK_SCRIPT), project], env=env, capture_output=True, text=True, check=False
        )
        return result, log.read_text() if log.exists() else ""

    return run


def test_secret_check_passes_when_every_pinned_version_exists(gcloud):
    result, log = gcloud(
        "CHART_ACTION_TOKEN\t1\\nOPENAI_API_KEY\t2\\n", "CHART_ACTION_TOKEN:1 OPENAI_API_KEY:2"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok       OPENAI_API_KEY version 2" in result.stdout
    assert "--project my-project --filter labels.app=chart-control" in log


def test_secret_check_names_the_missing_version_and_the_command(gcloud):
    result, _ = gcloud("CHART_ACTION_TOKEN\t1\\nALPACA_API_KEY_ID\t1\\n", "CHART_ACTION_TOKEN:1")
    assert result.returncode == 1
    assert "MISSING  ALPACA_API_KEY_ID version 1" in result.stdout
    assert "gcloud secrets versions add NAME --project my-project --data-file=-" in result.stderr


def test_secret_check_fails_when_no_secret_exists_yet(gcloud):
    result, _ = gcloud("", "")
    assert result.returncode == 1 and "no chart-control secrets" in result.stderr


def test_secret_check_needs_a_project(gcloud):
    result, _ = gcloud("", "", project="")
    assert result.returncode == 2 and "usage" in result.stderr
