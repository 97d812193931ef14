# Source bundles: `make build` writes build/<function>/ (main.py, shared/, requirements.txt).
resource "google_storage_bucket" "sources" {
  #checkov:skip=CKV_GCP_62:Holds only deployment zips written by Terraform; Cloud Audit Logs record access, a second log bucket would add cost and nothing to audit.
  name                        = "${var.project_id}-chart-control-sources"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      num_newer_versions = 5
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.apis]
}

data "archive_file" "bundle" {
  for_each    = local.functions
  type        = "zip"
  source_dir  = "${path.module}/../build/${each.key}"
  output_path = "${path.module}/../build/${each.key}.zip"
}

# The zip's hash is in the object name, so any code change redeploys the function.
resource "google_storage_bucket_object" "bundle" {
  for_each = local.functions
  name     = "${each.key}/${data.archive_file.bundle[each.key].output_md5}.zip"
  bucket   = google_storage_bucket.sources.name
  source   = data.archive_file.bundle[each.key].output_path
}
