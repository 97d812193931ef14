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
# new projects no longer grant build permissions). What a gen2 build does, and so all it may do
# (docs/deploy.md, "Least privilege", cites Google's pages): read the function's source, push
# the image it builds, write the build's logs. roles/run.builder grants exactly those
# permissions, but on the whole project (every bucket readable, every Artifact Registry
# repository writable); here each is granted on the one resource the build touches.
resource "google_service_account" "build" {
  project      = var.project_id
  account_id   = "chart-control-build"
  display_name = "chart-control function builds"
  depends_on   = [google_project_service.apis]
}

# Build logs: logging.logEntries.create, grantable on the project only.
resource "google_project_iam_member" "build" {
  for_each = toset(["roles/logging.logWriter"])
  project  = var.project_id
  role     = each.value
  member   = "serviceAccount:${google_service_account.build.email}"
}

# The source: Cloud Functions copies each deployed zip into its own bucket of this project,
# gcf-v2-sources-<project number>-<region>, which the build reads. That bucket is created by
# the service (Terraform cannot grant on it before it exists), so the read is a project grant
# limited by a condition to the buckets of that name.
resource "google_project_iam_member" "build_source" {
  project = var.project_id
  role    = "roles/storage.objectViewer"
  member  = "serviceAccount:${google_service_account.build.email}"

  condition {
    title       = "function-sources"
    description = "Only the Cloud Functions gen2 source buckets"
    expression  = "resource.name.startsWith(\"projects/_/buckets/gcf-v2-sources-\")"
  }
}

# ... and this deployment's upload bucket (storage.tf), which the zip is named from.
resource "google_storage_bucket_iam_member" "build_source" {
  bucket = google_storage_bucket.sources.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.build.email}"
}

# The image (and the buildpacks' cache image): pushed to and pulled from this one repository.
resource "google_artifact_registry_repository_iam_member" "build" {
  project    = var.project_id
  location   = google_artifact_registry_repository.functions.location
  repository = google_artifact_registry_repository.functions.name
  role       = "roles/artifactregistry.writer"
  member     = "serviceAccount:${google_service_account.build.email}"
}

# IAM changes take a while to reach every Google service: a build or a function started right
# after its grants fails to pull the source or to read its secrets. The functions wait for this
# pause, which reruns whenever a grant a build or a function needs at creation changes (as
# Google's own gen2 example does, 60 s).
resource "time_sleep" "iam_propagation" {
  create_duration = "60s"

  triggers = {
    build = join(",", sort(concat(
      [for grant in google_project_iam_member.build : grant.id],
      [
        google_project_iam_member.build_source.id,
        google_storage_bucket_iam_member.build_source.id,
        google_artifact_registry_repository_iam_member.build.id,
      ],
    )))
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
