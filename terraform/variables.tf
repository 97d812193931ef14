# Inputs. Copy terraform.tfvars.example to terraform.tfvars and fill in the first four.
# No secret value is an input: secrets get their versions from gcloud (docs/deploy.md).

variable "project_id" {
  description = "Google Cloud project that hosts the functions, Firestore and the load balancer."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a Google Cloud project id: 6-30 of a-z, 0-9 and -, starting with a letter."
  }
}

variable "region" {
  description = "Region of the functions, their serverless NEGs, image repository and the source bucket (e.g. us-central1)."
  type        = string
  default     = "us-central1"

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]+$", var.region))
    error_message = "region must be a Google Cloud region such as us-central1 or europe-west1."
  }
}

variable "domain" {
  description = "Domain of the public base URL (https://DOMAIN/api/chatkit/...). Point its A record at the load_balancer_ip output; the managed certificate turns active once it resolves."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain))
    error_message = "domain must be a lower-case fully qualified domain name such as chart-api.example.com."
  }
}

variable "allowed_origins" {
  description = "Origins of the trading page (scheme://host[:port]): update_context answers CORS for them and chart_action's MCP route accepts their Origin header."
  type        = list(string)

  validation {
    condition     = length(var.allowed_origins) > 0 && alltrue([for o in var.allowed_origins : can(regex("^https?://[^/,\\s]+$", o))])
    error_message = "Give at least one origin; each is scheme://host[:port] with no path, comma or trailing slash, e.g. https://app.example.com."
  }
}

variable "firestore_location" {
  description = "Location of a new Firestore database: a multi-region (nam5, eur3) or a region (us-central1). Cannot change after creation."
  type        = string
  default     = "nam5"

  validation {
    condition     = can(regex("^(nam5|nam7|eur3|[a-z]+-[a-z]+[0-9]+)$", var.firestore_location))
    error_message = "firestore_location must be nam5, nam7, eur3 or a region such as us-central1."
  }
}

variable "firestore_database" {
  description = "Firestore database id. \"(default)\" is what most projects use; a named database (e.g. chart-control) lets this app sit beside another one's default database."
  type        = string
  default     = "(default)"

  validation {
    condition     = var.firestore_database == "(default)" || can(regex("^[a-z][a-z0-9-]{2,61}[a-z0-9]$", var.firestore_database))
    error_message = "firestore_database must be \"(default)\" or 4-63 characters of a-z, 0-9 and -, starting with a letter."
  }
}

variable "session_ttl_seconds" {
  description = "How long a chart context lives after its last update: sets expires_at, which the Firestore TTL policy deletes (reads ignore expired documents at once)."
  type        = number
  default     = 43200

  validation {
    condition     = var.session_ttl_seconds >= 60 && var.session_ttl_seconds <= 2592000 && floor(var.session_ttl_seconds) == var.session_ttl_seconds
    error_message = "session_ttl_seconds must be a whole number between 60 and 2592000 (30 days)."
  }
}

variable "min_instances" {
  description = "Warm instances kept per function, a cost choice: 0 (default) scales to zero, so a request that finds no instance waits for a cold start (measured per function in docs/benchmarks.md, 'Cold start'); each warm instance removes that wait and is billed while idle."
  type        = number
  default     = 0

  validation {
    condition     = var.min_instances >= 0 && var.min_instances <= 10 && floor(var.min_instances) == var.min_instances
    error_message = "min_instances must be a whole number between 0 and 10."
  }
}

variable "max_instances" {
  description = "Upper bound of instances per function: caps cost, vendor calls and the Firestore write rate. Must be at least min_instances."
  type        = number
  default     = 20

  validation {
    condition     = var.max_instances >= 1 && var.max_instances <= 1000 && floor(var.max_instances) == var.max_instances
    error_message = "max_instances must be a whole number between 1 and 1000."
  }
}

variable "market_data_provider" {
  description = "Where bars come from: sample (synthetic, labelled as such in every answer) or alpaca (creates and wires the ALPACA_API_KEY_ID and ALPACA_API_SECRET_KEY secrets)."
  type        = string
  default     = "sample"

  validation {
    condition     = contains(["sample", "alpaca"], var.market_data_provider)
    error_message = "market_data_provider must be sample or alpaca."
  }
}

variable "alpaca_stock_feed" {
  description = "Alpaca stock feed: iex (free accounts) or sip (every US exchange, needs a paid market data plan); also delayed_sip, boats, overnight, otc."
  type        = string
  default     = "iex"

  validation {
    condition     = contains(["iex", "sip", "delayed_sip", "boats", "overnight", "otc"], var.alpaca_stock_feed)
    error_message = "alpaca_stock_feed must be one of iex, sip, delayed_sip, boats, overnight, otc."
  }
}

variable "enable_openai_planner" {
  description = "Create and wire the OPENAI_API_KEY secret so queries the rules planner cannot read fall back to the OpenAI planner."
  type        = bool
  default     = false
}

variable "sample_market_day" {
  description = "YYYY-MM-DD: pin the day the sample market is generated for (only with market_data_provider = \"sample\"); empty: today in UTC, so a demo moves on with the calendar. A value that is no date stops the revision at boot (settings validation)."
  type        = string
  default     = ""
}

variable "openai_model" {
  description = "Model the OpenAI planner calls (only used when enable_openai_planner is true)."
  type        = string
  default     = "gpt-4.1-mini"

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$", var.openai_model))
    error_message = "openai_model must be a model id such as gpt-4.1-mini."
  }
}

variable "secret_versions" {
  description = "Secret Manager version each function reads, per secret name (default \"1\" for any secret not listed). Pinned so a rotation is a reviewed change: add a version with gcloud, then raise the number here."
  type        = map(string)
  default     = {}

  validation {
    condition = alltrue([
      for name, version in var.secret_versions :
      contains(["CHART_ACTION_TOKEN", "OPENAI_API_KEY", "ALPACA_API_KEY_ID", "ALPACA_API_SECRET_KEY"], name) && can(regex("^[1-9][0-9]*$", version))
    ])
    error_message = "secret_versions maps CHART_ACTION_TOKEN, OPENAI_API_KEY, ALPACA_API_KEY_ID or ALPACA_API_SECRET_KEY to a version number such as \"2\"."
  }
}

variable "rate_limits_per_minute" {
  description = "Cloud Armor limit per function: requests per minute one client IP may send to that function (all its routes together) before it answers 429. Functions not listed keep their sized default (update_context 300, chart_action 1200, chatkit 300; functions.tf)."
  type        = map(number)
  default     = {}

  validation {
    condition = alltrue([
      for function, limit in var.rate_limits_per_minute :
      contains(["update_context", "chart_action", "chatkit"], function) && limit >= 10 && limit <= 100000 && floor(limit) == limit
    ])
    error_message = "rate_limits_per_minute maps update_context, chart_action or chatkit to a whole number of requests per minute between 10 and 100000."
  }
}

variable "chatkit_thread_ttl_seconds" {
  description = "How long a ChatKit thread (and its items) lives after it was created; a TTL policy deletes it after that."
  type        = number
  default     = 2592000 # 30 days

  validation {
    condition     = var.chatkit_thread_ttl_seconds >= 60 && var.chatkit_thread_ttl_seconds <= 31536000 && floor(var.chatkit_thread_ttl_seconds) == var.chatkit_thread_ttl_seconds
    error_message = "chatkit_thread_ttl_seconds must be a whole number of seconds between 60 and 31536000 (a year)."
  }
}

variable "chatkit_turns_per_minute" {
  description = "Chat turns one chart session may start per minute on one chatkit instance (a turn with an OpenAI key spends tokens)."
  type        = number
  default     = 10

  validation {
    condition     = var.chatkit_turns_per_minute >= 1 && var.chatkit_turns_per_minute <= 1000 && floor(var.chatkit_turns_per_minute) == var.chatkit_turns_per_minute
    error_message = "chatkit_turns_per_minute must be a whole number between 1 and 1000."
  }
}

variable "identity_issuer" {
  description = "OpenID Connect issuer of the host app's ID tokens, exactly as their `iss` claim (Firebase Auth / Identity Platform: https://securetoken.google.com/PROJECT_ID). Set with identity_audience to require `Authorization: Bearer <ID token>` at every door; empty: identity off."
  type        = string
  default     = ""

  validation {
    condition     = var.identity_issuer == "" || can(regex("^https://[^\\s]+$", var.identity_issuer))
    error_message = "identity_issuer must be empty or an https:// URL."
  }
}

variable "identity_audience" {
  description = "The `aud` the ID tokens must carry (Firebase: the project id; Auth0 / Cognito: the app's client id). Set together with identity_issuer."
  type        = string
  default     = ""
}

variable "identity_jwks_url" {
  description = "The issuer's JWKS URL (https://); empty: read from the issuer's /.well-known/openid-configuration. Anything but an https URL stops the revision at boot (settings validation)."
  type        = string
  default     = ""
}

variable "model_turns_per_hour" {
  description = "Chat turns with the model one spender may start per hour on one chatkit instance: the signed-in user (with identity), else the client address the load balancer reports. Past it the rules answer goes out with a sentence that the model is unavailable."
  type        = number
  default     = 30

  validation {
    condition     = var.model_turns_per_hour >= 1 && var.model_turns_per_hour <= 100000 && floor(var.model_turns_per_hour) == var.model_turns_per_hour
    error_message = "model_turns_per_hour must be a whole number between 1 and 100000."
  }
}

variable "model_turns_per_instance_minute" {
  description = "Chat turns with the model one chatkit instance starts per minute, over all spenders."
  type        = number
  default     = 30

  validation {
    condition     = var.model_turns_per_instance_minute >= 1 && var.model_turns_per_instance_minute <= 100000 && floor(var.model_turns_per_instance_minute) == var.model_turns_per_instance_minute
    error_message = "model_turns_per_instance_minute must be a whole number between 1 and 100000."
  }
}

variable "model_turns_per_day" {
  description = "Chat turns with the model the whole project starts per UTC day (kept in Firestore, shared by every instance). Cost arithmetic: docs/deploy.md."
  type        = number
  default     = 1000

  validation {
    condition     = var.model_turns_per_day >= 1 && var.model_turns_per_day <= 10000000 && floor(var.model_turns_per_day) == var.model_turns_per_day
    error_message = "model_turns_per_day must be a whole number between 1 and 10000000."
  }
}

variable "log_level" {
  description = "Log level of every function (structured JSON on stdout, collected by Cloud Logging)."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARNING", "ERROR"], var.log_level)
    error_message = "log_level must be DEBUG, INFO, WARNING or ERROR."
  }
}
