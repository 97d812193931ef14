locals {
  # Entry points are the function names in functions/<name>/main.py.
  functions = {
    update_context = {
      entry_point = "update_context"
      memory      = "256M"
      cpu         = "1"
      timeout     = 10
      concurrency = 40
      env         = merge(local.common_env, local.update_context_only_env)
    }
    chart_action = {
      entry_point = "chart_action"
      memory      = "512M"
      cpu         = "1"
      timeout     = 30
      concurrency = 40
      env         = merge(local.common_env, local.chart_action_only_env)
    }
  }
}

resource "google_cloudfunctions2_function" "fn" {
  for_each = local.functions
  name     = replace(each.key, "_", "-")
  location = var.region

  build_config {
    runtime     = "python312"
    entry_point = each.value.entry_point
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
    ingress_settings                 = "ALLOW_INTERNAL_AND_GCLB"
    all_traffic_on_latest_revision   = true
    environment_variables            = each.value.env

    dynamic "secret_environment_variables" {
      for_each = each.key == "chart_action" ? local.enabled_secrets : toset([])
      content {
        key        = secret_environment_variables.value
        project_id = var.project_id
        secret     = google_secret_manager_secret.chart_action[secret_environment_variables.value].secret_id
        version    = var.secret_versions[secret_environment_variables.value]
      }
    }
  }

  depends_on = [
    google_project_service.apis,
    google_secret_manager_secret_iam_member.chart_action,
    google_project_iam_member.datastore_user,
  ]
}
