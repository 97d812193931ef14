output "base_url" {
  description = "Public base URL (after DNS points var.domain at load_balancer_ip)."
  value       = "https://${var.domain}"
}

output "update_context_url" {
  description = "Where the page posts its chart context."
  value       = "https://${var.domain}/api/chatkit/update-context"
}

output "chart_action_url" {
  description = "The agent's plain JSON route."
  value       = "https://${var.domain}/api/chatkit/chart-action"
}

output "mcp_url" {
  description = "Server URL for Agent Builder's MCP tool node."
  value       = "https://${var.domain}/api/chatkit/mcp"
}

output "load_balancer_ip" {
  description = "Point an A record for var.domain here."
  value       = google_compute_global_address.lb.address
}

output "function_uris" {
  description = "Direct run.app URIs (closed to the internet by ingress settings)."
  value       = { for name, fn in google_cloudfunctions2_function.fn : name => fn.service_config[0].uri }
}
