"""The action core: from a validated `ChartActionRequest` to a `ChartActionResponse`.

`action.answer_chart_action` is the one function every door calls (the JSON route, the MCP
tool, the chat server's tool); it takes its dependencies from `shared.infra.runtime`. Below it
`target` fixes which chart the answer is about, `steps` runs planner intents against market
data and analysis (with `views` for COMPARE/RANGE/ZOOM and `answers` for questions), each step
recording what it found as an `outcomes` value with its prices on the instrument's tick;
`render` writes the words for each outcome, and `result` collects commands, outcomes,
sentences and data. May import every layer except `shared.api`.
"""
