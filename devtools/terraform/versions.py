"""Terraform version constraints (`~> 8.7`, `>= 1.5, < 2`), as Terraform reads them.

No Python library implements Terraform's rules (PEP 440 specifiers differ: `~> 8` has no
`~=` equivalent), and the rules are short: each comma-separated part is an operator and a
version; `~> X.Y` allows X.Y and later within X, `~> X.Y.Z` later within X.Y, `~> X` any X.
"""

from __future__ import annotations

import operator
import re

OPERATORS = {
    "=": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}
PART = re.compile(r"^\s*(~>|!=|>=|<=|=|>|<)?\s*(\d+(?:\.\d+)*)\s*$")


def parse_version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split("."))


def _padded(version: tuple[int, ...], length: int = 3) -> tuple[int, ...]:
    return version + (0,) * (length - len(version))


def satisfies(version: str, constraint: str) -> bool:
    """Whether `version` (e.g. "8.7.0") meets every part of `constraint`."""
    have = _padded(parse_version(version))
    for part in constraint.split(","):
        match = PART.match(part)
        if not match:
            raise ValueError(f"not a Terraform version constraint: {part!r}")
        op, wanted = match.group(1) or "=", parse_version(match.group(2))
        if op == "~>":
            prefix = wanted[:-1] if len(wanted) > 1 else wanted
            if have < _padded(wanted) or have[: len(prefix)] != prefix:
                return False
        elif not OPERATORS[op](have, _padded(wanted)):
            return False
    return True
