"""What Terraform must agree with, read from the code: main.py files parsed (never imported),
the settings model, the store's TTL field, the market data providers, the contract's routes.

The code's modules are named once below, so moving one (e.g. settings into another package) is
a one-line change here.
"""

from __future__ import annotations

import ast
import importlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from devtools.build import FUNCTIONS as BUNDLES
from devtools.processes import REPO

SETTINGS_MODULE = "shared.infra.settings"  # Settings, env_vars_for(function, secret=...)
STORE_MODULE = "shared.store.firestore"  # TTL_FIELD
PROVIDERS_MODULE = "shared.market_data.registry"  # PROVIDERS
API_PACKAGE = "shared.api"  # <function>.ROUTES.post: the paths each function serves
ROUTE_MODULES = {"chatkit": "shared.chat.endpoint"}  # the ChatKit server's ROUTES (paths)
CONTRACT = REPO / "docs" / "contract.md"  # the contract, in the repository: its route table


def settings_module() -> ModuleType:
    """The module holding `Settings` and `env_vars_for` (looked up at call time)."""
    return importlib.import_module(SETTINGS_MODULE)


def _decorated_functions(tree: ast.Module) -> set[str]:
    """Top-level functions decorated by functions_framework (its HTTP entry points)."""
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and any("functions_framework" in ast.unparse(d) for d in node.decorator_list)
    }


def _post_routes(function: str) -> set[str]:
    """The paths a function serves: the POST and GET paths of the `ROUTES` of
    `shared.api.<function>` (a `Routes`), or of the module named in ROUTE_MODULES (a set of
    paths)."""
    module = ROUTE_MODULES.get(function, f"{API_PACKAGE}.{function}")
    routes = importlib.import_module(module).ROUTES
    return set(getattr(routes, "post", routes)) | set(getattr(routes, "get", ()))


def get_routes(functions: Iterable[str]) -> dict[str, str]:
    """Production GET routes beyond the contract's POST table (chart_action's bars): path ->
    function, from the code's route tables."""
    found = {}
    for function in functions:
        module = ROUTE_MODULES.get(function, f"{API_PACKAGE}.{function}")
        for path in getattr(importlib.import_module(module).ROUTES, "get", ()):
            if path.startswith("/api/"):
                found[path] = function
    return found


def contract_routes(contract: Path = CONTRACT) -> dict[str, str]:
    """The contract's route table (production path -> function): the rows that start with
    `POST /path` and name the function in the next cell."""
    rows = re.findall(r"^\|\s*`POST (/\S+)`[^|]*\|\s*`(\w+)`", contract.read_text(), re.MULTILINE)
    return dict(rows)


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
    routes: dict[str, str]  # the contract: production path -> function
    openapi_paths: frozenset[str]
    providers: frozenset[str]
    concurrency: dict[str, int] = field(default_factory=dict)  # function -> requests at once

    @classmethod
    def read(cls, functions_dir: Path = REPO / "functions") -> CodeFacts:
        trees = {}
        for name in BUNDLES:
            main_py = functions_dir / name / "main.py"
            trees[name] = ast.parse(main_py.read_text()) if main_py.exists() else ast.Module([], [])
        settings = settings_module()
        defaults = settings.Settings()
        return cls(
            functions=tuple(BUNDLES),
            entry_points={n: _decorated_functions(t) for n, t in trees.items()},
            post_paths={n: _post_routes(n) for n in trees},
            env={n: set(settings.env_vars_for(n, secret=False)) for n in BUNDLES},
            secrets={n: set(settings.env_vars_for(n, secret=True)) for n in BUNDLES},
            ttl_field=importlib.import_module(STORE_MODULE).TTL_FIELD,
            collections={
                str(field.alias): str(getattr(defaults, name))
                for name, field in settings.Settings.model_fields.items()
                if name.endswith("_collection")
            },
            routes=contract_routes() | get_routes(trees),
            openapi_paths=frozenset(json.loads((REPO / "docs/openapi.json").read_text())["paths"]),
            providers=frozenset(importlib.import_module(PROVIDERS_MODULE).PROVIDERS),
            concurrency=dict(getattr(settings, "INSTANCE_CONCURRENCY", {})),
        )
