"""`make build` bundles import on their own: functions-framework started from build/<fn>/,
with the repo's `shared/` out of reach and only the packages of the bundle's own
requirements.txt installed, answers health and real requests."""

from __future__ import annotations

import subprocess
import sys

import requests

from devtools.build import BUNDLES, SHARED_LAYERS, build_bundle
from devtools.bundle_site import requirement_closure
from devtools.processes import REPO
from tests.chatkit_client import chart_page
from tests.helpers import new_session_id, post_json


def test_bundle_layout(tmp_path):
    for function in BUNDLES:
        bundle = build_bundle(function, tmp_path)
        assert (bundle / "main.py").is_file()
        assert (bundle / "shared" / "__init__.py").is_file()
        shipped = {p.name for p in (bundle / "shared").iterdir() if p.is_dir()}
        assert shipped == set(SHARED_LAYERS[function])
        requirements = (bundle / "requirements.txt").read_text().split()
        assert requirements and all("==" in line for line in requirements)
        assert not list(bundle.rglob("__pycache__"))


def test_bundles_serve_from_their_own_folder(servers_with, clean_firestore):
    subprocess.run([sys.executable, "-m", "devtools.build"], cwd=REPO, check=True)
    servers = servers_with(source_root=REPO / "build", own_site=True)
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


def test_update_context_ships_and_installs_no_chart_action_code(tmp_path):
    bundle = build_bundle("update_context", tmp_path)
    modules = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*.py")}
    assert not {m for m in modules if m.startswith(("shared/core", "shared/planner"))}
    assert "shared/api/mcp_server.py" not in modules
    installed = {
        d.metadata["Name"].lower() for d in requirement_closure(bundle / "requirements.txt")
    }
    assert {"functions-framework", "google-cloud-firestore", "pydantic"} <= installed
    assert not installed & {"mcp-types", "mcp", "openai", "httpx"}


def test_chatkit_bundle_serves_from_its_own_folder(function_servers, chatkit_with, clean_firestore):
    subprocess.run([sys.executable, "-m", "devtools.build", "chatkit"], cwd=REPO, check=True)
    url = chatkit_with(source_root=REPO / "build")
    assert requests.get(url, timeout=10).json()["service"] == "chatkit"
    stream = chart_page(function_servers.update_context_url, url + "/api/chatkit").create(
        "draw support and resistance"
    )
    assert any(c.startswith("SUPPORT:") for c in stream.effects()[0]["data"]["commands"])
