# APIs the deployment needs. Left enabled on destroy: other things in the project may use them.
locals {
  apis = [
    "artifactregistry.googleapis.com",     # images Cloud Build makes for the functions
    "cloudbuild.googleapis.com",           # builds the function bundles
    "cloudfunctions.googleapis.com",       # Cloud Functions gen2
    "cloudresourcemanager.googleapis.com", # project IAM bindings
    "apikeys.googleapis.com",              # the page's browser key (firebase.tf)
    "compute.googleapis.com",              # load balancer, NEGs, Cloud Armor, certificate
    "firebase.googleapis.com",             # the Firebase project and the page's web app
    "firebaserules.googleapis.com",        # firestore.rules, released to the database
    "firestore.googleapis.com",            # chart contexts and the bars cache
    "iam.googleapis.com",                  # service accounts
    "logging.googleapis.com",              # function, build and load balancer logs
    "run.googleapis.com",                  # gen2 functions run as Cloud Run services
    "secretmanager.googleapis.com",        # bearer token and API keys
    "storage.googleapis.com",              # source bundles
  ]
}

resource "google_project_service" "apis" {
  for_each           = toset(local.apis)
  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}
