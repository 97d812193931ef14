"""terraform/ checked statically against the code: `terraform fmt`, and a consistency checker.

The google provider cannot be downloaded on these machines, so `terraform validate` runs only
where it can (`make validate`). Instead `problems(config, code)` compares the parsed HCL
(python-hcl2) with facts read from the code (`CodeFacts.read()`): the functions and their entry
points, every env var each function reads (plain or secret, per `shared.config.env_vars_for`),
the TTL field and collections, SPEC's routes, the runtime and every IAM grant. The tests run it
on the real files, on copies where one side was renamed, and on code facts where the other side
was. Terraform itself evaluates the variables and locals in tests/test_terraform_eval.py; checkov
runs in tests/test_terraform_checkov.py; the make targets and the deploy's secret check are
tested in tests/test_terraform_make.py.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from devtools.build import FUNCTIONS as BUNDLES
from devtools.processes import REPO
from shared.config import Settings, env_vars_for
from shared.market_data.registry import PROVIDERS
from shared.store import TTL_FIELD

TERRAFORM = REPO / "terraform"
SPEC = REPO.parent / "shared" / "SPEC.md"  # the contract lives beside the repo (README links it)
# SPEC section 2, used when SPEC.md is not beside the repo; a test keeps the two equal.
SPEC_ROUTES = {
    "/api/chatkit/update-context": "update_context",
    "/api/chatkit/chart-action": "chart_action",
    "/api/chatkit/mcp": "chart_action",
}
RUNTIME = "python312"
INGRESS = "ALLOW_INTERNAL_AND_GCLB"
ALWAYS_ON_SECRETS = {"CHART_ACTION_TOKEN"}  # SPEC 4: "always in production"
BASIC_ROLES = {"roles/owner", "roles/editor", "roles/viewer"}
ACCESSOR = "roles/secretmanager.secretAccessor"
# Project-level roles per service account resource (google_service_account.<name>): the whole
# allowlist. Everything else is granted on one resource (a secret, a Run service).
PROJECT_ROLES = {
    "fn": {"roles/datastore.user"},
    "build": {
        "roles/logging.logWriter",
        "roles/artifactregistry.writer",
        "roles/storage.objectViewer",
    },
}
# Project roles that must carry an IAM condition naming the one resource they are for.
CONDITIONED_ROLES = {
    "roles/datastore.user": 'resource.name == "projects/${var.project_id}/databases/'
    '${google_firestore_database.main.name}"',
}
TF_ENV = {**os.environ, "TF_CLI_CONFIG_FILE": "/dev/null"}

Config = dict[str, list[Any]]


# --- reading the HCL ------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def parse(text: str) -> dict[str, Any]:
    """One .tf file as python-hcl2 8 dicts, with comment bookkeeping removed."""
    import hcl2  # noqa: PLC0415 - test-only dependency (requirements-dev.txt)
    from hcl2 import SerializationOptions  # noqa: PLC0415

    options = SerializationOptions(strip_string_quotes=True, explicit_blocks=False)
    return strip_meta(hcl2.loads(text, serialization_options=options))


def strip_meta(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: strip_meta(v) for k, v in value.items() if not k.startswith("__")}
    if isinstance(value, list):
        return [strip_meta(v) for v in value]
    return value


def load(directory: Path = TERRAFORM, replace: Mapping[str, str] | None = None) -> Config:
    """Every top-level block of every .tf file, concatenated; `replace` overrides file texts."""
    merged: Config = {}
    for path in sorted(directory.glob("*.tf")):
        text = (replace or {}).get(path.name, path.read_text())
        for kind, blocks in parse(text).items():
            merged.setdefault(kind, []).extend(blocks)
    return merged


def block(value: Any) -> Any:
    """A nested block: python-hcl2 gives `name { ... }` as a list of one dict."""
    return value[0] if isinstance(value, list) and len(value) == 1 else value


@dataclass(frozen=True)
class Tf:
    """Lookups over a parsed configuration."""

    config: Config

    @functools.cached_property
    def locals(self) -> dict[str, Any]:
        return {k: v for blk in self.config.get("locals", []) for k, v in blk.items()}

    @functools.cached_property
    def variables(self) -> dict[str, Any]:
        return {k: v for blk in self.config.get("variable", []) for k, v in blk.items()}

    def resources(self, kind: str, section: str = "resource") -> dict[str, Any]:
        return {
            name: body
            for blk in self.config.get(section, [])
            for name, body in blk.get(kind, {}).items()
        }

    def all_resources(self) -> list[tuple[str, str, dict[str, Any]]]:
        return [
            (kind, name, body)
            for blk in self.config.get("resource", [])
            for kind, named in blk.items()
            for name, body in named.items()
        ]

    def resolve(self, value: Any) -> Any:
        """Follow `local.x` and `merge(local.a, local.b)`; anything else is returned as is."""
        if not isinstance(value, str):
            return value
        if m := re.fullmatch(r"\$\{local\.(\w+)\}", value):
            return self.resolve(self.locals.get(m.group(1)))
        if m := re.fullmatch(r"\$\{merge\(\s*(local\.\w+(?:\s*,\s*local\.\w+)*)\s*\)\}", value):
            parts = [self.resolve(f"${{{ref.strip()}}}") for ref in m.group(1).split(",")]
            if all(isinstance(p, dict) for p in parts):
                return {k: v for part in parts for k, v in part.items()}
        return value

    def variable_default(self, value: str) -> Any:
        """The default of `var.x` / `tostring(var.x)`, or None."""
        m = re.fullmatch(r"\$\{(?:tostring\()?var\.(\w+)\)?\}", value)
        return self.variables.get(m.group(1), {}).get("default") if m else None


def squash(expression: Any) -> str:
    """An expression with its whitespace removed, for comparing references."""
    return re.sub(r"\s+", "", str(expression))


# --- reading the code -----------------------------------------------------------------------


def _decorated_functions(tree: ast.Module) -> set[str]:
    """Top-level functions decorated by functions_framework (its HTTP entry points)."""
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and any("functions_framework" in ast.unparse(d) for d in node.decorator_list)
    }


def _post_routes(tree: ast.Module) -> set[str]:
    """The paths of every `post_routes={...}` dict in the module (the Service's POST routes)."""
    return {
        key.value
        for node in ast.walk(tree)
        if isinstance(node, ast.keyword) and node.arg == "post_routes"
        if isinstance(node.value, ast.Dict)
        for key in node.value.keys
        if isinstance(key, ast.Constant) and isinstance(key.value, str)
    }


def spec_routes() -> dict[str, str]:
    """SPEC section 2's table (production path -> function), from SPEC.md when it is here."""
    if not SPEC.exists():
        return dict(SPEC_ROUTES)
    rows = re.findall(r"^\|\s*`POST (/\S+)`[^|]*\|\s*`(\w+)`", SPEC.read_text(), re.MULTILINE)
    return dict(rows)


def deployed_reader(extra: object) -> bool:
    """A setting read by a function Terraform deploys (a bundle staged for later is not)."""
    return isinstance(extra, dict) and bool(set(extra["used_by"]) & set(BUNDLES))


@dataclass(frozen=True)
class CodeFacts:
    """What Terraform must agree with, read from the code (main.py files parsed, not imported)."""

    functions: tuple[str, ...]  # bundles `make build` writes
    entry_points: dict[str, set[str]]  # function -> HTTP entry points in its main.py
    post_paths: dict[str, set[str]]  # function -> POST paths it serves
    env: dict[str, set[str]]  # function -> plain env vars it reads
    secrets: dict[str, set[str]]  # function -> secret env vars it reads
    ttl_field: str
    collections: dict[str, str]  # env var -> default collection name
    routes: dict[str, str]  # SPEC: production path -> function
    openapi_paths: frozenset[str]
    providers: frozenset[str]

    @classmethod
    def read(cls, functions_dir: Path = REPO / "functions") -> CodeFacts:
        trees = {}
        for name in BUNDLES:
            main_py = functions_dir / name / "main.py"
            trees[name] = ast.parse(main_py.read_text()) if main_py.exists() else ast.Module([], [])
        defaults = Settings()
        return cls(
            functions=tuple(BUNDLES),
            entry_points={n: _decorated_functions(t) for n, t in trees.items()},
            post_paths={n: _post_routes(t) for n, t in trees.items()},
            env={n: set(env_vars_for(n, secret=False)) for n in BUNDLES},
            secrets={n: set(env_vars_for(n, secret=True)) for n in BUNDLES},
            ttl_field=TTL_FIELD,
            collections={
                str(field.alias): str(getattr(defaults, name))
                for name, field in Settings.model_fields.items()
                if name.endswith("_collection") and deployed_reader(field.json_schema_extra)
            },
            routes=spec_routes(),
            openapi_paths=frozenset(json.loads((REPO / "docs/openapi.json").read_text())["paths"]),
            providers=frozenset(PROVIDERS),
        )


# --- the checks -----------------------------------------------------------------------------


def expect(found: list[str], actual: Any, wanted: Any, what: str) -> None:
    """Record `what` when an expression is not the expected one (whitespace ignored)."""
    if squash(actual) != squash(wanted):
        found.append(f"{what}: is {actual!r}, expected {wanted!r}")


def function_problems(tf: Tf, code: CodeFacts) -> list[str]:
    found: list[str] = []
    specs = tf.locals.get("functions", {})
    if set(specs) != set(code.functions):
        found.append(f"local.functions {sorted(specs)} are not the bundles {code.functions}")
    for name, spec in specs.items():
        if spec.get("entry_point") not in code.entry_points.get(name, set()):
            found.append(
                f"function {name}: entry point {spec.get('entry_point')} is not a "
                f"functions_framework function in functions/{name}/main.py"
            )
    resources = tf.resources("google_cloudfunctions2_function")
    if set(resources) != {"fn"}:
        found.append(f"google_cloudfunctions2_function resources {sorted(resources)}: want fn")
    fn = resources.get("fn", {})
    build, service = block(fn.get("build_config", {})), block(fn.get("service_config", {}))
    expect(found, fn.get("for_each"), "${local.functions}", "functions for_each")
    expect(found, build.get("runtime"), RUNTIME, "runtime")
    expect(found, build.get("entry_point"), "${each.value.entry_point}", "entry_point")
    expect(found, service.get("ingress_settings"), INGRESS, "ingress_settings")
    expect(found, service.get("environment_variables"), "${each.value.env}", "environment")
    expect(
        found,
        service.get("service_account_email"),
        "${google_service_account.fn[each.key].email}",
        "runtime service account",
    )
    archive = tf.resources("archive_file", section="data").get("bundle", {})
    expect(found, archive.get("source_dir"), "${path.module}/../build/${each.key}", "bundle dir")
    expect(found, archive.get("for_each"), "${local.functions}", "bundle for_each")
    return found


def _value_problem(tf: Tf, name: str, value: Any) -> str | None:
    """A literal value (or a variable's default) the code's Settings would reject."""
    value = tf.resolve(value)
    if isinstance(value, str) and value.startswith("${"):
        value = tf.variable_default(value)
    if value is None:
        return None
    try:
        Settings.model_validate({name: str(value)})
    except ValidationError as exc:
        return f"env var {name}={value!r} is rejected by shared.config.Settings: {exc.errors()[0]['msg']}"  # noqa: E501
    return None


def env_problems(tf: Tf, code: CodeFacts) -> list[str]:
    found: list[str] = []
    for name, spec in tf.locals.get("functions", {}).items():
        env = tf.resolve(spec.get("env"))
        if not isinstance(env, dict):
            found.append(f"{name}: env {spec.get('env')!r} is not merge(local.<map>, ...)")
            continue
        expected = code.env.get(name, set())
        found += [
            f"{name}: env var {var} read by the code is not set in Terraform"
            for var in sorted(expected - set(env))
        ]
        found += [
            f"{name}: env var {var} set in Terraform is not read by the code"
            for var in sorted(set(env) - expected - code.secrets.get(name, set()))
        ]
        found += [
            f"{name}: secret {var} is set as a plain env var (its value would be in the config)"
            for var in sorted(set(env) & code.secrets.get(name, set()))
        ]
        found += [p for var in sorted(env) if (p := _value_problem(tf, var, env[var]))]
        timeouts = [
            float(v) for k, v in env.items() if k.endswith("_TIMEOUT_SECONDS") and str(v).isdigit()
        ]
        if float(spec.get("timeout", 0)) <= sum(timeouts):
            found.append(
                f"{name}: timeout {spec.get('timeout')} s does not cover its dependency timeouts"
                f" ({sum(timeouts):g} s)"
            )
    return found


def _secret_declaration_problems(tf: Tf, code: CodeFacts) -> list[str]:
    declared = {name: s.get("function") for name, s in tf.locals.get("secrets", {}).items()}
    expected = {secret: fn for fn, names in code.secrets.items() for secret in names}
    found = [
        f"secret {s} read by {fn} is missing in Terraform"
        for s, fn in sorted(expected.items())
        if s not in declared
    ]
    found += [
        f"secret {s} in Terraform is not read by the code"
        for s in sorted(set(declared) - set(expected))
    ]
    found += [
        f"secret {s} is wired to {declared[s]} but {fn} reads it"
        for s, fn in sorted(expected.items())
        if s in declared and declared[s] != fn
    ]  # fmt: skip
    for secret in sorted(ALWAYS_ON_SECRETS & set(declared)):
        if tf.locals["secrets"][secret].get("enabled") is not True:
            found.append(f"secret {secret} must always be enabled (SPEC 4)")
    versions = tf.variables.get("secret_versions", {})
    condition = str(block(versions.get("validation", {})).get("condition", ""))
    listed = set(re.findall(r'"([A-Z][A-Z0-9_]+)"', condition))
    if listed != set(declared):
        found.append(f"var.secret_versions validation lists {sorted(listed)}, not the secrets")
    return found


def secret_problems(tf: Tf, code: CodeFacts) -> list[str]:
    found = _secret_declaration_problems(tf, code)
    expect(
        found,
        tf.locals.get("enabled_secrets"),
        "${{for name, secret in local.secrets : name => secret.function if secret.enabled}}",
        "local.enabled_secrets",
    )
    secret = tf.resources("google_secret_manager_secret").get("secret", {})
    expect(found, secret.get("for_each"), "${local.enabled_secrets}", "secret for_each")
    expect(found, secret.get("secret_id"), "${each.key}", "secret_id")
    if tf.resources("google_secret_manager_secret_version"):
        found.append("a google_secret_manager_secret_version puts a secret value in state")
    service = block(
        tf.resources("google_cloudfunctions2_function").get("fn", {}).get("service_config", {})
    )
    dynamic = {k: v for d in service.get("dynamic", []) for k, v in d.items()}
    wiring = dynamic.get("secret_environment_variables", {})
    expect(
        found,
        wiring.get("for_each"),
        "${{for name, reader in local.enabled_secrets : name => reader if reader == each.key}}",
        "secret_environment_variables for_each (each function gets only its own secrets)",
    )
    content = block(wiring.get("content", {}))
    expect(found, content.get("key"), "${secret_environment_variables.key}", "secret env key")
    expect(
        found,
        content.get("secret"),
        "${google_secret_manager_secret.secret[secret_environment_variables.key].secret_id}",
        "secret env secret",
    )
    if "version" not in content:
        found.append("secret env vars must pin a version")
    return found


def _roles(body: dict[str, Any]) -> list[str]:
    """The role(s) a grant gives: a literal, or each of a `for_each = toset([...])`."""
    role = str(body.get("role", ""))
    if role == "${each.value}":
        return re.findall(r'"([^"]+)"', str(body.get("for_each", "")))
    return [role]


def _grant_problems(kind: str, name: str, body: dict[str, Any]) -> list[str]:
    found = []
    where = f"{kind}.{name}"
    if kind.endswith(("_iam_policy", "_iam_binding")):
        found.append(f"{where}: authoritative IAM (use *_iam_member)")
    for role in _roles(body):
        if role in BASIC_ROLES or "admin" in role.lower():
            found.append(f"{where} grants {role}")
        if role == ACCESSOR and kind != "google_secret_manager_secret_iam_member":
            found.append(f"{where} grants {ACCESSOR} beyond one secret")
        if kind.startswith("google_project_iam"):
            account = re.search(r"google_service_account\.(\w+)", str(body.get("member", "")))
            allowed = PROJECT_ROLES.get(account.group(1), set()) if account else set()
            if role not in allowed:
                found.append(f"{where}: project-wide {role} for {body.get('member')}")
        if role in CONDITIONED_ROLES:
            expression = str(block(body.get("condition", {})).get("expression", ""))
            if squash(expression) != squash(CONDITIONED_ROLES[role]):
                found.append(f"{where}: {role} is not limited to the database by a condition")
    return found


def iam_problems(tf: Tf) -> list[str]:
    found = [
        problem
        for kind, name, body in tf.all_resources()
        if "_iam_" in kind
        for problem in _grant_problems(kind, name, body)
    ]
    reader = tf.resources("google_secret_manager_secret_iam_member").get("reader", {})
    expect(found, reader.get("for_each"), "${local.enabled_secrets}", "secret reader for_each")
    expect(found, reader.get("role"), ACCESSOR, "secret reader role")
    expect(
        found,
        reader.get("secret_id"),
        "${google_secret_manager_secret.secret[each.key].secret_id}",
        "secret reader secret",
    )
    expect(
        found,
        reader.get("member"),
        "serviceAccount:${google_service_account.fn[each.value].email}",
        "secret reader (the function that reads the secret)",
    )
    accounts = tf.resources("google_service_account").get("fn", {})
    expect(
        found, accounts.get("for_each"), "${local.functions}", "one service account per function"
    )
    return found


def ttl_problems(tf: Tf, code: CodeFacts) -> list[str]:
    found: list[str] = []
    field = tf.resolve(tf.locals.get("ttl_field"))
    if field != code.ttl_field:
        found.append(f"TTL field {field} is not the store's {code.ttl_field}")
    ttl = tf.resources("google_firestore_field").get("ttl", {})
    expect(found, ttl.get("for_each"), "${local.ttl_collections}", "TTL for_each")
    expect(found, ttl.get("collection"), "${each.value}", "TTL collection")
    expect(found, ttl.get("field"), "${local.ttl_field}", "TTL field")
    expect(found, ttl.get("database"), "${google_firestore_database.main.name}", "TTL database")
    if "ttl_config" not in ttl or "index_config" not in ttl:
        found.append("google_firestore_field.ttl needs ttl_config {} and index_config {}")
    ttl_collections = {tf.resolve(v) for v in (tf.locals.get("ttl_collections") or {}).values()}
    env = {
        k: tf.resolve(v)
        for spec in tf.locals.get("functions", {}).values()
        for k, v in (tf.resolve(spec.get("env")) or {}).items()
    }
    for var, default in sorted(code.collections.items()):
        if env.get(var, default) not in ttl_collections:
            found.append(f"no TTL policy on collection {env.get(var, default)} ({var})")
        if env.get(var, default) != default:
            found.append(f"{var} is {env.get(var)} in Terraform but {default} in the code")
    return found


def route_problems(tf: Tf, code: CodeFacts) -> list[str]:
    found: list[str] = []
    routes = tf.locals.get("routes", {})
    if routes != code.routes:
        found.append(f"load balancer routes {routes} differ from SPEC {code.routes}")
    for path, function in sorted(routes.items()):
        if path not in code.post_paths.get(function, set()):
            found.append(f"route {path} goes to {function}, which does not serve that path")
    for path in sorted(code.openapi_paths - set(routes)):
        found.append(f"docs/openapi.json path {path} has no load balancer route")
    url_map = tf.resources("google_compute_url_map").get("api", {})
    matcher = block(url_map.get("path_matcher", {}))
    rules = {k: v for d in matcher.get("dynamic", []) for k, v in d.items()}.get("path_rule", {})
    expect(found, rules.get("for_each"), "${local.routes}", "path rules")
    expect(
        found,
        block(rules.get("content", {})).get("service"),
        "${google_compute_backend_service.fn[path_rule.value].id}",
        "path rule backend",
    )
    backend = tf.resources("google_compute_backend_service").get("fn", {})
    expect(
        found,
        block(backend.get("backend", {})).get("group"),
        "${google_compute_region_network_endpoint_group.fn[each.key].id}",
        "backend NEG",
    )
    neg = tf.resources("google_compute_region_network_endpoint_group").get("fn", {})
    expect(
        found,
        block(neg.get("cloud_run", {})).get("service"),
        "${google_cloudfunctions2_function.fn[each.key].name}",
        "NEG service",
    )
    for blk in tf.config.get("output", []):
        for name, body in blk.items():
            for path in re.findall(r"/api/chatkit/[\w-]+", str(body.get("value", ""))):
                if path not in routes:
                    found.append(f"output {name} names {path}, which has no route")
    return found


def provider_problems(tf: Tf, code: CodeFacts) -> list[str]:
    var = tf.variables.get("market_data_provider", {})
    condition = str(block(var.get("validation", {})).get("condition", ""))
    listed = set(re.findall(r'"(\w+)"', condition))
    found = []
    if listed != set(code.providers):
        found.append(
            f"var.market_data_provider allows {sorted(listed)}, "
            f"the code has {sorted(code.providers)}"
        )
    if var.get("default") not in code.providers:
        found.append(f"var.market_data_provider default {var.get('default')} is not a provider")
    return found


CHECKS: tuple[Callable[[Tf, CodeFacts], list[str]], ...] = (
    function_problems,
    env_problems,
    secret_problems,
    lambda tf, code: iam_problems(tf),
    ttl_problems,
    route_problems,
    provider_problems,
)


def problems(config: Config, code: CodeFacts | None = None) -> list[str]:
    """Everything that disagrees between Terraform and the code (empty when they agree)."""
    tf, facts = Tf(config), code or CodeFacts.read()
    return [problem for check in CHECKS for problem in check(tf, facts)]


# --- tests ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def code() -> CodeFacts:
    return CodeFacts.read()


def test_fmt_is_clean():
    result = subprocess.run(
        ["terraform", "fmt", "-check", "-recursive", "-diff", "terraform"],
        cwd=REPO, env=TF_ENV, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, f"run `terraform fmt -recursive terraform`:\n{result.stdout}"


def test_terraform_matches_the_code(code):
    assert problems(load(), code) == []


def test_the_checker_reads_what_it_checks(code):
    """Guard against a checker that passes because it read nothing."""
    tf = Tf(load())
    assert set(tf.locals["functions"]) == {"update_context", "chart_action"}
    for name in code.functions:
        env = tf.resolve(tf.locals["functions"][name]["env"])
        assert set(env) == code.env[name] and code.env[name]
    assert code.secrets["chart_action"] and not code.secrets["update_context"]
    assert code.entry_points == {
        "update_context": {"update_context"},
        "chart_action": {"chart_action"},
    }
    assert code.routes == SPEC_ROUTES
    assert code.collections == {
        "SESSIONS_COLLECTION": Settings().sessions_collection,
        "BARS_CACHE_COLLECTION": Settings().bars_cache_collection,
    }
    assert {tf.resolve(v) for v in tf.locals["ttl_collections"].values()} == set(
        code.collections.values()
    )


@pytest.mark.skipif(not SPEC.exists(), reason="SPEC.md is not beside the repo")
def test_spec_routes_constant_matches_the_spec():
    assert spec_routes() == SPEC_ROUTES


# One side renamed (or widened) in Terraform only: the checker must name it.
TERRAFORM_MUTATIONS = [
    ("env.tf", "SESSION_TTL_SECONDS =", "SESSION_TTL =", "env var SESSION_TTL_SECONDS read by the code is not set"),  # noqa: E501
    ("env.tf", "OPENAI_MODEL ", "OPENAI_MODE ", "env var OPENAI_MODE set in Terraform is not read"),
    ("env.tf", "    ALLOWED_ORIGINS ", "    ALLOWED_ORIGIN ", "chart_action: env var ALLOWED_ORIGINS read by the code"),  # noqa: E501
    ("env.tf", 'OPENAI_TIMEOUT_SECONDS      = "8"', 'OPENAI_TIMEOUT_SECONDS = "8"\n    OPENAI_API_KEY = "sk-test"', "secret OPENAI_API_KEY is set as a plain env var"),  # noqa: E501
    ("env.tf", 'STORE_TIMEOUT_SECONDS = "3"', 'STORE_TIMEOUT_SECONDS = "0"', "STORE_TIMEOUT_SECONDS='0' is rejected"),  # noqa: E501
    ("env.tf", "OPENAI_API_KEY        =", "OPENAI_KEY =", "secret OPENAI_API_KEY read by chart_action is missing"),  # noqa: E501
    ("env.tf", 'CHART_ACTION_TOKEN    = { function = "chart_action"', 'CHART_ACTION_TOKEN    = { function = "update_context"', "wired to update_context but chart_action reads it"),  # noqa: E501
    ("env.tf", 'function = "chart_action", enabled = true', 'function = "chart_action", enabled = var.enable_openai_planner', "CHART_ACTION_TOKEN must always be enabled"),  # noqa: E501
    ("env.tf", '"market_bars"', '"bars"', "BARS_CACHE_COLLECTION is bars in Terraform but market_bars"),  # noqa: E501
    ("database.tf", 'ttl_field = "expires_at"', 'ttl_field = "expire_at"', "TTL field expire_at is not the store's expires_at"),  # noqa: E501
    ("database.tf", "sessions   = local.sessions_collection", 'sessions = "sessions"', "no TTL policy on collection chart_sessions"),  # noqa: E501
    ("database.tf", "  index_config {}\n", "", "needs ttl_config {} and index_config {}"),
    ("functions.tf", 'entry_point = "chart_action"', 'entry_point = "chart_actions"', "entry point chart_actions is not a functions_framework function"),  # noqa: E501
    ("functions.tf", '"python312"', '"python311"', "runtime: is 'python311'"),
    ("functions.tf", "timeout     = 30", "timeout     = 15", "chart_action: timeout 15 s does not cover"),  # noqa: E501
    ("functions.tf", '"ALLOW_INTERNAL_AND_GCLB"', '"ALLOW_ALL"', "ingress_settings"),
    ("functions.tf", "if reader == each.key", "", "each function gets only its own secrets"),
    ("routes.tf", '"/api/chatkit/mcp"            = "chart_action"', '"/api/mcp" = "chart_action"', "differ from SPEC"),  # noqa: E501
    ("routes.tf", '"/api/chatkit/chart-action"   = "chart_action"', '"/api/chatkit/chart-action" = "update_context"', "which does not serve that path"),  # noqa: E501
    ("iam.tf", '"roles/logging.logWriter"', '"roles/editor"', "grants roles/editor"),
    ("iam.tf", '"roles/storage.objectViewer"', '"roles/storage.objectAdmin"', "grants roles/storage.objectAdmin"),  # noqa: E501
    ("iam.tf", '"roles/datastore.user"', '"roles/datastore.viewer"', "project-wide roles/datastore.viewer"),  # noqa: E501
    ("iam.tf", 'expression  = "resource.name', 'expression  = "true || resource.nam', "not limited to the database"),  # noqa: E501
    ("iam.tf", "google_service_account.fn[each.value].email", 'google_service_account.fn["update_context"].email', "secret reader (the function that reads the secret)"),  # noqa: E501
    ("iam.tf", 'resource "google_secret_manager_secret_iam_member" "reader"', 'resource "google_project_iam_member" "reader"', "grants roles/secretmanager.secretAccessor beyond one secret"),  # noqa: E501
    ("variables.tf", 'contains(["sample", "alpaca"]', 'contains(["sample"]', "var.market_data_provider allows ['sample']"),  # noqa: E501
]  # fmt: skip


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    TERRAFORM_MUTATIONS,
    ids=[f"{m[0]}:{m[3][:40]}" for m in TERRAFORM_MUTATIONS],
)
def test_changing_terraform_alone_fails(code, file, old, new, expected):
    text = (TERRAFORM / file).read_text()
    assert text.count(old) == 1, f"{old!r} should occur once in {file}"
    found = problems(load(replace={file: text.replace(old, new)}), code)
    assert any(expected in problem for problem in found), found


def test_changing_the_code_alone_fails(code, tmp_path):
    """The other side: the code renames an env var, a secret, the TTL field, an entry point."""

    def rename(names: dict[str, set[str]], old: str, new: str) -> dict[str, set[str]]:
        return {fn: {new if n == old else n for n in vars_} for fn, vars_ in names.items()}

    renamed = {
        "env var STORE_TIMEOUT read by the code is not set": dataclasses.replace(
            code, env=rename(code.env, "STORE_TIMEOUT_SECONDS", "STORE_TIMEOUT")
        ),
        "secret ALPACA_KEY_ID read by chart_action is missing": dataclasses.replace(
            code, secrets=rename(code.secrets, "ALPACA_API_KEY_ID", "ALPACA_KEY_ID")
        ),
        "TTL field expires_at is not the store's expire_at": dataclasses.replace(
            code, ttl_field="expire_at"
        ),
        "SESSIONS_COLLECTION is chart_sessions in Terraform but sessions": dataclasses.replace(
            code, collections={**code.collections, "SESSIONS_COLLECTION": "sessions"}
        ),
        "differ from SPEC": dataclasses.replace(
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
    original = env_vars_for

    def with_new(function: str, *, secret: bool) -> list[str]:
        extra = ["PLANNER_MODE"] if function == "chart_action" and not secret else []
        return original(function, secret=secret) + extra

    monkeypatch.setattr(f"{__name__}.env_vars_for", with_new)
    found = problems(load(), CodeFacts.read())
    assert "chart_action: env var PLANNER_MODE read by the code is not set in Terraform" in found
