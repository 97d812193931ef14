"""The action core: from a validated `ChartActionRequest` to a `ChartActionResponse`.

`action.answer_chart_action` is the one function every door calls (the JSON route, the MCP
tool, the chat server's tool); it takes its dependencies from `shared.infra.runtime`. Below it
`target` fixes which chart the answer is about, `steps` runs planner intents against market
data and analysis, and `result` collects what the steps add. May import every layer except
`shared.api`.
"""
