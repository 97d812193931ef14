"""terraform/firebase.tf: what the page's live listener needs in a project (issue 23), checked
offline: the rules Terraform releases are the file the emulator enforces in every test run, on
the collection the functions write; the browser key is restricted to the page's origins and
to the Firestore API; the release follows the database. Planted ordering and schema mistakes
in firebase.tf are in test_terraform_order.py and test_terraform_schema.py."""

from __future__ import annotations

import re

import pytest

from devtools.processes import FIRESTORE_RULES
from devtools.terraform.hcl import TERRAFORM, Tf, load
from tests.unit.test_terraform_eval import evaluate, module  # noqa: F401 - the fixture


def test_the_released_rules_are_the_file_the_emulator_enforces():
    ruleset = Tf(load()).resources("google_firebaserules_ruleset")["firestore"]
    (files,) = ruleset["source"][0]["files"]
    assert files["name"] == "firestore.rules"
    assert files["content"] == '${file("${path.module}/../firestore.rules")}'
    assert (TERRAFORM / ".." / "firestore.rules").resolve() == FIRESTORE_RULES


def test_the_rules_open_the_collection_the_functions_write():
    sessions = Tf(load()).locals["sessions_collection"]
    assert re.findall(r"match /(?!databases/)(\w+)/", FIRESTORE_RULES.read_text()) == [sessions]


def test_the_browser_key_is_restricted_to_the_firestore_api_and_the_page(module):  # noqa: F811
    key = Tf(load()).resources("google_apikeys_key")["browser"]
    (restrictions,) = key["restrictions"]
    assert [t["service"] for t in restrictions["api_targets"]] == ["firestore.googleapis.com"]
    (browser,) = restrictions["browser_key_restrictions"]
    assert browser["allowed_referrers"] == "${local.browser_referrers}"
    origins = '["https://app.example.com","http://localhost:5173"]'
    assert evaluate(module, "local.browser_referrers", allowed_origins=origins) == [
        "https://app.example.com/*",
        "http://localhost:5173/*",
    ]
    web_app = Tf(load()).resources("google_firebase_web_app")["page"]
    assert web_app["api_key_id"] == "${google_apikeys_key.browser.uid}"


@pytest.mark.parametrize(
    ("database", "release"),
    [("(default)", "cloud.firestore"), ("chart-control", "cloud.firestore/chart-control")],
)
def test_the_release_names_the_database(module, database, release):  # noqa: F811
    assert evaluate(module, "local.firestore_rules_release", firestore_database=database) == release


def test_the_web_config_output_has_what_the_kit_reads():
    output = Tf(load()).config["output"]
    (config,) = [blk["firebase_web_config"] for blk in output if "firebase_web_config" in blk]
    assert config["sensitive"] is True
    assert set(config["value"]) == {"projectId", "apiKey", "appId", "databaseId"}
