"""Rules planner: deterministic natural language -> what the query names and asks for.

`rules.parse_query(query) -> intent.QueryIntent` is the interface; the caller merges the intent
with the request overrides and the stored chart context. The pieces, each pure stdlib regexes
compiled at import: `symbols` (+ the `names` tables), `timeframes`, `indicators`.
"""
