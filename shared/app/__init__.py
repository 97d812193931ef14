"""The composition root, above every door: `runtime.Runtime` builds a process's objects once
(settings, the Firestore client and its breaker, the session store, market data, the fallback
planner, the one `ActionCore`) and hands them to the door its function serves (update_context,
chart_action's JSON and MCP routes, the chat endpoint). Only `functions/*/main.py` imports it;
no module of `shared` does.
"""
