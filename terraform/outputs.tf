output "base_url" {
  description = "Public base URL (serves once DNS points var.domain at load_balancer_ip and the certificate is active)."
  value       = "https://${var.domain}"
}

output "update_context_url" {
  description = "Where the page posts its chart context (web kit: syncContext({url}))."
  value       = "https://${var.domain}/api/chatkit/update-context"
}

output "chart_action_url" {
  description = "The agent's plain JSON route (Authorization: Bearer CHART_ACTION_TOKEN)."
  value       = "https://${var.domain}/api/chatkit/chart-action"
}

output "mcp_url" {
  description = "MCP server URL for the agent (Agents SDK, Agent Builder MCP tool node); same bearer token."
  value       = "https://${var.domain}/api/chatkit/mcp"
}

output "load_balancer_ip" {
  description = "Point an A record for var.domain here."
  value       = google_compute_global_address.lb.address
}

output "certificate_name" {
  description = "The managed certificate for var.domain (its name changes with the domain): gcloud compute ssl-certificates describe NAME --global."
  value       = google_compute_managed_ssl_certificate.api.name
}

output "function_uris" {
  description = "Direct run.app URIs of the functions (closed to the internet by their ingress setting; for reference and logs)."
  value       = { for name, fn in google_cloudfunctions2_function.fn : name => fn.service_config[0].uri }
}

output "secrets" {
  description = "Secret => the version each function reads. Add a value with: printf '%s' \"$VALUE\" | gcloud secrets versions add NAME --project PROJECT --data-file=-"
  value       = { for name, secret in google_secret_manager_secret.secret : name => secret.labels["pinned_version"] }
}

output "service_accounts" {
  description = "Runtime service account of each function, and the build account."
  value = merge(
    { for name, sa in google_service_account.fn : name => sa.email },
    { build = google_service_account.build.email },
  )
}

output "firebase_web_config" {
  description = "The web kit's `firebase` option (live updates): terraform output -json firebase_web_config. Not a secret (the page ships it; firestore.rules decide access), marked sensitive only because the provider marks the key so."
  sensitive   = true
  value = {
    projectId  = var.project_id
    apiKey     = google_apikeys_key.browser.key_string
    appId      = google_firebase_web_app.page.app_id
    databaseId = var.firestore_database
  }
}

output "chatkit_url" {
  description = "The ChatKit server (ChatKit protocol over SSE): the web kit's chat url."
  value       = "https://${var.domain}/api/chatkit"
}
