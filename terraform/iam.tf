# Least privilege. One runtime service account per function with Firestore data access on this
# database only; each secret readable only by the function that reads it; a build service
# account for Cloud Build. No basic roles (owner/editor/viewer) anywhere; the consistency check
# (devtools/terraform/consistency.py) checks every grant below against an allowlist.

resource "google_service_account" "fn" {
  for_each     = local.functions
  project      = var.project_id
  account_id   = "chart-${replace(each.key, "_", "-")}"
  display_name = "chart-control ${each.key} (runtime)"
  depends_on   = [google_project_service.apis]
}

# Firestore read/write, limited by an IAM condition to this database. (Logs need no role: Cloud
# Run collects the functions' stdout.)
resource "google_project_iam_member" "runtime" {
  for_each = local.functions
  project  = var.project_id
  role     = "roles/datastore.user"
  member   = "serviceAccount:${google_service_account.fn[each.key].email}"

  condition {
    title       = "chart-control-database"
    description = "Only the chart-control Firestore database"
    expression  = "resource.name == \"projects/${var.project_id}/databases/${google_firestore_database.main.name}\""
  }
}

# Each secret: accessor for each function that reads it, on that secret alone.
resource "google_secret_manager_secret_iam_member" "reader" {
  for_each  = local.secret_readers
  project   = var.project_id
  secret_id = google_secret_manager_secret.secret[each.value.secret].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.fn[each.value.function].email}"
}

# Cloud Build runs the function builds as this account, not the default compute account (which
# new projects no longer grant build permissions). roles/run.builder is Google's role for the
# account of a Cloud Functions / Cloud Run source build: it reads the uploaded source, writes
# the image to Artifact Registry and the build logs.
resource "google_service_account" "build" {
  project      = var.project_id
  account_id   = "chart-control-build"
  display_name = "chart-control function builds"
  depends_on   = [google_project_service.apis]
}

resource "google_project_iam_member" "build" {
  for_each = toset(["roles/run.builder"])
  project  = var.project_id
  role     = each.value
  member   = "serviceAccount:${google_service_account.build.email}"
}

# IAM changes take a while to reach every Google service: a build or a function started right
# after its grants fails to pull the source or to read its secrets. The functions wait for this
# pause, which reruns whenever a grant a build or a function needs at creation changes (as
# Google's own gen2 example does, 60 s).
resource "time_sleep" "iam_propagation" {
  create_duration = "60s"

  triggers = {
    build   = join(",", sort([for grant in google_project_iam_member.build : grant.id]))
    runtime = join(",", sort([for grant in google_project_iam_member.runtime : grant.id]))
    secrets = join(",", sort([for grant in google_secret_manager_secret_iam_member.reader : grant.id]))
  }
}

# The load balancer's serverless NEGs reach the functions' Cloud Run services unauthenticated,
# so the services admit allUsers; ingress ALLOW_INTERNAL_AND_GCLB keeps the internet out of
# their run.app URLs, and chart_action checks its bearer token itself. (roles/run.invoker is
# granted on the Run service: the cloudfunctions2 IAM resources reject that role.)
resource "google_cloud_run_service_iam_member" "public" {
  #checkov:skip=CKV_GCP_102:Public by design: ingress ALLOW_INTERNAL_AND_GCLB admits only the load balancer (Cloud Armor in front), chart_action requires its bearer token, update_context takes an unguessable session id.
  for_each = local.functions
  project  = var.project_id
  location = var.region
  service  = google_cloudfunctions2_function.fn[each.key].name
  role     = "roles/run.invoker"
  member   = "allUsers"
}
