"""The transport layer: HTTP in, JSON out.

`transport` parses and answers requests (routing, body limits, CORS, bearer auth, ids and the
request log line), `errors` is the one table from an error code to its HTTP status, headers and
MCP form, `mcp_server` speaks MCP with the SDK's types, and `update_context` / `chart_action`
are the two functions' routes. Calls go down only: a route asks `shared.core` (or the store)
and renders what comes back. `update_context` imports neither `core` nor `mcp_server`.
"""
