"""The chatkit function's parts: thread store, ChatKit server, chart tool and agent.

Everything here imports `openai-chatkit` (and through it the Agents SDK), so only the chatkit
function loads this package; update_context and chart_action never do.
"""
