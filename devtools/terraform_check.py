"""Static consistency checks between terraform/ and the code (the google provider cannot be
downloaded here, so `terraform validate` runs only where it can: `make validate`).

`problems(config)` takes the parsed HCL of every .tf file and returns what disagrees with the
code: entry points, environment variables per function, secrets, the TTL field and collections,
the public routes, runtime and IAM roles. Tests run it on the real files and on mutated copies.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

from devtools.processes import REPO
from shared.config import Settings, env_vars_for
from shared.store import TTL_FIELD

TERRAFORM = REPO / "terraform"
SPEC_ROUTES = {
    "/api/chatkit/update-context": "update_context",
    "/api/chatkit/chart-action": "chart_action",
    "/api/chatkit/mcp": "chart_action",
}
FORBIDDEN_ROLES = {"roles/owner", "roles/editor"}
PROJECT_ROLES = {"roles/datastore.user", "roles/logging.logWriter"}
REF = re.compile(r"^\$\{local\.(\w+)\}$")


def load(directory: Path = TERRAFORM) -> dict[str, list[Any]]:
    """Every top-level block type of every .tf file, concatenated."""
    import hcl2  # noqa: PLC0415 - test-only dependency
    from hcl2 import SerializationOptions  # noqa: PLC0415

    options = SerializationOptions(strip_string_quotes=True, explicit_blocks=False)
    merged: dict[str, list[Any]] = {}
    for path in sorted(directory.glob("*.tf")):
        for kind, blocks in hcl2.loads(path.read_text(), serialization_options=options).items():
            if not kind.startswith("__"):
                merged.setdefault(kind, []).extend(blocks)
    return merged


def block(value: Any) -> Any:
    """A nested block: python-hcl2 gives a list of one for `name { ... }`."""
    return value[0] if isinstance(value, list) and len(value) == 1 else value


def locals_of(config: dict[str, list[Any]]) -> dict[str, Any]:
    return {k: v for block in config.get("locals", []) for k, v in block.items()}


def resources(config: dict[str, list[Any]], kind: str) -> dict[str, Any]:
    return {
        name: body
        for block in config.get("resource", [])
        for name, body in block.get(kind, {}).items()
    }


def _function_names(main_py: Path) -> set[str]:
    tree = ast.parse(main_py.read_text())
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


def entry_point_problems(local: dict[str, Any]) -> list[str]:
    found = []
    for name, spec in local["functions"].items():
        main_py = REPO / "functions" / name / "main.py"
        if not main_py.exists():
            found.append(f"function {name}: no functions/{name}/main.py")
        elif spec["entry_point"] not in _function_names(main_py):
            found.append(f"function {name}: entry point {spec['entry_point']} not in main.py")
    return found


def env_problems(local: dict[str, Any]) -> list[str]:
    found = []
    common = set(local["common_env"])
    for function in ("update_context", "chart_action"):
        declared = common | set(local[f"{function}_only_env"])
        expected = set(env_vars_for(function, secret=False))
        for name in sorted(expected - declared):
            found.append(f"{function}: env var {name} read by the code is not set in Terraform")
        for name in sorted(declared - expected):
            found.append(f"{function}: env var {name} set in Terraform is not read by the code")
    secrets, expected = (
        set(local["chart_action_secrets"]),
        set(env_vars_for("chart_action", secret=True)),
    )
    found += [f"chart_action: secret {n} missing in Terraform" for n in sorted(expected - secrets)]
    found += [f"chart_action: secret {n} unknown to the code" for n in sorted(secrets - expected)]
    if env_vars_for("update_context", secret=True):
        found.append("update_context reads secrets but Terraform wires none")
    return found


def ttl_problems(local: dict[str, Any], config: dict[str, list[Any]]) -> list[str]:
    found = []
    defaults = Settings()
    if local["ttl_field"] != TTL_FIELD:
        found.append(f"TTL field {local['ttl_field']} is not the store's {TTL_FIELD}")
    collections = {
        REF.sub(lambda m: str(local[m.group(1)]), v) for v in local["ttl_collections"].values()
    }
    for expected in (defaults.sessions_collection, defaults.bars_cache_collection):
        if expected not in collections:
            found.append(f"no TTL policy on collection {expected}")
    ttl = resources(config, "google_firestore_field").get("ttl", {})
    if "ttl_config" not in ttl or "index_config" not in ttl:
        found.append("google_firestore_field.ttl needs ttl_config and index_config")
    return found


def route_problems(local: dict[str, Any]) -> list[str]:
    found = []
    if local["routes"] != SPEC_ROUTES:
        found.append(f"load balancer routes {local['routes']} differ from SPEC {SPEC_ROUTES}")
    for path, function in SPEC_ROUTES.items():
        if f'"{path}"' not in (REPO / "functions" / function / "main.py").read_text():
            found.append(f"{function} does not serve {path}")
    return found


def iam_problems(config: dict[str, list[Any]]) -> list[str]:
    found = []
    roles = [
        (kind, body.get("role"))
        for block in config.get("resource", [])
        for kind, named in block.items()
        for body in named.values()
        if isinstance(body, dict) and "role" in body
    ]
    found += [f"{kind} grants {role}" for kind, role in roles if role in FORBIDDEN_ROLES]
    found += [
        f"project-wide {role} is broader than needed"
        for kind, role in roles
        if kind == "google_project_iam_member" and role not in PROJECT_ROLES
    ]
    return found


def problems(config: dict[str, list[Any]]) -> list[str]:
    """Everything that disagrees between Terraform and the code."""
    local = locals_of(config)
    runtime = {
        block(fn["build_config"])["runtime"]
        for fn in resources(config, "google_cloudfunctions2_function").values()
    }
    found = [] if runtime == {"python312"} else [f"runtime {runtime} is not python312"]
    return (
        found
        + entry_point_problems(local)
        + env_problems(local)
        + ttl_problems(local, config)
        + route_problems(local)
        + iam_problems(config)
    )
