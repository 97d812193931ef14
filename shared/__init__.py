"""Code shared by the chart-control Cloud Functions (copied into each function's bundle).

Folders are layers; a request flows down them and nothing below imports what is above:

    app/          the composition root: builds each process's objects and hands them to its door
                  (top: imported only by functions/*/main.py)
    chat/         the ChatKit server (chatkit only)
    api/          transport, routes, the error table, MCP
    core/         the action core: one answer for every door (JSON route, MCP tool, chat)
    planner/ llm/ what a query asks for (rules; OpenAI as the optional fallback)
    analysis/     prices from bars (levels, lines, patterns, plans)
    market_data/  where bars come from (sample, Alpaca, the bars cache)
    store/        Firestore: session documents and the helpers every document write shares
    auth/         who a request acts for: the host app's ID tokens, the agent's bearer token
    infra/        settings, structured logs, deadlines, `once`
    models/       pydantic payloads, command grammar, prices, error codes (bottom: no I/O)

update_context uses app -> api -> auth, store -> infra -> models only; chart_action all but chat.
"""

__version__ = "0.1.0"
