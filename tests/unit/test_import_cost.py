"""update_context imports only what it runs: the modules a cold start loads, beyond its bare
dependencies (functions-framework, google-cloud-firestore, pydantic, flask), are its own."""

from __future__ import annotations

import json
import subprocess
import sys

from devtools.processes import REPO

BARE = "import functions_framework, flask, pydantic, google.cloud.firestore"
PROBE = (
    "import json, sys\n"
    f"{BARE}\n"
    "bare = set(sys.modules)\n"
    "sys.path.insert(0, 'functions/update_context')\n"
    "import main\n"
    "print(json.dumps(sorted(set(sys.modules) - bare)))"
)
# Layers update_context never runs: a cold start must not pay for them.
NEVER = ("shared.core", "shared.planner", "shared.analysis", "shared.market_data", "shared.llm")
ALLOWED = {
    "main",
    "shared",
    "shared.api",
    "shared.api.errors",
    "shared.api.request_body",
    "shared.api.strict_json",
    "shared.api.transport",
    "shared.api.update_context",
    "shared.infra",
    "shared.infra.dependency_log",
    "shared.infra.lazy",
    "shared.infra.logs",
    "shared.infra.runtime",
    "shared.infra.settings",
    "shared.models",
    "shared.models.chart",  # the chart document it edits and answers (issue 22)
    "shared.models.commands",  # CLEAR's argument, for a clear the page reports
    "shared.models.context",
    "shared.models.errors",
    "shared.models.fields",
    "shared.models.prices",
}


def loaded_by_update_context() -> set[str]:
    """Modules importing update_context's main adds to its bare dependencies."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, check=True
    )
    return set(json.loads(out.stdout))


# What else may load: the standard library and the parts of the bare dependencies that
# pydantic imports only once the first model is defined.
DEPENDENCIES = {"pydantic", "pydantic_core", "annotated_types", "typing_extensions"}


def is_stdlib_or_dependency(module: str) -> bool:
    top = module.partition(".")[0]
    return top in sys.stdlib_module_names or top in DEPENDENCIES or top.startswith("_sysconfig")


def test_update_context_loads_only_its_own_modules():
    extra = loaded_by_update_context()
    assert not [m for m in extra if m.startswith(NEVER) or m.startswith("mcp")]
    assert extra & ALLOWED == ALLOWED  # the probe saw the function load
    others = {m for m in extra - ALLOWED if not is_stdlib_or_dependency(m)}
    assert others == set(), "update_context imports more than it runs"
