"""`chatkit.server` without the Agents SDK when no OpenAI key is configured.

chatkit-python's `chatkit.server` imports the whole Agents SDK at its top (with it `openai` and
the `mcp` SDK: over a second of a cold start here) for one thing only: around each streamed
turn, `agents_sdk_user_agent_override` sets two context variables of the SDK's model classes
to a User-Agent header, which those classes read when they call OpenAI. A process without a key
never makes that call. So for it, `load_chatkit_server(with_agents=False)` imports
`chatkit.server` against three stand-in modules that hold nothing but those two context
variables and a version string, and takes them out of `sys.modules` again at once: chatkit
keeps its references (it sets them, nobody reads them), and any later `import agents` in the
process loads the real SDK as usual. With a key, or once the real SDK is loaded, chatkit is
imported as it is.
"""

from __future__ import annotations

import importlib
import sys
from contextvars import ContextVar
from types import ModuleType

# The names chatkit.server takes from the Agents SDK (openai-chatkit 1.6.5), and where.
HEADER_OVERRIDES = {
    "agents.models.chatcmpl_helpers": "HEADERS_OVERRIDE",
    "agents.models.openai_responses": "_HEADERS_OVERRIDE",
}


def _stand_ins() -> dict[str, ModuleType]:
    """`agents`, `agents.models` and the two modules, each with only what chatkit reads."""
    modules = {name: ModuleType(name) for name in ("agents", "agents.models", *HEADER_OVERRIDES)}
    modules["agents"].__version__ = "not loaded"  # type: ignore[attr-defined]
    for package in ("agents", "agents.models"):
        modules[package].__path__ = []  # a package, so the submodules resolve from sys.modules
    for name, attribute in HEADER_OVERRIDES.items():
        setattr(modules[name], attribute, ContextVar(f"{name}.{attribute}", default=None))
    return modules


def load_chatkit_server(with_agents: bool) -> ModuleType:
    """`chatkit.server`, importing the Agents SDK only when `with_agents` (a key is set)."""
    if with_agents or "agents" in sys.modules or "chatkit.server" in sys.modules:
        return importlib.import_module("chatkit.server")
    stand_ins = _stand_ins()
    sys.modules.update(stand_ins)
    try:
        return importlib.import_module("chatkit.server")
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
