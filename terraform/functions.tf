# The functions: Cloud Functions gen2 (a Cloud Run service underneath), Python 3.12, built from
# the `make build` bundles (storage.tf). Entry points are the decorated functions of the same
# name in functions/<name>/main.py.
locals {
  functions = {
    # Validates, writes one Firestore document and answers: light, I/O-bound, many requests
    # per instance. Timeout: a store call is bounded by STORE_TIMEOUT_SECONDS (3 s).
    update_context = {
      entry_point = "update_context"
      memory      = "256M"
      cpu         = "1" # concurrency above 1 needs a whole CPU
      timeout     = 10
      concurrency = 80
      env         = merge(local.common_env, local.update_context_only_env)
      # Cloud Armor, per client IP (routes.tf): browsers post on symbol/timeframe changes
      # (debounced), a few a minute per tab; 300 leaves room for an office behind one NAT.
      rate_limit_per_minute = 300
    }
    # Plans, fetches bars and computes levels (numeric work on a few hundred bars), may call
    # a vendor and OpenAI. Timeout covers store 3 s + market data 5 s + OpenAI 8 s with room.
    chart_action = {
      entry_point = "chart_action"
      memory      = "512M"
      cpu         = "1"
      timeout     = 30
      concurrency = 40
      env         = merge(local.common_env, local.chart_env, local.chart_action_only_env)
      # The agent's host calls this (JSON and MCP share the count), for all its users from a
      # few IPs: size it to the whole agent's traffic, not one person's.
      rate_limit_per_minute = 1200
    }
    # The ChatKit server: streams a turn (a chart action, and with an OpenAI key one or two
    # model calls). The turn ends itself at CHATKIT_TURN_SECONDS (env.tf) with an error event;
    # the timeout is the platform's cut (behind a serverless NEG it is also the load balancer's
    # request limit), so it sits well above that budget plus the store calls around the turn
    # (the consistency check wants at least twice both): a slow turn is never cut mid-stream
    # and the writes at the end of the stream still land. An open stream holds a request slot,
    # so concurrency is sized for streams that mostly wait on the model.
    chatkit = {
      entry_point = "chatkit"
      memory      = "1Gi" # the Agents SDK and chatkit are heavier than the other two
      cpu         = "1"
      timeout     = 120
      concurrency = 40
      env         = merge(local.common_env, local.chart_env, local.chatkit_only_env)
      # Browsers post here (one turn is a few requests: create, list, items); a person types a
      # few turns a minute and CHATKIT_TURNS_PER_MINUTE caps turns per chart session.
      rate_limit_per_minute = 300
    }
  }
}

resource "google_cloudfunctions2_function" "fn" {
  for_each    = local.functions
  project     = var.project_id
  name        = replace(each.key, "_", "-")
  location    = var.region
  description = "chart-control ${each.key} (SPEC section 2)"

  build_config {
    runtime         = "python312"
    entry_point     = each.value.entry_point
    service_account = google_service_account.build.id
    # Images go to this deployment's own repository (artifacts.tf), the only one the build
    # account may write to.
    docker_repository = google_artifact_registry_repository.functions.id
    source {
      storage_source {
        bucket = google_storage_bucket.sources.name
        object = google_storage_bucket_object.bundle[each.key].name
      }
    }
  }

  service_config {
    available_memory                 = each.value.memory
    available_cpu                    = each.value.cpu
    timeout_seconds                  = each.value.timeout
    max_instance_request_concurrency = each.value.concurrency
    min_instance_count               = var.min_instances
    max_instance_count               = var.max_instances
    service_account_email            = google_service_account.fn[each.key].email
    # Only the load balancer (and internal traffic) reaches the function: its run.app URL
    # refuses requests from the internet.
    ingress_settings               = "ALLOW_INTERNAL_AND_GCLB"
    all_traffic_on_latest_revision = true
    environment_variables          = each.value.env

    # The secrets this function reads, each pinned to a version (variables.tf secret_versions).
    dynamic "secret_environment_variables" {
      for_each = { for name, readers in local.enabled_secrets : name => name if contains(readers, each.key) }
      content {
        key        = secret_environment_variables.key
        project_id = var.project_id
        secret     = google_secret_manager_secret.secret[secret_environment_variables.key].secret_id
        version    = lookup(var.secret_versions, secret_environment_variables.key, "1")
      }
    }
  }

  lifecycle {
    precondition {
      condition     = var.min_instances <= var.max_instances
      error_message = "min_instances must not exceed max_instances."
    }
    precondition {
      condition     = (var.identity_issuer == "") == (var.identity_audience == "")
      error_message = "Set identity_issuer and identity_audience together, or neither."
    }
  }

  # A build that starts before its account's grants have propagated cannot pull the source; a
  # function that starts before it may read its secrets or Firestore fails its first requests.
  depends_on = [
    google_project_service.apis,
    time_sleep.iam_propagation,
  ]
}
