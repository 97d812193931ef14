# One service account per function, least privilege: Firestore data access, and each secret
# readable only by the function that needs it. No owner/editor anywhere.
resource "google_service_account" "fn" {
  for_each     = local.functions
  account_id   = "chart-${replace(each.key, "_", "-")}"
  display_name = "chart-control ${each.key}"
}

resource "google_project_iam_member" "datastore_user" {
  for_each = local.functions
  project  = var.project_id
  role     = "roles/datastore.user"
  member   = "serviceAccount:${google_service_account.fn[each.key].email}"
}

resource "google_project_iam_member" "log_writer" {
  for_each = local.functions
  project  = var.project_id
  role     = "roles/logging.logWriter"
  member   = "serviceAccount:${google_service_account.fn[each.key].email}"
}

resource "google_secret_manager_secret_iam_member" "chart_action" {
  for_each  = local.enabled_secrets
  secret_id = google_secret_manager_secret.chart_action[each.value].id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.fn["chart_action"].email}"
}

# The load balancer reaches the functions' Cloud Run services as the public; ingress is limited
# to internal + load balancer traffic, and chart_action checks its bearer token itself.
# (roles/run.invoker must be granted on the Run service: the cloudfunctions2 IAM resources
# reject it.)
resource "google_cloud_run_service_iam_member" "public" {
  #checkov:skip=CKV_GCP_102:Public by design: ingress is ALLOW_INTERNAL_AND_GCLB, so only the load balancer (with Cloud Armor) reaches it; chart_action requires its bearer token and update_context takes an unguessable session id.
  for_each = local.functions
  location = var.region
  service  = google_cloudfunctions2_function.fn[each.key].name
  role     = "roles/run.invoker"
  member   = "allUsers"
}
