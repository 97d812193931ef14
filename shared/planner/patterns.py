"""The planner's regular expressions, compiled on first use.

The rules know five languages, and their tables become about 170 regular expressions: 35 ms
of compiling at import on this machine, while a first request ("draw support and resistance")
uses some 55 of them (19 ms). Compiled on first use, and with rapidfuzz loaded at the first
word that may be a typo (`fuzzy`), chart_action's first answer came 20-24 ms sooner from a
new process (medians of 12 rounds each against the build before, interleaved; `make bench`
has the cold-start table). A `Pattern` answers like the `re.Pattern` it stands for; its first
method call compiles it and puts the compiled pattern's methods on the instance, so later
calls are plain attribute reads.
"""

from __future__ import annotations

import re
from typing import Any, cast

# the compiled pattern's methods the planner calls; any other attribute is forwarded
METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class Pattern:
    """A regular expression compiled when first used (see the module docstring)."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    def __getattr__(self, name: str) -> Any:
        """Only reached for what the instance does not hold: the first use compiles, once; any
        attribute besides the methods is read from the compiled pattern. Two threads racing
        here compile twice and set equal methods, which is harmless."""
        compiled = self.__dict__.get("compiled")
        if compiled is None:
            compiled = self.compiled = re.compile(self.pattern, self.flags)
            for method in METHODS:
                setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"Pattern({self.pattern!r}, {self.flags!r})"


def compile_later(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """`re.compile`, deferred to the first use; typed as the pattern it becomes."""
    return cast("re.Pattern[str]", Pattern(pattern, int(flags)))
