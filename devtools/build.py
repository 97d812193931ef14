"""`make build`: one self-contained folder per function, as Cloud Functions deploys it.

Each `build/<function>/` holds the function's `main.py`, its own pinned `requirements.txt` and
only the `shared/` packages that function imports (update_context ships no planner, analysis,
market data, LLM, action core or MCP code), so Terraform zips exactly what runs and a test can
start functions-framework from the bundle alone, with only its own requirements installed
(`devtools.bundle_site`).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from devtools.processes import REPO

FUNCTIONS = ("update_context", "chart_action", "chatkit")  # deployed by terraform/ (tested)
BUNDLES = FUNCTIONS
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "SPEC.md")
# The shared/ layers each function imports (shared/__init__.py says who may import whom).
BASE_LAYERS = ("app", "api", "auth", "infra", "models", "store")
SHARED_LAYERS: dict[str, tuple[str, ...]] = {
    "update_context": BASE_LAYERS,
    "chart_action": (*BASE_LAYERS, "core", "planner", "llm", "analysis", "market_data"),
    "chatkit": (*BASE_LAYERS, "core", "planner", "llm", "analysis", "market_data", "chat"),
}
# Modules of a shipped layer that one function never imports.
LEFT_OUT: dict[str, tuple[str, ...]] = {
    "update_context": ("api/chart_action.py", "api/mcp_server.py", "api/mcp_http.py"),
    "chart_action": (),
    "chatkit": ("api/mcp_server.py", "api/mcp_http.py"),
}


def build_bundle(function: str, out_root: Path) -> Path:
    """Write `out_root/<function>/` from scratch and return it."""
    source = REPO / "functions" / function
    bundle = out_root / function
    shutil.rmtree(bundle, ignore_errors=True)
    (bundle / "shared").mkdir(parents=True)
    shutil.copy2(source / "main.py", bundle / "main.py")
    shutil.copy2(source / "requirements.txt", bundle / "requirements.txt")
    shutil.copy2(REPO / "shared" / "__init__.py", bundle / "shared" / "__init__.py")
    for layer in SHARED_LAYERS[function]:
        shutil.copytree(REPO / "shared" / layer, bundle / "shared" / layer, ignore=IGNORE)
    for module in LEFT_OUT[function]:
        (bundle / "shared" / module).unlink()
    return bundle


def main(argv: list[str]) -> int:
    """Build every bundle (or the ones named) under build/."""
    out_root = REPO / "build"
    for function in argv or BUNDLES:
        print(f"built {build_bundle(function, out_root).relative_to(REPO)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
