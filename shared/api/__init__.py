"""The transport layer: HTTP in, JSON out.

`transport` parses and answers requests (routing, CORS, bearer auth, ids and the request log
line), reading bodies through `request_body` (framing and size before a byte is read) and
`strict_json` (the one decoder every route uses); `errors` is the one table from an error code
to its HTTP status, headers and MCP form; `mcp_server` speaks MCP with the SDK's types and
`mcp_http` is its HTTP door (every failure on `/mcp` a JSON-RPC error); `update_context` /
`chart_action` are the two functions' routes. Calls go down only: a route asks `shared.core`
(or the store) and renders what comes back. `update_context` imports neither `core` nor the
MCP modules.
"""
