# Secrets hold no value in Terraform (values would land in state). Add versions with:
#   printf '%s' "$TOKEN" | gcloud secrets versions add CHART_ACTION_TOKEN --data-file=-
resource "google_secret_manager_secret" "chart_action" {
  for_each  = local.enabled_secrets
  secret_id = each.value

  replication {
    auto {}
  }

  depends_on = [google_project_service.apis]
}
