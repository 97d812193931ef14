"""Running the terraform CLI for what works offline (`fmt`, `console` on variables and locals)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

# No CLI configuration: also silences a TF_CLI_CONFIG_FILE naming a missing file.
TF_ENV = {**os.environ, "TF_CLI_CONFIG_FILE": "/dev/null"}


def terraform(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    """`terraform ARGS` in `cwd`, output captured, never raising on a non-zero exit."""
    return subprocess.run(
        ["terraform", *args], input=stdin, cwd=cwd, env=TF_ENV,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
