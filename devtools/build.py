"""`make build`: one self-contained folder per function, as Cloud Functions deploys it.

Each `build/<function>/` holds the function's `main.py`, a copy of `shared/` and the function's
own pinned `requirements.txt`, so Terraform zips exactly what runs and a test can start
functions-framework from the bundle alone.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from devtools.processes import REPO

FUNCTIONS = ("update_context", "chart_action")  # deployed by terraform/ (its tests check this)
STAGED = ("chatkit",)  # bundled and tested, not yet in terraform/: move into FUNCTIONS with it
BUNDLES = FUNCTIONS + STAGED
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "SPEC.md")


def build_bundle(function: str, out_root: Path) -> Path:
    """Write `out_root/<function>/` from scratch and return it."""
    source = REPO / "functions" / function
    bundle = out_root / function
    shutil.rmtree(bundle, ignore_errors=True)
    bundle.mkdir(parents=True)
    shutil.copy2(source / "main.py", bundle / "main.py")
    shutil.copy2(source / "requirements.txt", bundle / "requirements.txt")
    shutil.copytree(REPO / "shared", bundle / "shared", ignore=IGNORE)
    return bundle


def main(argv: list[str]) -> int:
    """Build every bundle (or the ones named) under build/."""
    out_root = REPO / "build"
    for function in argv or BUNDLES:
        print(f"built {build_bundle(function, out_root).relative_to(REPO)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
