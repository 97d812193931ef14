"""terraform/'s apply order (devtools.terraform.order): APIs before what calls them, IAM grants
(through a propagation pause) before the builds and functions that need them. The real files
must pass; each planted ordering mistake must be reported."""

from __future__ import annotations

import pytest

from devtools.terraform.hcl import edited, load
from devtools.terraform.order import Graph, order_problems

CERT_DEPENDS = "create_before_destroy = true\n  }\n\n  depends_on = [google_project_service.apis]"
TLS_DEPENDS = '"TLS_1_2"\n  depends_on      = [google_project_service.apis]'
REDIRECT_DEPENDS = '"PERMANENT_REDIRECT"\n  }\n\n  depends_on = [google_project_service.apis]'
PAUSE = "    time_sleep.iam_propagation,"
RULESET_DEPENDS = "  depends_on = [google_project_service.apis, google_firebase_project.main]"


def test_terraform_applies_in_order():
    assert order_problems(load()) == []


def test_the_graph_sees_transitive_dependencies():
    """Guard: the NEG reaches the APIs only through the function it serves."""
    graph = Graph(load())
    neg = {e.address for e in graph.ancestors("google_compute_region_network_endpoint_group.fn")}
    assert {
        "google_cloudfunctions2_function.fn",
        "google_project_service.apis",
        "time_sleep.iam_propagation",
        "google_project_iam_member.build",
        "google_firestore_database.main",  # through local.functions -> env -> the database name
    } <= neg


PLANTED = [
    ("routes.tf", CERT_DEPENDS, "create_before_destroy = true\n  }", "google_compute_managed_ssl_certificate.api: may be created before compute.googleapis.com is enabled"),  # noqa: E501
    ("routes.tf", TLS_DEPENDS, '"TLS_1_2"', "google_compute_ssl_policy.modern: may be created before compute.googleapis.com"),  # noqa: E501
    # The proxy reaches the APIs only through the redirect map: both are reported.
    ("routes.tf", REDIRECT_DEPENDS, '"PERMANENT_REDIRECT"\n  }', "google_compute_target_http_proxy.redirect: may be created before compute.googleapis.com"),  # noqa: E501
    # Depending on one API is precise: the wrong one does not count.
    ("routes.tf", TLS_DEPENDS, '"TLS_1_2"\n  depends_on      = [google_project_service.apis["iam.googleapis.com"]]', "google_compute_ssl_policy.modern: may be created before compute.googleapis.com"),  # noqa: E501
    ("apis.tf", '    "compute.googleapis.com",              # load balancer, NEGs, Cloud Armor, certificate\n', "", "google_compute_url_map.api: needs compute.googleapis.com, which apis.tf does not enable"),  # noqa: E501
    ("routes.tf", 'resource "google_compute_ssl_policy" "modern" {', 'resource "google_pubsub_topic" "events" {\n  name       = "events"\n  depends_on = [google_project_service.apis]\n}\n\nresource "google_compute_ssl_policy" "modern" {', "google_pubsub_topic.events: no API known for google_pubsub_topic"),  # noqa: E501
    # Grants straight before the function, with no propagation pause in between.
    ("functions.tf", PAUSE, "    google_project_iam_member.build,", "google_cloudfunctions2_function.fn: follows google_project_iam_member.build without a time_sleep"),  # noqa: E501
    ("functions.tf", PAUSE, "", "google_cloudfunctions2_function.fn: may start before google_project_iam_member.runtime"),  # noqa: E501
    # The pause forgets the secret grants: a new secret's reader could come after the function.
    ("iam.tf", "    secrets = join(", "    # secrets = join(", "google_cloudfunctions2_function.fn: may start before google_secret_manager_secret_iam_member.reader"),  # noqa: E501
    # firebase.tf: the rules and the browser key wait for their APIs
    ("firebase.tf", RULESET_DEPENDS, "", "google_firebaserules_ruleset.firestore: may be created before firebaserules.googleapis.com"),  # noqa: E501
    ("apis.tf", '    "apikeys.googleapis.com",              # the page\'s browser key (firebase.tf)\n', "", "google_apikeys_key.browser: needs apikeys.googleapis.com, which apis.tf does not enable"),  # noqa: E501
    ("apis.tf", '    "firebase.googleapis.com",             # the Firebase project and the page\'s web app\n', "", "google_firebase_project.main: needs firebase.googleapis.com"),  # noqa: E501
]  # fmt: skip


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"), PLANTED, ids=[p[3][:60] for p in PLANTED]
)
def test_each_planted_ordering_mistake_is_reported(file, old, new, expected):
    found = order_problems(load(replace=edited(file, old, new)))
    assert any(expected in problem for problem in found), found


def test_depending_on_the_one_api_needed_is_enough():
    found = order_problems(
        load(
            replace=edited(
                "routes.tf",
                TLS_DEPENDS,
                '"TLS_1_2"\n  depends_on = [google_project_service.apis["compute.googleapis.com"]]',
            )
        )
    )
    assert found == []
