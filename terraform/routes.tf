# One public base URL: a global external HTTPS load balancer with a serverless NEG per function.
# It forwards the full path (the functions accept their production paths), gives a managed
# certificate on your domain and Cloud Armor, and with ALLOW_INTERNAL_AND_GCLB ingress it is the
# only way in. (API Gateway would need Swagger 2.0, google-beta and still a load balancer for a
# custom domain.)
locals {
  routes = {
    "/api/chatkit/update-context" = "update_context"
    "/api/chatkit/chart-action"   = "chart_action"
    "/api/chatkit/mcp"            = "chart_action"
  }
}

resource "google_compute_global_address" "lb" {
  name       = "chart-control-ip"
  depends_on = [google_project_service.apis]
}

resource "google_compute_region_network_endpoint_group" "fn" {
  for_each              = local.functions
  name                  = "chart-${replace(each.key, "_", "-")}-neg"
  region                = var.region
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = google_cloudfunctions2_function.fn[each.key].name
  }
}

# Per-client rate limit in front of both functions.
resource "google_compute_security_policy" "edge" {
  name = "chart-control-edge"

  # Block Log4Shell probes (CVE-2021-44228) before they reach anything.
  rule {
    action   = "deny(403)"
    priority = 900
    match {
      expr {
        expression = "evaluatePreconfiguredWaf('cve-canary')"
      }
    }
  }

  rule {
    action   = "throttle"
    priority = 1000
    match {
      versioned_expr = "SRC_IPS_V1"
      config {
        src_ip_ranges = ["*"]
      }
    }
    rate_limit_options {
      conform_action = "allow"
      exceed_action  = "deny(429)"
      enforce_on_key = "IP"
      rate_limit_threshold {
        count        = 600
        interval_sec = 60
      }
    }
  }

  rule {
    action   = "allow"
    priority = 2147483647
    match {
      versioned_expr = "SRC_IPS_V1"
      config {
        src_ip_ranges = ["*"]
      }
    }
  }
}

resource "google_compute_backend_service" "fn" {
  for_each              = local.functions
  name                  = "chart-${replace(each.key, "_", "-")}-backend"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTPS"
  security_policy       = google_compute_security_policy.edge.id

  backend {
    group = google_compute_region_network_endpoint_group.fn[each.key].id
  }

  log_config {
    enable      = true
    sample_rate = 1.0
  }
}

resource "google_compute_url_map" "api" {
  name            = "chart-control"
  default_service = google_compute_backend_service.fn["chart_action"].id

  host_rule {
    hosts        = [var.domain]
    path_matcher = "api"
  }

  path_matcher {
    name            = "api"
    default_service = google_compute_backend_service.fn["chart_action"].id

    dynamic "path_rule" {
      for_each = local.routes
      content {
        paths   = [path_rule.key]
        service = google_compute_backend_service.fn[path_rule.value].id
      }
    }
  }
}

resource "google_compute_managed_ssl_certificate" "api" {
  name = "chart-control-cert"
  managed {
    domains = [var.domain]
  }
}

resource "google_compute_ssl_policy" "modern" {
  name            = "chart-control-tls"
  profile         = "MODERN"
  min_tls_version = "TLS_1_2"
}

resource "google_compute_target_https_proxy" "api" {
  name             = "chart-control-https"
  url_map          = google_compute_url_map.api.id
  ssl_certificates = [google_compute_managed_ssl_certificate.api.id]
  ssl_policy       = google_compute_ssl_policy.modern.id
}

resource "google_compute_global_forwarding_rule" "https" {
  name                  = "chart-control-https"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_address            = google_compute_global_address.lb.id
  port_range            = "443"
  target                = google_compute_target_https_proxy.api.id
}

# Plain HTTP only redirects to HTTPS.
resource "google_compute_url_map" "redirect" {
  name = "chart-control-redirect"
  default_url_redirect {
    https_redirect         = true
    strip_query            = false
    redirect_response_code = "MOVED_PERMANENTLY_DEFAULT"
  }
}

resource "google_compute_target_http_proxy" "redirect" {
  name    = "chart-control-http"
  url_map = google_compute_url_map.redirect.id
}

resource "google_compute_global_forwarding_rule" "http" {
  name                  = "chart-control-http"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_address            = google_compute_global_address.lb.id
  port_range            = "80"
  target                = google_compute_target_http_proxy.redirect.id
}
