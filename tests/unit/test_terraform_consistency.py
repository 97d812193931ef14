"""terraform/ checked against the code by devtools.terraform.consistency, and `terraform fmt`.

The checker runs on the real files, on edited copies where Terraform alone changed, and on code
facts where the code alone changed: each planted disagreement must be named.
"""

from __future__ import annotations

import dataclasses
import shutil

import pytest

from devtools.processes import REPO
from devtools.terraform.cli import terraform
from devtools.terraform.code_facts import CodeFacts, contract_routes, settings_module
from devtools.terraform.consistency import problems
from devtools.terraform.hcl import Tf, edited, load
from shared.chat.thread_store import ITEMS


@pytest.fixture(scope="module")
def code() -> CodeFacts:
    return CodeFacts.read()


def test_fmt_is_clean():
    result = terraform("fmt", "-check", "-recursive", "-diff", "terraform", cwd=REPO)
    assert result.returncode == 0, f"run `terraform fmt -recursive terraform`:\n{result.stdout}"


def test_terraform_matches_the_code(code):
    assert problems(load(), code) == []


def test_the_checker_reads_what_it_checks(code):
    """Guard against a checker that passes because it read nothing."""
    tf = Tf(load())
    assert set(tf.locals["functions"]) == {"update_context", "chart_action", "chatkit"}
    for name in code.functions:
        env = tf.resolve(tf.locals["functions"][name]["env"])
        assert set(env) == code.env[name] and code.env[name]
    assert code.secrets["chart_action"] and not code.secrets["update_context"]
    assert code.entry_points == {
        "update_context": {"update_context"},
        "chart_action": {"chart_action"},
        "chatkit": {"chatkit"},
    }
    assert code.routes == CONTRACT_ROUTES
    defaults = settings_module().Settings()
    assert code.collections == {
        "SESSIONS_COLLECTION": defaults.sessions_collection,
        "BARS_CACHE_COLLECTION": defaults.bars_cache_collection,
        "CHATKIT_THREADS_COLLECTION": defaults.chatkit_threads_collection,
        "MODEL_BUDGET_COLLECTION": defaults.model_budget_collection,
    }
    assert {tf.resolve(v) for v in tf.locals["ttl_collections"].values()} == {
        *code.collections.values(),
        ITEMS,  # the threads' items subcollection, a collection group of its own
    }


# docs/contract.md's route table as a reader sees it: the checker must read exactly this.
CONTRACT_ROUTES = {
    "/api/chatkit/update-context": "update_context",
    "/api/chatkit/chart-document": "update_context",
    "/api/chatkit/chart-action": "chart_action",
    "/api/chatkit/mcp": "chart_action",
    "/api/chatkit/bars": "chart_action",
    "/api/chatkit": "chatkit",
}


def test_the_route_table_comes_from_the_contract_in_the_repository(tmp_path):
    """Nothing outside the repository is read; a row edited in the contract changes the facts."""
    assert contract_routes() == CONTRACT_ROUTES
    edited_contract = tmp_path / "contract.md"
    text = (REPO / "docs" / "contract.md").read_text()
    edited_contract.write_text(text.replace("`POST /api/chatkit/mcp`", "`POST /api/mcp`"))
    assert "/api/mcp" in contract_routes(edited_contract)


# One side renamed (or widened) in Terraform only: the checker must name it.
TERRAFORM_MUTATIONS = [
    ("env.tf", "SESSION_TTL_SECONDS =", "SESSION_TTL =", "env var SESSION_TTL_SECONDS read by the code is not set"),  # noqa: E501
    ("env.tf", "OPENAI_MODEL ", "OPENAI_MODE ", "env var OPENAI_MODE set in Terraform is not read"),
    ("env.tf", "    ALLOWED_ORIGINS ", "    ALLOWED_ORIGIN ", "chart_action: env var ALLOWED_ORIGINS read by the code"),  # noqa: E501
    ("env.tf", 'OPENAI_TIMEOUT_SECONDS      = "8"', 'OPENAI_TIMEOUT_SECONDS = "8"\n    OPENAI_API_KEY = "sk-test"', "secret OPENAI_API_KEY is set as a plain env var"),  # noqa: E501
    ("env.tf", 'STORE_TIMEOUT_SECONDS = "3"', 'STORE_TIMEOUT_SECONDS = "0"', "STORE_TIMEOUT_SECONDS='0' is rejected"),  # noqa: E501
    ("env.tf", "OPENAI_API_KEY        =", "OPENAI_KEY =", "secret OPENAI_API_KEY read by ['chart_action', 'chatkit'] is missing"),  # noqa: E501
    ("env.tf", 'CHART_ACTION_TOKEN    = { functions = ["chart_action"]', 'CHART_ACTION_TOKEN    = { functions = ["update_context"]', "wired to ['update_context'] but ['chart_action'] read it"),  # noqa: E501
    ("env.tf", 'functions = ["chart_action"], enabled = true', 'functions = ["chart_action"], enabled = var.enable_openai_planner', "CHART_ACTION_TOKEN must always be enabled"),  # noqa: E501
    ("env.tf", '"market_bars"', '"bars"', "BARS_CACHE_COLLECTION is bars in Terraform but market_bars"),  # noqa: E501
    ("database.tf", 'ttl_field = "expires_at"', 'ttl_field = "expire_at"', "TTL field expire_at is not the store's expires_at"),  # noqa: E501
    ("database.tf", "sessions   = local.sessions_collection", 'sessions = "sessions"', "no TTL policy on collection chart_sessions"),  # noqa: E501
    ("database.tf", "  index_config {}\n", "", "needs ttl_config {} and index_config {}"),
    ("functions.tf", 'entry_point = "chart_action"', 'entry_point = "chart_actions"', "entry point chart_actions is not a functions_framework function"),  # noqa: E501
    ("functions.tf", '"python312"', '"python311"', "runtime: is 'python311'"),
    ("functions.tf", "timeout     = 30", "timeout     = 15", "chart_action: timeout 15 s does not cover"),  # noqa: E501
    ("functions.tf", '"ALLOW_INTERNAL_AND_GCLB"', '"ALLOW_ALL"', "ingress_settings"),
    ("functions.tf", " if contains(readers, each.key)", "", "each function gets only its own secrets"),  # noqa: E501
    ("routes.tf", '"/api/chatkit/mcp"            = "chart_action"', '"/api/mcp" = "chart_action"', "differ from the contract"),  # noqa: E501
    ("routes.tf", "google_compute_security_policy.edge[each.key].id", 'google_compute_security_policy.edge["chart_action"].id', "backend security policy (one per function)"),  # noqa: E501
    ("routes.tf", '"/api/chatkit/chart-action"   = "chart_action"', '"/api/chatkit/chart-action" = "update_context"', "which does not serve that path"),  # noqa: E501
    ("iam.tf", 'toset(["roles/logging.logWriter"])', 'toset(["roles/editor"])', "grants roles/editor"),  # noqa: E501
    ("iam.tf", '["roles/logging.logWriter"]', '["roles/logging.logWriter", "roles/storage.objectAdmin"]', "grants roles/storage.objectAdmin"),  # noqa: E501
    ("iam.tf", '["roles/logging.logWriter"]', '["roles/logging.logWriter", "roles/run.developer"]', "project-wide roles/run.developer"),  # noqa: E501
    ("iam.tf", '["roles/logging.logWriter"]', '["roles/logging.logWriter", "roles/run.builder"]', "project-wide roles/run.builder"),  # noqa: E501
    ("iam.tf", '["roles/logging.logWriter"]', '["roles/logging.logWriter", "roles/artifactregistry.writer"]', "project-wide roles/artifactregistry.writer"),  # noqa: E501
    ("iam.tf", 'resource.name.startsWith(\\"projects/_/buckets/gcf-v2-sources-\\")', 'resource.name.startsWith(\\"projects/_/buckets/\\")', "roles/storage.objectViewer is not limited"),  # noqa: E501
    ("iam.tf", "repository = google_artifact_registry_repository.functions.name", 'repository = "gcf-artifacts"', "repository (the functions' own)"),  # noqa: E501
    ("functions.tf", "    docker_repository = google_artifact_registry_repository.functions.id\n", "", "docker_repository: is None"),  # noqa: E501
    ("functions.tf", "timeout     = 120", "timeout     = 60", "chatkit: timeout 60 s is not well above its turn budget"),  # noqa: E501
    ("env.tf", 'CHATKIT_TURN_SECONDS       = "20"', 'CHATKIT_TURN_SECONDS       = "60"', "chatkit: timeout 120 s is not well above its turn budget"),  # noqa: E501
    ("variables.tf", 'contains(["update_context", "chart_action", "chatkit"], function)', 'contains(["chart_action"], function)', "var.rate_limits_per_minute validation allows ['chart_action']"),  # noqa: E501
    ("iam.tf", '"roles/datastore.user"', '"roles/datastore.viewer"', "project-wide roles/datastore.viewer"),  # noqa: E501
    ("iam.tf", 'expression  = "resource.name ==', 'expression  = "true || resource.name ==', "not limited to the database"),  # noqa: E501
    ("iam.tf", "google_service_account.fn[each.value.function].email", 'google_service_account.fn["update_context"].email', "secret reader (each function that reads the secret)"),  # noqa: E501
    ("iam.tf", 'resource "google_secret_manager_secret_iam_member" "reader"', 'resource "google_project_iam_member" "reader"', "grants roles/secretmanager.secretAccessor beyond one secret"),  # noqa: E501
    ("variables.tf", 'contains(["sample", "alpaca"]', 'contains(["sample"]', "var.market_data_provider allows ['sample']"),  # noqa: E501
]  # fmt: skip


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    TERRAFORM_MUTATIONS,
    ids=[f"{m[0]}:{m[3][:40]}" for m in TERRAFORM_MUTATIONS],
)
def test_changing_terraform_alone_fails(code, file, old, new, expected):
    found = problems(load(replace=edited(file, old, new)), code)
    assert any(expected in problem for problem in found), found


def test_changing_the_code_alone_fails(code, tmp_path):
    """The other side: the code renames an env var, a secret, the TTL field, an entry point."""

    def rename(names: dict[str, set[str]], old: str, new: str) -> dict[str, set[str]]:
        return {fn: {new if n == old else n for n in vars_} for fn, vars_ in names.items()}

    renamed = {
        "env var STORE_TIMEOUT read by the code is not set": dataclasses.replace(
            code, env=rename(code.env, "STORE_TIMEOUT_SECONDS", "STORE_TIMEOUT")
        ),
        "secret ALPACA_KEY_ID read by ['chart_action', 'chatkit'] is missing": dataclasses.replace(
            code, secrets=rename(code.secrets, "ALPACA_API_KEY_ID", "ALPACA_KEY_ID")
        ),
        "TTL field expires_at is not the store's expire_at": dataclasses.replace(
            code, ttl_field="expire_at"
        ),
        "SESSIONS_COLLECTION is chart_sessions in Terraform but sessions": dataclasses.replace(
            code, collections={**code.collections, "SESSIONS_COLLECTION": "sessions"}
        ),
        "differ from the contract": dataclasses.replace(
            code, routes={**code.routes, "/api/chatkit/levels": "chart_action"}
        ),
        "var.market_data_provider allows": dataclasses.replace(
            code, providers=code.providers | {"polygon"}
        ),
    }
    # An entry point renamed in a real copy of main.py (parsed, as the checker always does).
    shutil.copytree(REPO / "functions", tmp_path / "functions")
    main_py = tmp_path / "functions" / "update_context" / "main.py"
    main_py.write_text(main_py.read_text().replace("def update_context(", "def handle("))
    renamed["entry point update_context is not a functions_framework function"] = CodeFacts.read(
        tmp_path / "functions"
    )
    config = load()
    for expected, facts in renamed.items():
        found = problems(config, facts)
        assert any(expected in problem for problem in found), (expected, found)


def test_a_variable_added_to_the_code_only_fails(code, monkeypatch):
    """A new Settings field read by chart_action and not wired in Terraform."""
    settings = settings_module()
    original = settings.env_vars_for

    def with_new(function: str, *, secret: bool) -> list[str]:
        extra = ["PLANNER_MODE"] if function == "chart_action" and not secret else []
        return original(function, secret=secret) + extra

    monkeypatch.setattr(settings, "env_vars_for", with_new)
    found = problems(load(), CodeFacts.read())
    assert "chart_action: env var PLANNER_MODE read by the code is not set in Terraform" in found
