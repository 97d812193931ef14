"""Infrastructure every layer may use: settings from the environment (`settings`), structured
Cloud Logging lines (`logs`), wall-clock deadlines (`deadline`), and the one holder of the
process's long-lived objects (`runtime`). Imports only `shared.models` and the standard
library at import time; `runtime` builds the stores, market data, the planner and (in chatkit)
the chat endpoint lazily, importing their modules only when first asked for them, so a function
loads only the layers it uses.
"""
