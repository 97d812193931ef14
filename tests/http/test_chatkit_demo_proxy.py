"""The demo server puts chatkit behind the page's origin, as production's load balancer does:
`POST /api/chatkit` with the chart session header, relayed as a stream."""

from __future__ import annotations

import pytest

from devtools.demo_server import start_demo_server
from tests.chatkit_client import chart_page


@pytest.fixture
def demo(function_servers, chatkit_with):
    server = start_demo_server(
        0, function_servers.update_context_url, function_servers.chart_action_url, chatkit_with()
    )
    yield server
    server.stop()


def test_demo_relays_chatkit_with_the_session_header(function_servers, demo, clean_firestore):
    chat = chart_page(demo.url + "/api/chatkit/update-context", demo.url + "/api/chatkit")
    stream = chat.create("draw support and resistance")
    assert stream.status == 200 and stream.content_type.startswith("text/event-stream")
    assert any(c.startswith("SUPPORT:") for c in stream.effects()[0]["data"]["commands"])
    listed = chat.call("threads.list", limit=5)
    assert listed.status_code == 200 and len(listed.json()["data"]) == 1
    missing = chat.__class__(demo.url + "/api/chatkit", None).call("threads.list", limit=5)
    assert missing.status_code == 400  # the header is required, and relayed as sent
    assert demo.calls[-1]["path"] == "/api/chatkit"
