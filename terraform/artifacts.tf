# The functions' images. A gen2 build pushes the image it makes to Artifact Registry; left to
# itself it creates a `gcf-artifacts` repository per region and needs write access to every
# repository of the project. This one repository is named in each function's build_config
# (docker_repository), and the build account may write to it alone (iam.tf).
resource "google_artifact_registry_repository" "functions" {
  #checkov:skip=CKV_GCP_84:The images hold the public bundle only (no secret: those come from Secret Manager at run time) and are encrypted at rest by Google; a customer-managed key would add a KMS key ring, its grants and its cost, and protect nothing more.
  project       = var.project_id
  location      = var.region
  repository_id = "chart-control-functions"
  description   = "chart-control function images (Cloud Functions gen2 builds)"
  format        = "DOCKER"

  # Every deploy of a changed function adds an image (and the buildpacks' cache image): keep
  # the recent ones for a rollback and let the rest go.
  cleanup_policy_dry_run = false
  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = 5
    }
  }
  cleanup_policies {
    id     = "delete-old"
    action = "DELETE"
    condition {
      older_than = "2592000s" # 30 days
    }
  }

  depends_on = [google_project_service.apis]
}
