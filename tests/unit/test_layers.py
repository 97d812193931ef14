"""The folders of `shared/` are layers, and a request flows down them (issue 12): no module
imports a layer above its own. Module-level imports are checked everywhere; an import inside a
function may reach up only from the one composition root, `shared.infra.runtime`, whose lazy
builders make the process's objects."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
# Lowest first; a layer may import its own rank or below (planner and analysis are siblings
# that never import each other).
RANK = {
    "models": 0, "infra": 1, "auth": 2, "store": 2, "market_data": 3, "analysis": 4, "planner": 4,
    "llm": 5, "core": 6, "api": 7, "chat": 8,
}  # fmt: skip
COMPOSITION_ROOT = SHARED / "infra" / "runtime.py"


def shared_imports(tree: ast.AST) -> list[tuple[str, bool]]:
    """(layer imported, at module level?) for every `shared.<layer>` import outside
    `if TYPE_CHECKING:` blocks."""
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            names = []
            if isinstance(child, ast.ImportFrom) and child.module:
                names = [child.module]
            elif isinstance(child, ast.Import):
                names = [alias.name for alias in child.names]
            found.extend((n.split(".")[1], top) for n in names if n.startswith("shared."))
            inner = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            visit(child, top and not inner)

    visit(tree, True)
    return found


MODULES = sorted(p for p in SHARED.rglob("*.py") if p.parent != SHARED)


def test_every_layer_has_a_rank():
    assert {p.relative_to(SHARED).parts[0] for p in MODULES} == set(RANK)


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(SHARED)) for p in MODULES])
def test_no_module_imports_a_layer_above_its_own(path: Path):
    layer = path.relative_to(SHARED).parts[0]
    upward = [
        (imported, top)
        for imported, top in shared_imports(ast.parse(path.read_text(encoding="utf-8")))
        if imported != layer and RANK[imported] >= RANK[layer]
    ]
    if path == COMPOSITION_ROOT:
        upward = [(imported, top) for imported, top in upward if top]
    assert upward == [], f"{path.relative_to(SHARED)} reaches up to {upward}"


def test_the_composition_roots_lazy_builders_are_what_the_exemption_is_for():
    """The check sees imports inside functions: runtime's builders do reach up (store, market
    data, llm, chat), which is why it alone is exempt, and only for those."""
    lazy = {i for i, top in shared_imports(ast.parse(COMPOSITION_ROOT.read_text())) if not top}
    assert {"store", "market_data", "llm", "chat"} <= lazy
