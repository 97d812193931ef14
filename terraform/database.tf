# Firestore in native mode; session documents expire through a TTL policy on `expires_at`.
resource "google_firestore_database" "main" {
  name                    = "(default)"
  location_id             = var.firestore_location
  type                    = "FIRESTORE_NATIVE"
  delete_protection_state = "DELETE_PROTECTION_ENABLED"
  deletion_policy         = "ABANDON"

  point_in_time_recovery_enablement = "POINT_IN_TIME_RECOVERY_ENABLED"

  depends_on = [google_project_service.apis]
}

locals {
  # Collections whose documents carry an `expires_at` Timestamp (shared/config.py defaults).
  ttl_collections = {
    sessions = local.sessions_collection
    bars     = local.bars_cache_collection
  }
  ttl_field = "expires_at"
}

# TTL deletes expired documents (within about a day; reads also treat them as absent).
# `index_config {}` exempts the field from indexing: a monotonically increasing indexed
# timestamp would cap the collection near 500 writes per second.
resource "google_firestore_field" "ttl" {
  for_each   = local.ttl_collections
  project    = var.project_id
  database   = google_firestore_database.main.name
  collection = each.value
  field      = local.ttl_field

  ttl_config {}
  index_config {}
}
