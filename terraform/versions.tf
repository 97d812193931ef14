# Pinned toolchain. google-beta is not needed: every resource here is GA in the google provider.
terraform {
  required_version = ">= 1.5"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.10"
    }
    archive = {
      source  = "hashicorp/archive"
      version = "~> 2.6"
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
