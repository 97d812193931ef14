"""firestore.rules on the run's Firestore emulator (started with `--rules`, devtools.processes).

Browsers: web/test-emulator/firestore-rules.test.js drives the Firebase JavaScript SDK (through
@firebase/rules-unit-testing) against this emulator and shows each allowed and refused access;
web/test-emulator/live.test.js runs the kit's listener over the same SDK.
Servers: the functions' client (google-cloud-firestore) authenticates to the emulator as its
owner and bypasses the rules, so starting the whole run's emulator with them changes nothing for
the functions — proven here next to a plain, token-less REST read that the rules refuse.
"""

from __future__ import annotations

import os
import re
import subprocess

import requests
from google.cloud import firestore

from devtools.processes import FIRESTORE_RULES, REPO
from devtools.stack import LOCAL_PROJECT
from shared.infra.settings import Settings
from shared.models.fields import SESSION_ID_PATTERN
from tests.helpers import new_session_id

WEB = REPO / "web"
RULES_TESTS = [
    "allowed: get chart_sessions/<id>",
    "allowed: get of a session that does not exist (yet): the listener waits for it",
    "refused: an id that is not a session id",
    "refused: list chart_sessions (with or without a filter)",
    "refused: create, update, overwrite and delete a session document",
    "refused: documents under a session",
    "refused: chat threads and their items, by id or listed",
    "refused: bar caches and any other collection",
]


def node_tests(file: str, emulator_host: str) -> set[str]:
    """Run one node --test file of web/test-emulator/ on the emulator: the names that passed."""
    result = subprocess.run(
        ["node", "--test", "--test-reporter=tap", f"test-emulator/{file}"],
        cwd=WEB, capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "FIRESTORE_EMULATOR_HOST": emulator_host},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout
    return set(re.findall(r"^\s*ok \d+ - (.+)$", result.stdout, flags=re.MULTILINE))


def test_browsers_meet_the_rules(firestore_emulator: str):
    passed = node_tests("firestore-rules.test.js", firestore_emulator)
    assert set(RULES_TESTS) <= passed, sorted(set(RULES_TESTS) - passed)


def test_the_kit_listener_with_the_firebase_sdk(firestore_emulator: str):
    """web/src/live.js over the real SDK: server writes arrive, each version once; a refused
    document is retried, never drawn."""
    passed = node_tests("live.test.js", firestore_emulator)
    assert len(passed) == 2, passed


def _documents_url(host: str, path: str) -> str:
    return f"http://{host}/v1/projects/{LOCAL_PROJECT}/databases/(default)/documents/{path}"


def test_the_run_emulator_enforces_the_rules_and_the_server_sdk_bypasses_them(
    clean_firestore: str,
):
    client = firestore.Client(project=LOCAL_PROJECT)
    session = new_session_id()
    sessions = client.collection(Settings().sessions_collection)
    sessions.document(session).set({"symbol": "TSLA", "version": 1})
    client.collection("chatkit_threads").document("thr_rules").set({"owner": "x"})
    # the server SDK: every read, list and write the functions make still works
    assert sessions.document(session).get().to_dict() == {"symbol": "TSLA", "version": 1}
    assert [d.id for d in sessions.stream()] == [session]
    assert client.collection("chatkit_threads").document("thr_rules").get().exists
    # a browser's request (no owner token) meets the rules: the one session by id, nothing else
    own = requests.get(_documents_url(clean_firestore, f"chart_sessions/{session}"), timeout=10)
    assert own.status_code == 200
    thread = requests.get(_documents_url(clean_firestore, "chatkit_threads/thr_rules"), timeout=10)
    assert thread.status_code == 403
    listed = requests.get(_documents_url(clean_firestore, "chart_sessions"), timeout=10)
    assert listed.status_code == 403


def test_the_rules_name_the_backends_collection_and_session_id_shape():
    rules = FIRESTORE_RULES.read_text()
    (collection, _), *others = re.findall(r"match /(?!databases/)(\w+)/\{(\w+)\}", rules)
    assert collection == Settings().sessions_collection
    assert others == [], "the rules open exactly one collection"
    (pattern,) = re.findall(r"matches\('([^']+)'\)", rules)
    assert pattern == SESSION_ID_PATTERN
    assert re.findall(r"allow ([\w, ]+):", rules) == ["get", "list, create, update, delete"]
