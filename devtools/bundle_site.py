"""A site-packages folder holding only what one `requirements.txt` installs.

Cloud Functions installs a bundle's `requirements.txt` and nothing else; the shared venv has
every package of both functions and the tests. To start a bundle as production would, this
links into a fresh folder the files of each required distribution and of everything it
depends on (resolved from the installed metadata, markers evaluated), and nothing more; the
bundle then runs with `python -S` and that folder as its only site. A bundle that imports a
package its requirements do not name fails to start.
"""

from __future__ import annotations

import shutil
from importlib.metadata import Distribution, distribution
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


def requirement_closure(requirements: Path) -> list[Distribution]:
    """The installed distributions a requirements file pulls in, dependencies included."""
    pending = [
        Requirement(line.split("#")[0].strip())
        for line in requirements.read_text().splitlines()
        if line.split("#")[0].strip()
    ]
    found: dict[str, Distribution] = {}
    while pending:
        requirement = pending.pop()
        name = canonicalize_name(requirement.name)
        if name in found:
            continue
        found[name] = dist = distribution(requirement.name)
        for text in dist.requires or []:
            dependency = Requirement(text)
            if dependency.marker is None or dependency.marker.evaluate({"extra": ""}):
                pending.append(dependency)
    return list(found.values())


def link_site(requirements: Path, site: Path) -> Path:
    """Fill `site` (from scratch) with links to the closure's installed files."""
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    for dist in requirement_closure(requirements):
        for file in dist.files or []:
            source = Path(str(dist.locate_file(file))).resolve()
            if file.parts[0] == ".." or not source.is_file():  # scripts outside site-packages
                continue
            target = site / file
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists():
                target.symlink_to(source)
    return site
