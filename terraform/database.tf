# Firestore in native mode. Documents of every collection here carry an `expires_at` Timestamp
# (shared/store/firestore.py TTL_FIELD) that a TTL policy deletes.
resource "google_firestore_database" "main" {
  project                 = var.project_id
  name                    = var.firestore_database
  location_id             = var.firestore_location
  type                    = "FIRESTORE_NATIVE"
  delete_protection_state = "DELETE_PROTECTION_ENABLED"
  # `make destroy` leaves the database (and its data) in place instead of failing on it.
  deletion_policy = "ABANDON"

  point_in_time_recovery_enablement = "POINT_IN_TIME_RECOVERY_ENABLED"

  depends_on = [google_project_service.apis]
}

locals {
  ttl_field = "expires_at"

  # Collections whose documents expire. The names come from env.tf, so the functions write to
  # exactly the collections that have the policy.
  ttl_collections = {
    sessions   = local.sessions_collection   # chart context per session (SESSION_TTL_SECONDS)
    bars_cache = local.bars_cache_collection # cached vendor bars (kept two days)
    threads    = local.chatkit_threads       # ChatKit threads (CHATKIT_THREAD_TTL_SECONDS)
    items      = local.chatkit_items         # their items: the collection group of the subcollection
    budget     = local.model_budget          # the daily model-turn budget (kept two days)
  }
}

# threads.list: `where owner == <hash of the chart session> order by created_at` in both orders
# (shared/chat/thread_store.py), paged with a cursor; Firestore needs a composite index for each
# order (the document name is appended implicitly).
resource "google_firestore_index" "threads_by_owner" {
  for_each    = toset(["ASCENDING", "DESCENDING"])
  project     = var.project_id
  database    = google_firestore_database.main.name
  collection  = local.chatkit_threads
  query_scope = "COLLECTION"

  fields {
    field_path = "owner"
    order      = "ASCENDING"
  }
  fields {
    field_path = "created_at"
    order      = each.value
  }
}

# TTL deletes documents whose `expires_at` has passed, typically within 24 hours (the code
# already treats an expired document as absent). `index_config {}` exempts the field from
# single-field indexes: nothing queries it, and an indexed, monotonically increasing timestamp
# would cap the collection's write rate near 500 per second.
resource "google_firestore_field" "ttl" {
  for_each   = local.ttl_collections
  project    = var.project_id
  database   = google_firestore_database.main.name
  collection = each.value
  field      = local.ttl_field

  ttl_config {}
  index_config {}
}
