"""`make tf-schema`: refresh the vendored schema subsets from the pinned registry packages.

Each provider's schema ships inside a CDK Terrain prebuilt package on PyPI (its `.jsii`
assembly, ~130 MB unpacked for google). This downloads the pinned wheels into a temporary
folder with pip (nothing is installed), reads each assembly, keeps only the types terraform/
uses (plus the list of every type name, so a typo is told from a type not vendored yet) and
writes `schema/<provider>.json`. Run it after adding a resource type or changing a pin here;
the schema check then reads the new subset. Needs PyPI; the check itself runs offline.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from devtools.terraform.hcl import TERRAFORM, load
from devtools.terraform.jsii_schema import extract
from devtools.terraform.schema import SCHEMA_DIR, blocks_to_check, provider_of

# provider -> the pinned package whose assembly is its schema (google and google-beta 8.7.0,
# archive 2.8.1, time 0.14.2). versions.tf's constraints must admit these versions (a test
# checks).
PACKAGES = {
    "google": "cdktn-provider-google==21.1.0",
    "google-beta": "cdktn-provider-google-beta==21.1.0",
    "archive": "cdktn-provider-archive==14.0.1",
    "time": "cdktn-provider-time==14.0.2",
}


def read_assembly(wheel: Path) -> dict[str, Any]:
    """The `.jsii` assembly inside a prebuilt provider wheel (a tgz under `_jsii/`)."""
    with zipfile.ZipFile(wheel) as archive:
        member = next(n for n in archive.namelist() if n.endswith(".jsii.tgz"))
        with tarfile.open(fileobj=io.BytesIO(archive.read(member))) as tgz:
            handle = tgz.extractfile("package/.jsii")
            assert handle is not None, f"{wheel.name}: no package/.jsii"
            return json.load(handle)


def download(requirement: str, into: Path) -> Path:
    """pip-download one pinned wheel (no dependencies) and return its path."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
         "--disable-pip-version-check", "--dest", str(into), requirement],
        check=True,
    )  # fmt: skip
    name = requirement.split("==", maxsplit=1)[0].replace("-", "_")
    return next(into.glob(f"{name}-*.whl"))


def used_types(provider: str, directory: Path = TERRAFORM) -> set[tuple[str, str]]:
    """(section, type) of every resource, data source and provider block in `directory` that
    belongs to `provider` (its `provider = ...` argument, else its type's prefix)."""
    config = load(directory, marked=True)
    return {
        (section, kind)
        for section, kind, _, body in blocks_to_check(config)
        if provider_of(section, kind, body) == provider
    }


def write_subset(subset: dict[str, Any], requirement: str, out_dir: Path) -> Path:
    path = out_dir / f"{subset['provider']}.json"
    subset = {**subset, "package": requirement}
    path.write_text(json.dumps(subset, indent=1, sort_keys=True) + "\n")
    return path


def main(argv: list[str]) -> int:
    """Refresh every provider's subset (or the ones named) from its pinned package."""
    with tempfile.TemporaryDirectory(prefix="tf-schema-") as tmp:
        for provider in argv or list(PACKAGES):
            requirement = PACKAGES[provider]
            assembly = read_assembly(download(requirement, Path(tmp)))
            subset = extract(assembly, used_types(provider))
            path = write_subset(subset, requirement, SCHEMA_DIR)
            kept = sum(len(types) for types in subset["schemas"].values())
            print(f"{path.relative_to(SCHEMA_DIR.parent)}: {provider} {subset['version']}, "
                  f"{kept} types, {path.stat().st_size // 1024} KB")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
