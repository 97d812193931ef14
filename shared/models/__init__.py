"""pydantic models: the single source of truth for every payload (SPEC 3-6).

Schemas (OpenAPI, MCP tool input), docs and validation are all derived from these classes.
"""
