"""Your backend: an Agents SDK agent that draws on the user's chart through chart-control.

The page makes the chart session id (the one it posts to update-context) and sends it with each
chat message; the agent's instructions carry it, so the model passes it to `chart_control`.
Call `ask_chart_agent` from wherever your chat turns arrive (a ChatKit server's `respond`, an
HTTP route); with `pip install openai-agents`, OPENAI_API_KEY, CHART_CONTROL_MCP_URL and
CHART_ACTION_TOKEN set.
"""

import os

from agents import Agent, Runner
from agents.mcp import MCPServerStreamableHttp

INSTRUCTIONS = """You control the user's trading chart through the `chart_control` tool.
Whenever the user asks to see, draw, add, remove or analyse something on the chart (a symbol,
a timeframe, support and resistance, trendlines, Fibonacci, indicators, patterns, a trade plan),
call `chart_control` with `session_id` set to {chart_session_id}. Pass the user's request in
their own words as `query`, and what you understood in the structured fields: `symbol` (the
ticker: "Tesla" -> TSLA), `timeframe`, `tools`, `indicators`, `clear`, `trade_direction`.
They are the plan; the words fill in the rest. Never make up prices: relay the tool's `text` as
your answer, including its command lines unchanged (the page reads them)."""


async def ask_chart_agent(message: str, chart_session_id: str) -> str:
    """Run one chat turn; the answer holds the command lines the page executes."""
    chart_control = MCPServerStreamableHttp(
        name="chart-control",
        params={
            "url": os.environ["CHART_CONTROL_MCP_URL"],  # Terraform output `mcp_url`
            "headers": {"Authorization": f"Bearer {os.environ['CHART_ACTION_TOKEN']}"},
        },
    )
    async with chart_control:
        agent = Agent(
            name="Chart assistant",
            instructions=INSTRUCTIONS.format(chart_session_id=chart_session_id),
            mcp_servers=[chart_control],
            model=os.environ.get("CHART_AGENT_MODEL", "gpt-4.1-mini"),
        )
        result = await Runner.run(agent, message)
    return str(result.final_output)
