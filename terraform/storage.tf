# Source bundles. `make build` writes build/<function>/ (main.py, a copy of shared/,
# requirements.txt); Terraform zips each folder and uploads it under the zip's hash.
resource "google_storage_bucket" "sources" {
  #checkov:skip=CKV_GCP_62:Holds only the deployment zips Terraform itself uploads; Cloud Audit Logs already record who reads or writes them, a separate access-log bucket would add cost and nothing to audit.
  project                     = var.project_id
  name                        = "${var.project_id}-chart-control-sources"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true

  versioning {
    enabled = true
  }

  # A new bundle has a new name, so the old zip becomes a noncurrent version nothing reads
  # again (a rollback rebuilds from git): drop it after 30 days.
  lifecycle_rule {
    condition {
      days_since_noncurrent_time = 30
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
  excludes    = ["**/__pycache__/**", "**/*.pyc"] # left by local runs of the bundle
}

# The zip's hash is in the object name: any code change is a new object, and the new object
# name is what makes Terraform redeploy the function.
resource "google_storage_bucket_object" "bundle" {
  for_each = local.functions
  name     = "${each.key}/${data.archive_file.bundle[each.key].output_md5}.zip"
  bucket   = google_storage_bucket.sources.name
  source   = data.archive_file.bundle[each.key].output_path
}
