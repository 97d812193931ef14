"""The action core: from a validated `ChartActionRequest` to a `ChartActionResponse`.

`action.ActionCore` is the one object every door holds (the JSON route, the MCP tool, the chat
server), built once per process by the composition root (`shared.app`) with its store, market
data and fallback planner; it exposes `plan` (what the rules understood) and `answer`. Below it
`target` fixes which chart the answer is about, `steps` runs planner intents against market
data and analysis (with `views` for COMPARE/RANGE/ZOOM and `answers` for questions), each step
recording what it found as an `outcomes` value with its prices on the instrument's tick;
`render` writes the words for each outcome, and `result` collects commands, outcomes,
sentences and data. May import every layer except `shared.api`, `shared.chat` and `shared.app`.
"""
