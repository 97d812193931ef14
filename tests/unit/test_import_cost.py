"""update_context imports only what it runs: the modules a cold start loads, beyond its bare
dependencies (functions-framework, google-cloud-firestore, pydantic, flask), are its own."""

from __future__ import annotations

import json
import os
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
    "shared.api.read_deadline",
    "shared.api.strict_json",
    "shared.api.transport",
    "shared.api.update_context",
    "shared.app",
    "shared.app.runtime",
    "shared.app.startup",
    # who may come in (a few small modules; PyJWT loads only with identity configured)
    "shared.auth",
    "shared.auth.doors",
    "shared.auth.errors",
    "shared.auth.principal",
    "shared.auth.spender",
    "shared.auth.tokens",
    "shared.infra",
    "shared.infra.deadline",
    "shared.infra.dependency_log",
    "shared.infra.lazy",
    "shared.infra.logs",
    "shared.infra.settings",
    "shared.models",
    "shared.models.chart",  # the chart document it edits and answers (issue 22)
    "shared.models.chart_edits",  # what a page change does to it
    "shared.models.commands",  # CLEAR's argument, for a clear the page reports
    "shared.models.context",
    "shared.models.errors",
    "shared.models.fields",
    "shared.models.prices",
    # the door is built at cold start with its session store and Firestore client (its
    # channel opens on first use)
    "shared.store",
    "shared.store.breaker",
    "shared.store.firestore",
    "shared.store.firestore_channel",
    "shared.store.sessions",
}
# A project and an emulator host, as every local run has: the client is made at boot.
PROBE_ENV = {"GOOGLE_CLOUD_PROJECT": "demo-probe", "FIRESTORE_EMULATOR_HOST": "127.0.0.1:9"}


def probe_output(code: str, env: dict[str, str]) -> list[str]:
    """The JSON the probe prints last (log lines may come before it)."""
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True,
        env=env,
    )  # fmt: skip
    return json.loads(out.stdout.splitlines()[-1])


def loaded_by_update_context() -> set[str]:
    """Modules importing update_context's main adds to its bare dependencies."""
    return set(probe_output(PROBE, {**os.environ, **PROBE_ENV}))


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


def loaded_by(function: str, env: dict[str, str] | None = None) -> set[str]:
    """Every module a fresh process has loaded once the function's `main` is imported."""
    probe = (
        "import json, sys\n"
        f"sys.path.insert(0, 'functions/{function}')\n"
        "import main\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    environment = {**os.environ, **PROBE_ENV, **(env or {})}
    if env is None:
        environment.pop("OPENAI_API_KEY", None)
    return set(probe_output(probe, environment))


def test_chart_action_loads_mcp_on_its_first_message_not_at_boot():
    loaded = loaded_by("chart_action")
    assert "shared.core.action" in loaded  # the core is built at cold start
    assert not {m for m in loaded if m.startswith(("mcp", "shared.api.mcp"))}


def test_chatkit_without_a_key_never_loads_the_agents_sdk_or_openai():
    loaded = loaded_by("chatkit")
    assert "chatkit.server" in loaded and "shared.chat.server" in loaded
    assert not {m for m in loaded if m.partition(".")[0] in ("agents", "openai", "mcp")}


def test_chatkit_with_a_key_loads_the_agents_sdk_at_boot():
    loaded = loaded_by("chatkit", {"OPENAI_API_KEY": "sk-test"})
    assert {"agents", "openai", "shared.chat.agent"} <= loaded


def test_the_real_agents_sdk_still_loads_after_chatkit_was_imported_without_it():
    probe = (
        "import sys\n"
        "from shared.chat.sdk import load_chatkit_server\n"
        "server = load_chatkit_server(with_agents=False)\n"
        "assert 'agents' not in sys.modules\n"
        "with server.agents_sdk_user_agent_override():\n"  # what chatkit runs around a turn
        "    pass\n"
        "import agents\n"
        "print(hasattr(agents, 'Runner'), agents.__version__ != 'not loaded')"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["True", "True"]
