"""terraform/ against the providers' schemas (devtools.terraform.schema), offline.

The real files must pass; each kind of mistake, planted in an edited copy, must be reported;
the vendored subsets must be the pinned packages' and their versions must satisfy
`required_providers`.
"""

from __future__ import annotations

import pytest

from devtools.terraform.hcl import Tf, block, edited, load
from devtools.terraform.refresh_schema import PACKAGES, used_types
from devtools.terraform.schema import blocks_to_check, load_schemas, provider_of, schema_problems
from devtools.terraform.versions import satisfies


@pytest.fixture(scope="module")
def schemas():
    return load_schemas()


def test_terraform_passes_the_provider_schemas(schemas):
    assert schema_problems(load(marked=True), schemas) == []


def test_the_check_reads_every_block(schemas):
    """Guard against a check that passes because it read nothing."""
    checked = blocks_to_check(load(marked=True))
    assert len(checked) >= 25
    for section, kind, where, body in checked:
        assert kind in schemas[provider_of(section, kind, body)].schemas[section], where


def test_the_vendored_schemas_are_the_pinned_packages_and_only_what_is_used(schemas):
    assert set(schemas) == set(PACKAGES)
    for name, schema in schemas.items():
        assert schema.package == PACKAGES[name]
        kept = {(section, kind) for section, types in schema.schemas.items() for kind in types}
        assert kept == used_types(name)


def test_each_vendored_version_satisfies_required_providers(schemas):
    required = block(Tf(load()).config["terraform"][0]["required_providers"])
    assert set(required) == set(schemas)
    for name, schema in schemas.items():
        assert required[name]["source"] == f"hashicorp/{name}"
        assert satisfies(schema.version, required[name]["version"]), (name, schema.version)
    assert schemas["google"].version.startswith("8.")


# (file, old, new, what the check must say): one planted mistake of each kind.
PLANTED = [
    ("routes.tf", 'resource "google_compute_ssl_policy"', 'resource "google_compute_ssl_polcy"', "google_compute_ssl_polcy.modern: unknown resource type google_compute_ssl_polcy in google 8.7.0"),  # noqa: E501
    ("routes.tf", 'resource "google_compute_ssl_policy" "modern" {', 'resource "google_compute_network" "vpc" {\n  name = "x"\n}\n\nresource "google_compute_ssl_policy" "modern" {', "google_compute_network.vpc: not in the vendored schema: run `make tf-schema`"),  # noqa: E501
    ("storage.tf", 'data "archive_file" "bundle" {', 'data "archive_files" "bundle" {', "data.archive_files.bundle: unknown data type archive_files"),  # noqa: E501
    ("storage.tf", 'resource "google_storage_bucket_object"', 'resource "aws_s3_object"', "aws_s3_object.bundle: no vendored schema for its provider"),  # noqa: E501
    ("functions.tf", "available_cpu ", "available_cpus ", "google_cloudfunctions2_function.fn.service_config: unknown argument available_cpus"),  # noqa: E501
    ("iam.tf", 'account_id   = "chart-control-build"', 'account_id   = "chart-control-build"\n  email = "build@example.com"', "google_service_account.build: email is output-only"),  # noqa: E501
    ("functions.tf", '    ingress_settings               = "ALLOW', '    service = "chart"\n    ingress_settings               = "ALLOW', "google_cloudfunctions2_function.fn.service_config: service is output-only"),  # noqa: E501
    ("database.tf", "  ttl_config {}", "  ttl_config = {}", "google_firestore_field.ttl: ttl_config is a block, not an attribute"),  # noqa: E501
    ("versions.tf", "  default_labels = {", "  default_labels {", "provider.google: default_labels is an attribute, not a block"),  # noqa: E501
    ("storage.tf", "  bucket   = google_storage_bucket.sources.name\n", "", "google_storage_bucket_object.bundle: missing required argument bucket"),  # noqa: E501
    ("storage.tf", '    action {\n      type = "Delete"\n    }\n', "", "google_storage_bucket.sources.lifecycle_rule: missing required block action"),  # noqa: E501
    ("storage.tf", "  versioning {\n    enabled = true\n  }\n", "  versioning {\n    enabled = true\n  }\n  versioning {\n    enabled = false\n  }\n", "google_storage_bucket.sources: block versioning takes one, given 2 times"),  # noqa: E501
    ("functions.tf", '"ALLOW_INTERNAL_AND_GCLB"', '"ALLOW_GCLB"', "service_config: ingress_settings = 'ALLOW_GCLB' is not one of ['ALLOW_ALL', 'ALLOW_INTERNAL_ONLY', 'ALLOW_INTERNAL_AND_GCLB']"),  # noqa: E501
    ("database.tf", '"FIRESTORE_NATIVE"', '"NATIVE"', "google_firestore_database.main: type = 'NATIVE' is not one of"),  # noqa: E501
    ("functions.tf", "        key        = secret_environment_variables.key", "        name       = secret_environment_variables.key", "fn.service_config.secret_environment_variables: unknown argument name"),  # noqa: E501
    ("functions.tf", 'dynamic "secret_environment_variables"', 'dynamic "secret_env"', "service_config: dynamic 'secret_env' is not a block of this type"),  # noqa: E501
    # google_firebase_web_app is beta-only: without `provider = google-beta` GA refuses it
    ("firebase.tf", '  provider     = google-beta\n  project      = var.project_id\n  display_name = "chart-control page"', '  project      = var.project_id\n  display_name = "chart-control page"', "google_firebase_web_app.page: unknown resource type google_firebase_web_app in google 8.7.0"),  # noqa: E501
    ("firebase.tf", '      service = "firestore.googleapis.com"', '      services = "firestore.googleapis.com"', "google_apikeys_key.browser.restrictions.api_targets: unknown argument services"),  # noqa: E501
    ("firebase.tf", '  display_name = "chart-control page"\n', "", "google_firebase_web_app.page: missing required argument display_name"),  # noqa: E501
    ("firebase.tf", "  ruleset_name = ", "  ruleset = ", "google_firebaserules_release.firestore: unknown argument ruleset"),  # noqa: E501
]  # fmt: skip


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"), PLANTED, ids=[p[3].split(": ", 1)[1][:50] for p in PLANTED]
)
def test_each_planted_mistake_is_reported(schemas, file, old, new, expected):
    found = schema_problems(load(replace=edited(file, old, new), marked=True), schemas)
    assert any(expected in problem for problem in found), found


def test_a_dynamic_block_missing_a_required_argument_is_reported(schemas):
    old = "        version    = lookup("
    found = schema_problems(
        load(replace=edited("functions.tf", old, "        versions   = lookup("), marked=True),
        schemas,
    )
    where = "google_cloudfunctions2_function.fn.service_config.secret_environment_variables"
    assert f"{where}: missing required argument version" in found
