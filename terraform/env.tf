# Environment of each function. Names match shared/config.py; tests/test_terraform.py fails
# when a variable is added, renamed or dropped on one side only.
locals {
  sessions_collection   = "chart_sessions"
  bars_cache_collection = "market_bars"

  common_env = {
    GOOGLE_CLOUD_PROJECT  = var.project_id
    FIRESTORE_DATABASE    = google_firestore_database.main.name
    SESSIONS_COLLECTION   = local.sessions_collection
    STORE_TIMEOUT_SECONDS = "3"
    LOG_LEVEL             = var.log_level
    ALLOWED_ORIGINS       = join(",", var.allowed_origins) # CORS (update_context), MCP Origin guard (chart_action)
  }

  # Each function gets common_env plus its own map (kept as literal maps so tests can read them).
  update_context_only_env = {
    SESSION_TTL_SECONDS = tostring(var.session_ttl_seconds)
  }

  chart_action_only_env = {
    MARKET_DATA_PROVIDER        = var.market_data_provider
    MARKET_DATA_TIMEOUT_SECONDS = "5"
    BARS_CACHE_COLLECTION       = local.bars_cache_collection
    ALPACA_DATA_URL             = "https://data.alpaca.markets"
    OPENAI_MODEL                = var.openai_model
    OPENAI_TIMEOUT_SECONDS      = "8"
  }

  # Every secret chart_action can read, and whether this deployment uses it.
  chart_action_secrets = {
    CHART_ACTION_TOKEN    = true
    OPENAI_API_KEY        = var.enable_openai_planner
    ALPACA_API_KEY_ID     = var.market_data_provider == "alpaca"
    ALPACA_API_SECRET_KEY = var.market_data_provider == "alpaca"
  }
  enabled_secrets = toset([for name, enabled in local.chart_action_secrets : name if enabled])
}
