"""`make build` bundles import on their own: functions-framework started from build/<fn>/,
with no PYTHONPATH and the repo's `shared/` out of reach, answers health and real requests."""

from __future__ import annotations

import subprocess
import sys

import requests

from devtools.build import BUNDLES, build_bundle
from devtools.processes import REPO
from tests.chatkit_client import chart_page
from tests.http_client import new_session_id, post_json


def test_bundle_layout(tmp_path):
    for function in BUNDLES:
        bundle = build_bundle(function, tmp_path)
        assert (bundle / "main.py").is_file()
        assert (bundle / "shared" / "__init__.py").is_file()
        requirements = (bundle / "requirements.txt").read_text().split()
        assert requirements and all("==" in line for line in requirements)
        assert not list(bundle.rglob("__pycache__"))


def test_bundles_serve_from_their_own_folder(servers_with, clean_firestore):
    subprocess.run([sys.executable, "-m", "devtools.build"], cwd=REPO, check=True)
    servers = servers_with(source_root=REPO / "build")
    for process in servers.processes:
        assert "build" in " ".join(process.process.args)
        assert requests.get(process.url, timeout=10).status_code == 200
    session = new_session_id("bundle")
    body = {"session_id": session, "symbol": "TSLA", "timeframe": "1D"}
    assert post_json(servers.update_context_url, body).status_code == 200
    answer = post_json(
        servers.chart_action_url, {"query": "draw support and resistance", "session_id": session}
    ).json()
    assert any(c.startswith("SUPPORT:") for c in answer["chart_commands"])


def test_chatkit_bundle_serves_from_its_own_folder(function_servers, chatkit_with, clean_firestore):
    subprocess.run([sys.executable, "-m", "devtools.build", "chatkit"], cwd=REPO, check=True)
    url = chatkit_with(source_root=REPO / "build")
    assert requests.get(url, timeout=10).json()["service"] == "chatkit"
    stream = chart_page(function_servers.update_context_url, url + "/api/chatkit").create(
        "draw support and resistance"
    )
    assert any(c.startswith("SUPPORT:") for c in stream.effects()[0]["data"]["commands"])
