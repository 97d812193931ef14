# Pinned toolchain. google-beta only for the two Firebase resources that are not GA
# (google_firebase_project, google_firebase_web_app; firebase.tf); everything else is google.
# The google constraint is the major whose schema the offline check reads (devtools/terraform/
# schema/google.json, google 8.7.0); a test fails when the vendored schema's version falls
# outside a constraint here. The 7.0 and 8.0 upgrade guides change nothing this module uses
# (docs/deploy.md, "Provider versions").
terraform {
  required_version = ">= 1.5"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 8.7"
    }
    google-beta = {
      source  = "hashicorp/google-beta"
      version = "~> 8.7"
    }
    archive = {
      source  = "hashicorp/archive"
      version = "~> 2.6"
    }
    time = {
      source  = "hashicorp/time"
      version = "~> 0.14"
    }
  }
}

provider "google" {
  project = var.project_id
  region  = var.region

  # Every resource that takes labels gets these (cost reports, `gcloud ... --filter`).
  default_labels = {
    app = "chart-control"
  }
}

# Its two resources (firebase.tf) take no labels.
provider "google-beta" {
  project = var.project_id
  region  = var.region
}
