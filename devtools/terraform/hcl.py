"""terraform/'s .tf files as python-hcl2 dicts, and lookups over them.

python-hcl2 8 with `strip_string_quotes=True` gives literal strings bare and expressions as
`${...}`; `explicit_blocks=True` marks every block with `__is_block__`, which is how the schema
check tells a block (`name { ... }`) from an attribute (`name = {...}`). `parse` drops that
bookkeeping for checks that only read values.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devtools.processes import REPO

TERRAFORM = REPO / "terraform"
BLOCK_MARK = "__is_block__"

Config = dict[str, list[Any]]


@functools.lru_cache(maxsize=256)
def parse_marked(text: str) -> dict[str, Any]:
    """One .tf file as dicts, blocks marked with BLOCK_MARK, comments dropped."""
    import hcl2  # noqa: PLC0415 - dev-only dependency, loaded when a check runs
    from hcl2 import SerializationOptions  # noqa: PLC0415

    options = SerializationOptions(strip_string_quotes=True, explicit_blocks=True)
    return strip_meta(hcl2.loads(text, serialization_options=options), keep=BLOCK_MARK)


def parse(text: str) -> dict[str, Any]:
    """One .tf file as dicts without any bookkeeping keys."""
    return strip_meta(parse_marked(text))


def strip_meta(value: Any, keep: str = "") -> Any:
    """`value` without python-hcl2's `__...__` keys (except `keep`)."""
    if isinstance(value, dict):
        return {
            k: strip_meta(v, keep) for k, v in value.items() if not k.startswith("__") or k == keep
        }
    if isinstance(value, list):
        return [strip_meta(v, keep) for v in value]
    return value


def load(
    directory: Path = TERRAFORM, replace: Mapping[str, str] | None = None, *, marked: bool = False
) -> Config:
    """Every top-level block of every .tf file, concatenated; `replace` overrides file texts."""
    merged: Config = {}
    reader = parse_marked if marked else parse
    for path in sorted(directory.glob("*.tf")):
        text = (replace or {}).get(path.name, path.read_text())
        for kind, blocks in reader(text).items():
            merged.setdefault(kind, []).extend(blocks)
    return merged


def block(value: Any) -> Any:
    """A nested block: python-hcl2 gives `name { ... }` as a list of one dict."""
    return value[0] if isinstance(value, list) and len(value) == 1 else value


def squash(expression: Any) -> str:
    """An expression with its whitespace removed, for comparing references."""
    return re.sub(r"\s+", "", str(expression))


def typed_blocks(config: Config, section: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(type, name, body) of every `resource` or `data` block."""
    return [
        (kind, name, body)
        for blk in config.get(section, [])
        for kind, named in blk.items()
        if kind != BLOCK_MARK
        for name, body in named.items()
        if name != BLOCK_MARK
    ]


@dataclass(frozen=True)
class Tf:
    """Lookups over a parsed configuration."""

    config: Config

    @functools.cached_property
    def locals(self) -> dict[str, Any]:
        return {k: v for blk in self.config.get("locals", []) for k, v in blk.items()}

    @functools.cached_property
    def variables(self) -> dict[str, Any]:
        return {k: v for blk in self.config.get("variable", []) for k, v in blk.items()}

    def resources(self, kind: str, section: str = "resource") -> dict[str, Any]:
        return {
            name: body
            for blk in self.config.get(section, [])
            for name, body in blk.get(kind, {}).items()
        }

    def all_resources(self) -> list[tuple[str, str, dict[str, Any]]]:
        return typed_blocks(self.config, "resource")

    def resolve(self, value: Any) -> Any:
        """Follow `local.x` and `merge(local.a, local.b)`; anything else is returned as is."""
        if not isinstance(value, str):
            return value
        if m := re.fullmatch(r"\$\{local\.(\w+)\}", value):
            return self.resolve(self.locals.get(m.group(1)))
        if m := re.fullmatch(r"\$\{merge\(\s*(local\.\w+(?:\s*,\s*local\.\w+)*)\s*\)\}", value):
            parts = [self.resolve(f"${{{ref.strip()}}}") for ref in m.group(1).split(",")]
            if all(isinstance(p, dict) for p in parts):
                return {k: v for part in parts for k, v in part.items()}
        return value

    def variable_default(self, value: str) -> Any:
        """The default of `var.x` / `tostring(var.x)`, or None."""
        m = re.fullmatch(r"\$\{(?:tostring\()?var\.(\w+)\)?\}", value)
        return self.variables.get(m.group(1), {}).get("default") if m else None


def edited(file: str, old: str, new: str, directory: Path = TERRAFORM) -> dict[str, str]:
    """{file: its text with `old` (which must occur exactly once) replaced}, for `load(replace=)`:
    how the tests plant one mistake in a copy of the configuration."""
    text = (directory / file).read_text()
    if text.count(old) != 1:
        raise ValueError(f"{old!r} occurs {text.count(old)} times in {file}, not once")
    return {file: text.replace(old, new)}
