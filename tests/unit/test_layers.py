"""The folders of `shared/` are layers, and a request flows down them (issues 12 and 22): no
module imports a layer above its own, at module level or inside a function, with no exception.
The composition root (`shared.app`) is the top layer: it builds the process's objects and hands
them to the doors, and no module of `shared` imports it (only `functions/*/main.py` do)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
# Lowest first; a layer may import its own rank or below (planner and analysis are siblings
# that never import each other).
RANK = {
    "models": 0, "infra": 1, "auth": 2, "store": 2, "market_data": 3, "analysis": 4, "planner": 4,
    "llm": 5, "core": 6, "api": 7, "chat": 8, "app": 9,
}  # fmt: skip
COMPOSITION_ROOT = "app"


def shared_imports(tree: ast.AST) -> list[str]:
    """The layer of every `shared.<layer>` import, at any depth (inside functions too), outside
    `if TYPE_CHECKING:` blocks (annotations only: nothing is loaded)."""
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            names = []
            if isinstance(child, ast.ImportFrom) and child.module:
                names = [child.module]
            elif isinstance(child, ast.Import):
                names = [alias.name for alias in child.names]
            found.extend(n.split(".")[1] for n in names if n.startswith("shared."))
            visit(child)

    visit(tree)
    return found


MODULES = sorted(p for p in SHARED.rglob("*.py") if p.parent != SHARED)


def test_every_layer_has_a_rank():
    assert {p.relative_to(SHARED).parts[0] for p in MODULES} == set(RANK)


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(SHARED)) for p in MODULES])
def test_no_module_imports_a_layer_above_its_own(path: Path):
    layer = path.relative_to(SHARED).parts[0]
    upward = [
        imported
        for imported in shared_imports(ast.parse(path.read_text(encoding="utf-8")))
        if imported != layer and RANK[imported] >= RANK[layer]
    ]
    assert upward == [], f"{path.relative_to(SHARED)} reaches up to {upward}"


def test_the_check_sees_imports_inside_functions():
    """The composition root's lazy builders import the layers below it inside functions; the
    check must see those, or a lazy import reaching up would pass unseen."""
    root = SHARED / COMPOSITION_ROOT / "runtime.py"
    assert {"store", "market_data", "llm", "core", "api", "chat"} <= set(
        shared_imports(ast.parse(root.read_text(encoding="utf-8")))
    )


def test_only_the_functions_import_the_composition_root():
    functions = Path(__file__).resolve().parents[2] / "functions"
    importers = {
        path.parent.name
        for path in functions.glob("*/main.py")
        if COMPOSITION_ROOT in shared_imports(ast.parse(path.read_text(encoding="utf-8")))
    }
    assert importers == {"update_context", "chart_action", "chatkit"}
