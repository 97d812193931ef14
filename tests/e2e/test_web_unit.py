"""The web kit's own unit tests (node --test), run from `make test`."""

from __future__ import annotations

import subprocess

from devtools.processes import REPO


def test_web_kit_unit_tests_pass():
    result = subprocess.run(
        ["npm", "test", "--silent"], cwd=REPO / "web", capture_output=True, text=True,
        timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout
