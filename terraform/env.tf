# What each function reads from its environment: the names are shared/infra/settings.py's. When the code
# adds, renames or drops a variable, change it here too; the consistency check
# (devtools/terraform/consistency.py) names the mismatch (plain values, secrets, and which
# function reads which).
locals {
  sessions_collection   = "chart_sessions"  # TTL policy in database.tf
  bars_cache_collection = "market_bars"     # TTL policy in database.tf
  chatkit_threads       = "chatkit_threads" # TTL policy and list index in database.tf
  chatkit_items         = "items"           # each thread's items (a subcollection / group)
  model_budget          = "model_budget"    # the daily model-turn budget, one document a day

  # Read by every function.
  common_env = {
    GOOGLE_CLOUD_PROJECT  = var.project_id
    FIRESTORE_DATABASE    = google_firestore_database.main.name
    SESSIONS_COLLECTION   = local.sessions_collection
    STORE_TIMEOUT_SECONDS = "3"
    LOG_LEVEL             = var.log_level
    ALLOWED_ORIGINS       = join(",", var.allowed_origins) # CORS (update_context), MCP Origin guard (chart_action)
    # Bring your own identity (docs/deploy.md): empty issuer and audience = off.
    AUTH_ISSUER                = var.identity_issuer
    AUTH_AUDIENCE              = var.identity_audience
    AUTH_JWKS_URL              = var.identity_jwks_url # empty: the issuer's discovery document
    AUTH_CLOCK_SKEW_SECONDS    = "30"
    AUTH_JWKS_COOLDOWN_SECONDS = "30" # at most one key set refresh per 30 s for unknown kids
    AUTH_JWKS_TIMEOUT_SECONDS  = "3"
  }

  # Read by one function only. Literal maps merged in functions.tf, so the tests can read them.
  # THREADS: functions-framework's gunicorn thread count, one per request the instance takes
  # at once (its concurrency in functions.tf; shared/infra/settings.py INSTANCE_CONCURRENCY).
  update_context_only_env = {
    SESSION_TTL_SECONDS = tostring(var.session_ttl_seconds)
    THREADS             = "80"
  }

  chart_action_only_env = {
    THREADS = "40"
  }

  # Read by the functions that run the chart action (chart_action, and chatkit in-process).
  chart_env = {
    MARKET_DATA_PROVIDER        = var.market_data_provider
    MARKET_DATA_TIMEOUT_SECONDS = "5"
    SAMPLE_MARKET_DAY           = var.sample_market_day # empty: today (UTC)
    BARS_CACHE_COLLECTION       = local.bars_cache_collection
    ALPACA_DATA_URL             = "https://data.alpaca.markets"
    ALPACA_STOCK_FEED           = var.alpaca_stock_feed
    OPENAI_MODEL                = var.openai_model
    OPENAI_TIMEOUT_SECONDS      = "8"
    OPENAI_MAX_CALLS            = "8"     # model calls in flight per instance; past it, the rules answer
    OPENAI_PLANNER_MAX_TOKENS   = "300"   # the planner's max_tokens
    OPENAI_STORE                = "false" # requests and answers are not stored at OpenAI
    # The ceiling on model spend, for the chat's turns and chart_action's fallback planner
    # (docs/deploy.md, "A ceiling on model spend").
    CHATKIT_MODEL_TURNS_PER_HOUR            = tostring(var.model_turns_per_hour)
    CHATKIT_MODEL_TURNS_PER_INSTANCE_MINUTE = tostring(var.model_turns_per_instance_minute)
    CHATKIT_MODEL_TURNS_PER_DAY             = tostring(var.model_turns_per_day)
    MODEL_BUDGET_COLLECTION                 = local.model_budget
    CHATKIT_CLIENT_IP_HOP                   = "2" # X-Forwarded-For: <client>, <forwarding rule>
  }

  chatkit_only_env = {
    CHATKIT_THREADS_COLLECTION = local.chatkit_threads
    CHATKIT_THREAD_TTL_SECONDS = tostring(var.chatkit_thread_ttl_seconds)
    CHATKIT_TURNS_PER_MINUTE   = tostring(var.chatkit_turns_per_minute)
    CHATKIT_TURN_SECONDS       = "20"   # one wall-clock budget per turn with the model; functions.tf's timeout is well above
    CHATKIT_HISTORY_TOKENS     = "2000" # the conversation the agent reads, trimmed by tokens
    OPENAI_MAX_OUTPUT_TOKENS   = "400"  # the agent's max_output_tokens per call
    FUNCTION_USE_ASGI          = "true" # functions-framework serves the async (ASGI) handler
  }

  # Secrets: which function reads each one, and whether this deployment uses it. A secret
  # Cloud Functions cannot resolve to a version fails the deploy, so the optional ones exist
  # (and are wired) only when their feature is switched on.
  # chatkit runs the chart action in-process, so it reads the market-data keys too; it never
  # reads CHART_ACTION_TOKEN (it has no HTTP hop to chart_action).
  secrets = {
    CHART_ACTION_TOKEN    = { functions = ["chart_action"], enabled = true }
    OPENAI_API_KEY        = { functions = ["chart_action", "chatkit"], enabled = var.enable_openai_planner }
    ALPACA_API_KEY_ID     = { functions = ["chart_action", "chatkit"], enabled = var.market_data_provider == "alpaca" }
    ALPACA_API_SECRET_KEY = { functions = ["chart_action", "chatkit"], enabled = var.market_data_provider == "alpaca" }
  }

  # secret name => the functions that read it, for the secrets this deployment uses.
  enabled_secrets = { for name, secret in local.secrets : name => secret.functions if secret.enabled }
  # One accessor grant per (secret, reader): "<SECRET>/<function>" => both.
  secret_readers = merge([
    for name, readers in local.enabled_secrets : {
      for function in readers : "${name}/${function}" => { secret = name, function = function }
    }
  ]...)
}
