# The page's live channel (docs/contract.md, "Live updates"): the web kit listens to its own
# session's chart document with the Firebase JavaScript SDK. That needs the project to be a
# Firebase project, a web app (its appId), a browser API key, and firestore.rules released to
# the database (a browser may get only the session document it names; the functions' server
# SDK bypasses rules). The three values the page needs are the firebase_web_config output.

locals {
  # The browser key works from the page's origins only (a referrer is the page's URL).
  browser_referrers = [for origin in var.allowed_origins : "${origin}/*"]
  # The release Firestore enforces: the default database's, or a named database's.
  firestore_rules_release = var.firestore_database == "(default)" ? "cloud.firestore" : "cloud.firestore/${var.firestore_database}"
}

resource "google_firebase_project" "main" {
  provider = google-beta
  project  = var.project_id

  depends_on = [google_project_service.apis]
}

# The key the page's Firebase SDK sends. An API key only identifies the project (access is
# decided by firestore.rules); restricted to the page's origins and to the Firestore API, it
# cannot be used from other sites or for any other Google API.
resource "google_apikeys_key" "browser" {
  project      = var.project_id
  name         = "chart-control-browser"
  display_name = "chart-control page (Firestore listener)"

  restrictions {
    api_targets {
      service = "firestore.googleapis.com"
    }
    browser_key_restrictions {
      allowed_referrers = local.browser_referrers
    }
  }

  depends_on = [google_project_service.apis]
}

resource "google_firebase_web_app" "page" {
  provider     = google-beta
  project      = var.project_id
  display_name = "chart-control page"
  api_key_id   = google_apikeys_key.browser.uid
  # `make destroy` removes the registration (the default only marks it for deletion in 30 days)
  deletion_policy = "DELETE"

  depends_on = [google_firebase_project.main]
}

resource "google_firebaserules_ruleset" "firestore" {
  project = var.project_id

  source {
    files {
      name    = "firestore.rules"
      content = file("${path.module}/../firestore.rules")
    }
  }

  lifecycle {
    create_before_destroy = true # the release moves to the new ruleset before the old one goes
  }

  depends_on = [google_project_service.apis, google_firebase_project.main]
}

resource "google_firebaserules_release" "firestore" {
  project      = var.project_id
  name         = local.firestore_rules_release
  ruleset_name = "projects/${var.project_id}/rulesets/${google_firebaserules_ruleset.firestore.name}"

  lifecycle {
    replace_triggered_by = [google_firebaserules_ruleset.firestore] # a changed file re-releases
  }

  depends_on = [google_firestore_database.main]
}
