"""terraform/'s variables and locals evaluated by Terraform itself, offline.

`terraform console` needs no provider for variables and locals, so a scratch module made of
variables.tf plus every `locals` block (the one resource attribute they read, the database name,
stood in by the variable it comes from) shows what a real plan would compute: each function's
environment, checked against `shared.infra.settings.Settings`; which secrets each function gets
under each feature switch; the TTL collections; and that the variable validations accept the example
tfvars and refuse bad values.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from devtools.terraform.cli import terraform
from devtools.terraform.code_facts import settings_module
from devtools.terraform.hcl import TERRAFORM, Tf, load
from shared.chat.thread_store import ITEMS

Settings = settings_module().Settings
env_vars_for = settings_module().env_vars_for

# Resource attributes the locals read, and the variable each one equals.
STAND_INS = {"google_firestore_database.main.name": "var.firestore_database"}
pytestmark = pytest.mark.skipif(not shutil.which("terraform"), reason="terraform not installed")


def secret_filter(function: str) -> str:
    """functions.tf's per-function secret filter, with `each.key` set to one function."""
    service = Tf(load()).resources("google_cloudfunctions2_function")["fn"]["service_config"][0]
    dynamic = {k: v for d in service["dynamic"] for k, v in d.items()}
    expression = dynamic["secret_environment_variables"]["for_each"]
    return expression.removeprefix("${").removesuffix("}").replace("each.key", f'"{function}"')


@pytest.fixture(scope="module")
def module(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("tf-eval")
    shutil.copy(TERRAFORM / "variables.tf", root)
    blocks = []
    for path in sorted(TERRAFORM.glob("*.tf")):
        blocks += re.findall(r"(?ms)^locals \{\n.*?^\}\n", path.read_text())
    text = "\n".join(blocks)
    for attribute, variable in STAND_INS.items():
        text = text.replace(attribute, variable)
    leftover = re.findall(r"\bgoogle_\w+\.\w+", text)
    assert not leftover, f"locals read {leftover}: add a stand-in to STAND_INS"
    (root / "locals.tf").write_text(text)
    return root


def evaluate(module: Path, expression: str, tfvars: str | None = None, **variables: Any):
    """jsonencode(expression) in the module, with the example tfvars unless told otherwise."""
    example = (TERRAFORM / "terraform.tfvars.example").read_text()
    (module / "terraform.tfvars").write_text(example if tfvars is None else tfvars)
    args = [f"-var={name}={value}" for name, value in variables.items()]
    result = terraform("console", *args, cwd=module, stdin=f"jsonencode({expression})\n")
    errors = re.sub(r"\x1b\[[0-9;]*m", "", result.stderr)
    if result.returncode != 0 or "Error:" in errors:  # console prints a refused variable, exits 0
        return errors or result.stdout
    return json.loads(json.loads(result.stdout.strip().splitlines()[-1]))


def everything(module: Path, **variables: Any) -> dict[str, Any]:
    functions = ("update_context", "chart_action", "chatkit")
    secrets = ", ".join(f"{fn} = {secret_filter(fn)}" for fn in functions)
    expression = (
        "{env = {for name, fn in local.functions : name => fn.env}, "
        f"secrets = {{{secrets}}}, ttl = local.ttl_collections, field = local.ttl_field}}"
    )
    found = evaluate(module, expression, **variables)
    assert isinstance(found, dict), found
    return found


def test_each_function_gets_the_environment_the_code_reads(module):
    found = everything(module)
    for function, env in found["env"].items():
        assert set(env) == set(env_vars_for(function, secret=False)), function
        settings = Settings.from_env(env)  # every value as the function will parse it
        assert settings.allowed_origins == ("https://app.example.com",)
        assert settings.sessions_collection == Settings().sessions_collection
    assert Settings.from_env(found["env"]["update_context"]).session_ttl_seconds == 43200
    assert found["env"]["chart_action"]["MARKET_DATA_PROVIDER"] == "sample"
    assert found["field"] == "expires_at"
    assert set(found["ttl"].values()) == {
        Settings().sessions_collection,
        Settings().bars_cache_collection,
        Settings().chatkit_threads_collection,
        ITEMS,
        Settings().model_budget_collection,
    }


@pytest.mark.parametrize(
    ("variables", "chart_action_secrets"),
    [
        ({}, {"CHART_ACTION_TOKEN"}),
        ({"enable_openai_planner": "true"}, {"CHART_ACTION_TOKEN", "OPENAI_API_KEY"}),
        (
            {"market_data_provider": "alpaca"},
            {"CHART_ACTION_TOKEN", "ALPACA_API_KEY_ID", "ALPACA_API_SECRET_KEY"},
        ),
        (
            {"market_data_provider": "alpaca", "enable_openai_planner": "true"},
            set(env_vars_for("chart_action", secret=True)),  # every secret the code can read
        ),
    ],
)
def test_secrets_follow_the_feature_switches(module, variables, chart_action_secrets):
    found = everything(module, **variables)
    assert set(found["secrets"]["chart_action"]) == chart_action_secrets
    assert found["secrets"]["update_context"] == {}
    assert set(found["secrets"]["chatkit"]) == chart_action_secrets - {"CHART_ACTION_TOKEN"}
    env = Settings.from_env(found["env"]["chart_action"])
    assert env.market_data_provider == variables.get("market_data_provider", "sample")


def test_the_example_tfvars_pass_validation_with_every_option(module):
    options = (TERRAFORM / "terraform.tfvars.example").read_text()
    options = re.sub(r"(?m)^# (\w+ +=)", r"\1", options)  # uncomment the optional settings
    found = evaluate(module, "local.enabled_secrets", tfvars=options)
    assert found == {
        name: sorted(
            fn for fn in ("chart_action", "chatkit") if name in env_vars_for(fn, secret=True)
        )
        for name in env_vars_for("chart_action", secret=True)
    }


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("project_id", "My_Project"),
        ("domain", "https://chart.example.com"),
        ("allowed_origins", '["https://app.example.com/"]'),
        ("allowed_origins", "[]"),
        ("session_ttl_seconds", "30"),
        ("min_instances", "11"),
        ("min_instances", "-1"),
        ("min_instances", "1.5"),
        ("max_instances", "0"),
        ("market_data_provider", "yahoo"),
        ("secret_versions", '{CHART_ACTION_TOKEN = "latest"}'),
        ("secret_versions", '{OPENAI_KEY = "1"}'),
        ("firestore_database", "Chart"),
        ("log_level", "TRACE"),
    ],
)
def test_variable_validation_refuses(module, variable, value):
    message = evaluate(module, "local.enabled_secrets", **{variable: value})
    assert isinstance(message, str) and "Invalid value for variable" in message, message
    assert f'variable "{variable}"' in message


def test_min_instances_scales_to_zero_unless_the_deployer_chooses_warm_instances(module):
    """A cost choice offered beside the measured cold start (docs/benchmarks.md): 0 unless set,
    and every function's service takes it."""
    assert evaluate(module, "var.min_instances") == 0  # the example leaves it unset
    assert evaluate(module, "var.min_instances", min_instances="2") == 2
    service = Tf(load()).resources("google_cloudfunctions2_function")["fn"]["service_config"][0]
    assert service["min_instance_count"] == "${var.min_instances}"
