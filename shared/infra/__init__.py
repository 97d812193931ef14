"""Infrastructure every layer may use: settings from the environment (`settings`), structured
Cloud Logging lines (`logs`), wall-clock deadlines (`deadline`), the one way a long-lived
object is built lazily across threads (`lazy.once`), sliding-window turn counters (`limits`).
Imports only `shared.models` and the standard library; the process's objects are built above
every door, in `shared.app`.
"""
