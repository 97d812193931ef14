# Secret Manager secrets, one per enabled secret in env.tf, each readable only by the service
# accounts of the functions that read it (iam.tf). Terraform creates the empty secret; its value
# never passes through Terraform (it would land in state). Add a version with:
#   printf '%s' "$VALUE" | gcloud secrets versions add NAME --project PROJECT --data-file=-
# `make deploy` checks that the pinned version exists before it deploys (docs/deploy.md).
resource "google_secret_manager_secret" "secret" {
  for_each  = local.enabled_secrets
  project   = var.project_id
  secret_id = each.key

  # Read by scripts/check-secret-versions.sh before a deploy.
  labels = {
    readers        = replace(join("-", each.value), "_", "-")
    pinned_version = lookup(var.secret_versions, each.key, "1")
  }

  replication {
    auto {}
  }

  depends_on = [google_project_service.apis]
}
