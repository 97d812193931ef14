# One public base URL: a global external HTTPS load balancer with a serverless NEG per function.
# It forwards the full path unchanged (the functions serve their production paths), carries a
# Google-managed certificate for var.domain, puts Cloud Armor in front, and with ingress
# ALLOW_INTERNAL_AND_GCLB it is the only way in. Why not API Gateway: docs/deploy.md.
locals {
  # SPEC section 2: production path => function.
  routes = {
    "/api/chatkit/update-context" = "update_context"
    "/api/chatkit/chart-document" = "update_context"
    "/api/chatkit/chart-action"   = "chart_action"
    "/api/chatkit/mcp"            = "chart_action"
    "/api/chatkit/bars"           = "chart_action"
    "/api/chatkit"                = "chatkit"
  }
}

resource "google_compute_global_address" "lb" {
  project    = var.project_id
  name       = "chart-control-ip"
  depends_on = [google_project_service.apis]
}

resource "google_compute_region_network_endpoint_group" "fn" {
  for_each              = local.functions
  project               = var.project_id
  name                  = "chart-${replace(each.key, "_", "-")}-neg"
  region                = var.region
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = google_cloudfunctions2_function.fn[each.key].name
  }
}

# Cloud Armor, one policy per function: Log4Shell probes refused, then a per-client-IP rate
# limit. Cloud Armor counts a rate limit per backend service, so a policy shared by every backend
# would let one IP send the threshold to each function; one policy per backend makes each limit
# exactly what it says: requests per minute from one IP to that function (all of its routes
# together). Sizes: local.functions, overridable with var.rate_limits_per_minute.
resource "google_compute_security_policy" "edge" {
  for_each    = local.functions
  project     = var.project_id
  name        = "chart-${replace(each.key, "_", "-")}-edge"
  description = "chart-control ${each.key}: Log4Shell rule and per-IP rate limit"

  rule {
    action      = "deny(403)"
    priority    = 900
    description = "CVE-2021-44228 (Log4Shell) probes"
    match {
      expr {
        expression = "evaluatePreconfiguredWaf('cve-canary')"
      }
    }
  }

  rule {
    action      = "throttle"
    priority    = 1000
    description = "Per-IP rate limit of ${each.key}"
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
        count        = lookup(var.rate_limits_per_minute, each.key, each.value.rate_limit_per_minute)
        interval_sec = 60
      }
    }
  }

  rule {
    action      = "allow"
    priority    = 2147483647
    description = "Default: allow"
    match {
      versioned_expr = "SRC_IPS_V1"
      config {
        src_ip_ranges = ["*"]
      }
    }
  }

  depends_on = [google_project_service.apis]
}

resource "google_compute_backend_service" "fn" {
  for_each              = local.functions
  project               = var.project_id
  name                  = "chart-${replace(each.key, "_", "-")}-backend"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTPS"
  security_policy       = google_compute_security_policy.edge[each.key].id

  backend {
    group = google_compute_region_network_endpoint_group.fn[each.key].id
  }

  log_config {
    enable      = true
    sample_rate = 1.0
  }
}

# SPEC's paths to their functions. Anything else goes to chart_action, which answers 404
# (or its health document on GET /).
resource "google_compute_url_map" "api" {
  project         = var.project_id
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

# Named from the domain: a new var.domain is a new certificate, created before the old one is
# destroyed, so the HTTPS proxy switches to it in between (a fixed name cannot be replaced while
# the proxy still uses it). docs/deploy.md, "Changing the domain".
resource "google_compute_managed_ssl_certificate" "api" {
  project = var.project_id
  name    = "chart-control-${substr(sha256(var.domain), 0, 12)}"

  managed {
    domains = [var.domain]
  }

  lifecycle {
    create_before_destroy = true
  }

  depends_on = [google_project_service.apis]
}

resource "google_compute_ssl_policy" "modern" {
  project         = var.project_id
  name            = "chart-control-tls"
  profile         = "MODERN"
  min_tls_version = "TLS_1_2"
  depends_on      = [google_project_service.apis]
}

resource "google_compute_target_https_proxy" "api" {
  project          = var.project_id
  name             = "chart-control-https"
  url_map          = google_compute_url_map.api.id
  ssl_certificates = [google_compute_managed_ssl_certificate.api.id]
  ssl_policy       = google_compute_ssl_policy.modern.id
}

resource "google_compute_global_forwarding_rule" "https" {
  project               = var.project_id
  name                  = "chart-control-https"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_address            = google_compute_global_address.lb.id
  port_range            = "443"
  target                = google_compute_target_https_proxy.api.id
}

# Plain HTTP only redirects to HTTPS; 308 keeps the method, so a POST stays a POST.
resource "google_compute_url_map" "redirect" {
  project = var.project_id
  name    = "chart-control-redirect"

  default_url_redirect {
    https_redirect         = true
    strip_query            = false
    redirect_response_code = "PERMANENT_REDIRECT"
  }

  depends_on = [google_project_service.apis]
}

resource "google_compute_target_http_proxy" "redirect" {
  project = var.project_id
  name    = "chart-control-http"
  url_map = google_compute_url_map.redirect.id
}

resource "google_compute_global_forwarding_rule" "http" {
  project               = var.project_id
  name                  = "chart-control-http"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_address            = google_compute_global_address.lb.id
  port_range            = "80"
  target                = google_compute_target_http_proxy.redirect.id
}
