variable "project_id" {
  description = "Google Cloud project that hosts the functions, Firestore and the load balancer."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a valid Google Cloud project id."
  }
}

variable "region" {
  description = "Region of the functions and their serverless NEGs (e.g. us-central1)."
  type        = string
  default     = "us-central1"

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]$", var.region))
    error_message = "region must look like us-central1 or europe-west1."
  }
}

variable "firestore_location" {
  description = "Firestore location (a region such as us-central1 or a multi-region such as nam5)."
  type        = string
  default     = "nam5"
}

variable "domain" {
  description = "Domain of the public base URL; point its A record at the load_balancer_ip output."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9-]+\\.)+[a-z]{2,}$", var.domain))
    error_message = "domain must be a fully qualified domain name such as chart.example.com."
  }
}

variable "allowed_origins" {
  description = "Origins of the trading page allowed to call update-context from a browser (CORS)."
  type        = list(string)

  validation {
    condition     = alltrue([for o in var.allowed_origins : can(regex("^https?://[^/]+$", o))])
    error_message = "Each origin is scheme://host[:port] with no path, e.g. https://app.example.com."
  }
}

variable "session_ttl_seconds" {
  description = "How long a chart context lives after its last update (Firestore TTL on expires_at)."
  type        = number
  default     = 43200

  validation {
    condition     = var.session_ttl_seconds >= 60 && var.session_ttl_seconds <= 2592000
    error_message = "session_ttl_seconds must be between 60 and 2592000 (30 days)."
  }
}

variable "min_instances" {
  description = "Warm instances per function (1 removes cold starts for a few cents a day)."
  type        = number
  default     = 0

  validation {
    condition     = var.min_instances >= 0 && var.min_instances <= 10
    error_message = "min_instances must be between 0 and 10."
  }
}

variable "max_instances" {
  description = "Upper bound of instances per function (caps cost and Firestore write rate)."
  type        = number
  default     = 20

  validation {
    condition     = var.max_instances >= 1 && var.max_instances <= 1000
    error_message = "max_instances must be between 1 and 1000."
  }
}

variable "market_data_provider" {
  description = "Where bars come from: sample (synthetic, labelled) or alpaca (needs its two secrets)."
  type        = string
  default     = "sample"

  validation {
    condition     = contains(["sample", "alpaca"], var.market_data_provider)
    error_message = "market_data_provider must be sample or alpaca."
  }
}

variable "enable_openai_planner" {
  description = "Wire the OPENAI_API_KEY secret so free-form queries can use the OpenAI planner."
  type        = bool
  default     = false
}

variable "openai_model" {
  description = "Model of the OpenAI planner."
  type        = string
  default     = "gpt-4.1-mini"
}

variable "secret_versions" {
  description = "Pinned Secret Manager version per secret (add versions with gcloud, see README)."
  type        = map(string)
  default = {
    CHART_ACTION_TOKEN    = "1"
    OPENAI_API_KEY        = "1"
    ALPACA_API_KEY_ID     = "1"
    ALPACA_API_SECRET_KEY = "1"
  }
}

variable "log_level" {
  description = "Log level of both functions (structured JSON to Cloud Logging)."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARNING", "ERROR"], var.log_level)
    error_message = "log_level must be DEBUG, INFO, WARNING or ERROR."
  }
}
