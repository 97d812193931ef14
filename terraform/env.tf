# What each function reads from its environment: the names are shared/infra/settings.py's. When the code
# adds, renames or drops a variable, change it here too; the consistency check
# (devtools/terraform/consistency.py) names the mismatch (plain values, secrets, and which
# function reads which).
locals {
  sessions_collection   = "chart_sessions" # TTL policy in database.tf
  bars_cache_collection = "market_bars"    # TTL policy in database.tf

  # Read by both functions.
  common_env = {
    GOOGLE_CLOUD_PROJECT  = var.project_id
    FIRESTORE_DATABASE    = google_firestore_database.main.name
    SESSIONS_COLLECTION   = local.sessions_collection
    STORE_TIMEOUT_SECONDS = "3"
    LOG_LEVEL             = var.log_level
    ALLOWED_ORIGINS       = join(",", var.allowed_origins) # CORS (update_context), MCP Origin guard (chart_action)
  }

  # Read by one function only. Literal maps merged in functions.tf, so the tests can read them.
  update_context_only_env = {
    SESSION_TTL_SECONDS = tostring(var.session_ttl_seconds)
  }

  chart_action_only_env = {
    MARKET_DATA_PROVIDER        = var.market_data_provider
    MARKET_DATA_TIMEOUT_SECONDS = "5"
    BARS_CACHE_COLLECTION       = local.bars_cache_collection
    ALPACA_DATA_URL             = "https://data.alpaca.markets"
    ALPACA_STOCK_FEED           = var.alpaca_stock_feed
    OPENAI_MODEL                = var.openai_model
    OPENAI_TIMEOUT_SECONDS      = "8"
  }

  # Secrets: which function reads each one, and whether this deployment uses it. A secret
  # Cloud Functions cannot resolve to a version fails the deploy, so the optional ones exist
  # (and are wired) only when their feature is switched on.
  secrets = {
    CHART_ACTION_TOKEN    = { function = "chart_action", enabled = true }
    OPENAI_API_KEY        = { function = "chart_action", enabled = var.enable_openai_planner }
    ALPACA_API_KEY_ID     = { function = "chart_action", enabled = var.market_data_provider == "alpaca" }
    ALPACA_API_SECRET_KEY = { function = "chart_action", enabled = var.market_data_provider == "alpaca" }
  }

  # secret name => the function that reads it, for the secrets this deployment uses.
  enabled_secrets = { for name, secret in local.secrets : name => secret.function if secret.enabled }
}
