"""Terraform compared with the code: `problems(config, code)` names every disagreement.

The functions and their entry points, every env var each function reads (plain or secret, per
the settings module's `env_vars_for`), the TTL field and collections, the contract's routes, the
runtime, the market data providers, the per-function variable maps, and every IAM grant
against an allowlist. tests/unit/test_terraform_consistency.py runs it on the real files, on
edited copies, and on code facts where one side was renamed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from devtools.terraform.code_facts import CodeFacts, settings_module
from devtools.terraform.hcl import Config, Tf, block, squash

RUNTIME = "python312"
INGRESS = "ALLOW_INTERNAL_AND_GCLB"
ALWAYS_ON_SECRETS = {"CHART_ACTION_TOKEN"}  # SPEC 4: "always in production"
BASIC_ROLES = {"roles/owner", "roles/editor", "roles/viewer"}
ACCESSOR = "roles/secretmanager.secretAccessor"
# Project-level roles per service account resource (google_service_account.<name>): the whole
# allowlist. Everything else is granted on one resource (a secret, a Run service).
PROJECT_ROLES = {
    "fn": {"roles/datastore.user"},
    # A gen2 build's account: build logs (project-only), and the source read limited by a
    # condition (CONDITIONED_ROLES); the image repository is granted on the repository.
    "build": {"roles/logging.logWriter", "roles/storage.objectViewer"},
}
# Project roles that must carry an IAM condition naming the resources they are for.
CONDITIONED_ROLES = {
    "roles/datastore.user": 'resource.name == "projects/${var.project_id}/databases/'
    '${google_firestore_database.main.name}"',
    "roles/storage.objectViewer": 'resource.name.startsWith("projects/_/buckets/gcf-v2-sources-")',
}
# The one image repository of the deployment: the functions build into it, the build account
# writes to it and to no other.
REPOSITORY = "${google_artifact_registry_repository.functions.id}"
# A function whose turn has its own budget (the env var) must time out well after it: at
# least TURN_HEADROOM times the budget plus its dependency timeouts, so the turn's own error
# event, and the writes after it, come before the platform's cut.
TURN_BUDGET_VAR = "CHATKIT_TURN_SECONDS"
TURN_HEADROOM = 2
# Variables that map a function name to a value: their validation must list exactly the
# functions (a third function is one more key).
PER_FUNCTION_VARIABLES = ("rate_limits_per_minute",)


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
    expect(found, build.get("docker_repository"), REPOSITORY, "docker_repository")
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
        settings_module().Settings.model_validate({name: str(value)})
    except ValidationError as exc:
        reason = exc.errors()[0]["msg"]
        return f"env var {name}={value!r} is rejected by the code's Settings: {reason}"
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
        found += _turn_budget_problems(name, spec, env, sum(timeouts))
    return found


def _turn_budget_problems(name: str, spec: dict[str, Any], env: dict[str, Any], deps: float):
    """The platform's cut comes well after the turn's own budget and the calls around it."""
    budget = env.get(TURN_BUDGET_VAR)
    if budget is None or not str(budget).replace(".", "", 1).isdigit():
        return []
    wanted = TURN_HEADROOM * (float(budget) + deps)
    if float(spec.get("timeout", 0)) < wanted:
        return [
            f"{name}: timeout {spec.get('timeout')} s is not well above its turn budget"
            f" ({TURN_BUDGET_VAR}={budget} s plus {deps:g} s of dependencies; want {wanted:g} s)"
        ]
    return []


def concurrency_problems(tf: Tf, code: CodeFacts) -> list[str]:
    """Each WSGI function's concurrency and server threads (THREADS) are the code's number: a
    thread serves one request, so fewer threads queue requests behind a slow dependency."""
    found = []
    specs = tf.locals.get("functions", {})
    for name, wanted in code.concurrency.items():
        spec = specs.get(name, {})
        if str(spec.get("concurrency")) != str(wanted):
            found.append(f"{name}: concurrency {spec.get('concurrency')}, the code says {wanted}")
        threads = (tf.resolve(spec.get("env")) or {}).get("THREADS")
        if str(threads) != str(wanted):
            found.append(f"{name}: THREADS {threads} is not its concurrency {wanted}")
    return found


def _validation_names(tf: Tf, variable: str, pattern: str) -> set[str]:
    """The quoted names a variable's validation condition lists (its allowed keys)."""
    validation = block(tf.variables.get(variable, {}).get("validation", {}))
    return set(re.findall(pattern, str(validation.get("condition", ""))))


def per_function_variable_problems(tf: Tf, code: CodeFacts) -> list[str]:
    functions = set(tf.locals.get("functions", {}))
    found = []
    for variable in PER_FUNCTION_VARIABLES:
        if variable not in tf.variables:
            found.append(f"var.{variable} is missing")
            continue
        listed = _validation_names(tf, variable, r'"([a-z][a-z0-9_]*)"')
        if listed != functions:
            found.append(
                f"var.{variable} validation allows {sorted(listed)}, "
                f"the functions are {sorted(functions)}"
            )
    return found


def _secret_declaration_problems(tf: Tf, code: CodeFacts) -> list[str]:
    declared = {
        name: frozenset(s.get("functions", [])) for name, s in tf.locals.get("secrets", {}).items()
    }
    expected: dict[str, frozenset[str]] = {}
    for fn, names in code.secrets.items():
        for secret in names:
            expected[secret] = expected.get(secret, frozenset()) | {fn}
    found = [
        f"secret {s} read by {sorted(fns)} is missing in Terraform"
        for s, fns in sorted(expected.items())
        if s not in declared
    ]
    found += [
        f"secret {s} in Terraform is not read by the code"
        for s in sorted(set(declared) - set(expected))
    ]
    found += [
        f"secret {s} is wired to {sorted(declared[s])} but {sorted(fns)} read it"
        for s, fns in sorted(expected.items())
        if s in declared and declared[s] != fns
    ]  # fmt: skip
    for secret in sorted(ALWAYS_ON_SECRETS & set(declared)):
        if tf.locals["secrets"][secret].get("enabled") is not True:
            found.append(f"secret {secret} must always be enabled (SPEC 4)")
    listed = _validation_names(tf, "secret_versions", r'"([A-Z][A-Z0-9_]+)"')
    if listed != set(declared):
        found.append(f"var.secret_versions validation lists {sorted(listed)}, not the secrets")
    return found


def secret_problems(tf: Tf, code: CodeFacts) -> list[str]:
    found = _secret_declaration_problems(tf, code)
    expect(
        found,
        tf.locals.get("enabled_secrets"),
        "${{for name, secret in local.secrets : name => secret.functions if secret.enabled}}",
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
        "${{for name, readers in local.enabled_secrets : "
        "name => name if contains(readers, each.key)}}",
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
        if role in CONDITIONED_ROLES and kind.startswith("google_project_iam"):
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
    expect(found, reader.get("for_each"), "${local.secret_readers}", "secret reader for_each")
    expect(found, reader.get("role"), ACCESSOR, "secret reader role")
    expect(
        found,
        reader.get("secret_id"),
        "${google_secret_manager_secret.secret[each.value.secret].secret_id}",
        "secret reader secret",
    )
    expect(
        found,
        reader.get("member"),
        "serviceAccount:${google_service_account.fn[each.value.function].email}",
        "secret reader (each function that reads the secret)",
    )
    for kind, name, body in tf.all_resources():
        if kind.startswith("google_artifact_registry_repository_iam"):
            expect(
                found,
                body.get("repository"),
                "${google_artifact_registry_repository.functions.name}",
                f"{kind}.{name} repository (the functions' own)",
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
        found.append(f"load balancer routes {routes} differ from the contract {code.routes}")
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
    # Cloud Armor counts a rate limit per backend: each backend has its own function's policy.
    expect(
        found,
        backend.get("security_policy"),
        "${google_compute_security_policy.edge[each.key].id}",
        "backend security policy (one per function)",
    )
    policy = tf.resources("google_compute_security_policy").get("edge", {})
    expect(found, policy.get("for_each"), "${local.functions}", "one security policy per function")
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
    listed = _validation_names(tf, "market_data_provider", r'"(\w+)"')
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
    concurrency_problems,
    secret_problems,
    lambda tf, code: iam_problems(tf),
    ttl_problems,
    route_problems,
    provider_problems,
    per_function_variable_problems,
)


def problems(config: Config, code: CodeFacts | None = None) -> list[str]:
    """Everything that disagrees between Terraform and the code (empty when they agree)."""
    tf, facts = Tf(config), code or CodeFacts.read()
    return [problem for check in CHECKS for problem in check(tf, facts)]
