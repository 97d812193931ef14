"""`make docs`: docs/agent-builder.md, the guide to connecting an agent. Every schema in it is
generated from the models and every code snippet included from a file a test runs, so the guide
cannot drift from the code."""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

from devtools.processes import REPO
from shared.api.mcp_server import TOOL_DESCRIPTION, TOOL_NAME, tool_definition
from shared.infra.settings import Settings
from shared.models.action import ChartActionRequest

DOC = REPO / "docs" / "agent-builder.md"
SNIPPET = REPO / "docs" / "snippets" / "create_chatkit_session.py"
AGENT_SNIPPET = REPO / "docs" / "snippets" / "chart_agent.py"
STATE_VARIABLE = "chart_session_id"


def snippet_string(path: Path, name: str) -> str:
    """A module-level string constant of a snippet, read without importing the snippet (which
    needs packages the guide's generator does not)."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == name for target in node.targets
        ):
            return ast.literal_eval(node.value)
    raise LookupError(f"{path.name} has no constant {name}")


# One prompt for both paths: the Agents SDK snippet's, with Agent Builder's state variable.
AGENT_INSTRUCTIONS = snippet_string(AGENT_SNIPPET, "INSTRUCTIONS").format(
    chart_session_id=f"{{{{state.{STATE_VARIABLE}}}}}"
)


def function_tool() -> dict[str, object]:
    """The function-tool definition for setups that route tool calls themselves."""
    return {
        "type": "function",
        "name": TOOL_NAME,
        "description": TOOL_DESCRIPTION,
        "parameters": ChartActionRequest.model_json_schema(),
    }


# An agent's call with its reading of "show me the 200 day on spy, and where's support?"
STRUCTURED_EXAMPLE: dict[str, object] = {
    "query": "show me the 200 day on spy, and where's support?",
    "session_id": "chart_session_0123456789",
    "symbol": "SPY",
    "tools": ["support_resistance"],
    "indicators": [{"name": "SMA", "period": 200}],
}


def structured_example() -> str:
    """The example, validated against the model (a guide cannot show arguments that fail)."""
    ChartActionRequest.model_validate(STRUCTURED_EXAMPLE)
    return json.dumps(STRUCTURED_EXAMPLE)


# The planner's knobs, in the order the guide lists them, with what each one means.
OPENAI_SETTINGS = {
    "openai_api_key": "secret; unset means rules only",
    "openai_model": "model that writes the plan",
    "openai_timeout_seconds": "hard wall-clock bound on the call, no retries",
    "openai_max_calls": "planner calls in flight per instance; past it the rules answer at once",
    "openai_planner_max_tokens": "the plan's `max_tokens`",
    "openai_store": "`store` sent with the call: true lets OpenAI keep the request",
}


def _shown(default: object) -> str:
    """A default as the guide prints it: `8`, not `8.0`; unset for None."""
    if default is None:
        return "unset"
    if isinstance(default, bool):
        return f"`{str(default).lower()}`"
    return f"`{default:g}`" if isinstance(default, float) else f"`{default}`"


def openai_settings() -> str:
    """The planner's environment variables and defaults, read from `Settings` itself."""
    rows = ["| variable | default | meaning |", "| --- | --- | --- |"]
    for name, meaning in OPENAI_SETTINGS.items():
        field = Settings.model_fields[name]
        rows.append(f"| `{field.alias}` | {_shown(field.default)} | {meaning} |")
    return "\n".join(rows)


def render() -> str:
    """The whole guide."""
    template = (REPO / "devtools" / "agent_builder_doc.md.in").read_text()
    return template.format(
        tool_name=TOOL_NAME,
        state_variable=STATE_VARIABLE,
        instructions=AGENT_INSTRUCTIONS,
        mcp_tool=json.dumps(
            tool_definition().model_dump(mode="json", by_alias=True, exclude_none=True), indent=2
        ),
        function_tool=json.dumps(function_tool(), indent=2),
        structured_example=structured_example(),
        snippet=SNIPPET.read_text().strip(),
        agent_snippet=AGENT_SNIPPET.read_text().strip(),
        openai_settings=openai_settings(),
    )


def main() -> int:
    DOC.write_text(render())
    print(f"wrote {DOC.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
